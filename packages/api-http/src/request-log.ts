import type { IncomingMessage } from 'node:http';
import { redactUrlToken, type Logger } from '@proconsul/kernel';

/**
 * Consul's debug line per request: `Request finished: method=GET url=/v1/kv/a?token=<hidden>
 * from=127.0.0.1:52341 latency=1.2ms`. The `token` query parameter is hidden at the source;
 * headers (X-Consul-Token, Authorization) are never logged. Returns the function to call
 * once the answer is decided, or undefined when no debug line goes anywhere (checked per
 * request: a monitor may ask for debug lines at any time), so then nothing is built.
 */
export function requestLog(log: Logger, req: IncomingMessage): ((status: number) => void) | undefined {
  if (log.enabled?.('debug') === false) return undefined;
  const start = process.hrtime.bigint();
  return (status) => {
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    log.debug('Request finished', {
      method: req.method,
      url: redactUrlToken(req.url ?? ''),
      from: `${req.socket?.remoteAddress ?? ''}:${req.socket?.remotePort ?? 0}`,
      status,
      latency: `${ms.toFixed(3)}ms`,
    });
  };
}
