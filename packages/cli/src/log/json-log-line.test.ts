import { expect } from 'chai';
import { ConsoleLogger, DEFAULT_LOGGING, type LogLevel } from '@proconsul/kernel';
import { openLogOutputs } from './log-outputs.js';

describe('-log-json lines', () => {
  it("are hclog's JSON objects, with fields in their types and secrets scrubbed", () => {
    const lines: string[] = [];
    const log = new ConsoleLogger('info', 'agent', (l) => lines.push(l), undefined, 'json').named('http');
    log.info('Request finished', { url: '/v1/kv/a?token=abc123secret', status: 200, error: new Error('boom'), secret: 'x' });
    const e = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(e).to.include({
      '@level': 'info',
      '@message': 'Request finished',
      '@module': 'agent.http',
      status: 200,
      error: 'boom',
    });
    expect(e['@timestamp']).to.match(/^\d{4}-\d\d-\d\dT/);
    expect(lines[0]).not.to.contain('abc123secret');
    expect(e['secret']).to.equal('<hidden>');
  });
});

describe('log outputs', () => {
  it('with -syslog and no syslog socket, keeps logging to stderr and says why once', () => {
    const err: string[] = [];
    const o = openLogOutputs({ ...DEFAULT_LOGGING, syslog: true }, (l) => err.push(l), '/nonexistent/dev-log');
    o.sink('hello', 'info' as LogLevel);
    o.close();
    expect(err).to.deep.equal(['hello']);
    expect(o.warnings).to.have.length(1);
    expect(o.warnings[0]).to.match(/syslog is enabled but unavailable.*\/nonexistent\/dev-log does not exist/);
  });
});
