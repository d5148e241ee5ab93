import { PassThrough } from 'node:stream';
import { BadRequest, LOG_LEVELS, type HttpEndpoint, type LogEntry, type LogLevel, type LogTap } from '@proconsul/kernel';
import { authorize, require, route, type EndpointDeps } from './endpoint-support.js';

/** Unread output a slow monitor client may leave queued before lines are dropped (Consul drops too). */
const MAX_QUEUED_BYTES = 1 << 20;

/**
 * `GET /v1/agent/monitor` (`?loglevel=`, `?logjson`): streams this agent's log lines until
 * the client goes away, at the requested level even below the agent's own. A client that
 * reads too slowly loses lines rather than growing the agent's memory; a marker says how
 * many. Needs agent:read.
 */
export function agentMonitorEndpoint(deps: EndpointDeps, tap: LogTap | undefined): HttpEndpoint {
  return route('GET', '/v1/agent/monitor', async (req) => {
    require(await authorize(deps, req), 'agent', deps.config.nodeName, 'read');
    const level = (req.query.get('loglevel') || 'info').toLowerCase() as LogLevel;
    if (!LOG_LEVELS.includes(level)) throw BadRequest(`Unknown log level: ${level}`);
    if (!tap) throw BadRequest('This agent does not stream its logs (no log tap bound)');
    const json = req.query.has('logjson') && req.query.get('logjson') !== 'false';
    const out = new PassThrough();
    let dropped = 0;
    const format = (e: LogEntry) =>
      json ? JSON.stringify({ '@level': e.level, '@message': e.message, '@module': e.module, '@timestamp': e.time }) : e.line;
    const off = tap.subscribe(level, (e) => {
      if (out.writableLength > MAX_QUEUED_BYTES) {
        dropped++;
        return;
      }
      if (dropped > 0) {
        out.write(`[WARN] monitor: ${dropped} log lines dropped (client reading too slowly)\n`);
        dropped = 0;
      }
      out.write(format(e) + '\n');
    });
    const stop = () => {
      off();
      out.end();
    };
    req.signal.addEventListener('abort', stop, { once: true });
    out.on('close', off);
    return { body: out, headers: { 'Content-Type': 'text/plain; charset=utf-8' } };
  });
}
