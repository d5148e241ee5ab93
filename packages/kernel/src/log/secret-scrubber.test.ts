import { expect } from 'chai';
import { LogFanout, type LogEntry } from './log-tap.js';
import { ConsoleLogger } from './logger.js';
import { redactUrlToken, scrubSecrets } from './secret-scrubber.js';

const SECRET = '5a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

describe('secrets never reach a log line', () => {
  it('redactUrlToken hides ?token= values, keeping the rest of the URL readable', () => {
    expect(redactUrlToken(`/v1/kv/a?token=${SECRET}&recurse`)).to.equal('/v1/kv/a?token=<hidden>&recurse');
    expect(redactUrlToken(`/v1/kv/a?dc=dc1&TOKEN=${SECRET}`)).to.equal('/v1/kv/a?dc=dc1&TOKEN=<hidden>');
    expect(redactUrlToken('/v1/kv/tokens?keys')).to.equal('/v1/kv/tokens?keys');
    // A key named "token" in the path is data, not a secret.
    expect(redactUrlToken('/v1/kv/token')).to.equal('/v1/kv/token');
  });

  it('scrubSecrets hides token query parameters, token headers, bearer credentials and SecretID fields', () => {
    for (const text of [
      `GET /v1/kv/x?token=${SECRET}`,
      `url=/v1/kv/x?index=3&token=${SECRET}&wait=1s`,
      `X-Consul-Token: ${SECRET}`,
      `x-consul-token=${SECRET}`,
      `Authorization: Bearer ${SECRET}`,
      `{"SecretID":"${SECRET}","AccessorID":"a"}`,
      `{"Token": "${SECRET}"}`,
      `token=${SECRET}`,
      `token="${SECRET} with space"`,
      `provider=aws tag_key=x secret_access_key=${SECRET}`,
      `password=${SECRET}`,
      // A script handler printing its environment.
      `HOME=/root\nCONSUL_HTTP_TOKEN=${SECRET}\n`,
    ]) {
      const out = scrubSecrets(text);
      expect(out, text).not.to.contain(SECRET);
      expect(out, text).to.contain('<hidden>');
    }
    expect(scrubSecrets('deleted expired ACL tokens: count=3')).to.equal('deleted expired ACL tokens: count=3');
    // An empty token is not a secret; showing it empty says more than <hidden>.
    expect(scrubSecrets('{"Token":""}')).to.equal('{"Token":""}');
  });

  it('a logger scrubs what it prints and what the monitor tap receives, at every level', () => {
    const printed: string[] = [];
    const tap = new LogFanout();
    const tapped: LogEntry[] = [];
    tap.subscribe('trace', (e) => tapped.push(e));
    const log = new ConsoleLogger('trace', 'agent', (l) => printed.push(l), tap).named('http');
    log.trace(`request ?token=${SECRET}`);
    log.debug('request finished', { url: `/v1/kv/x?token=${SECRET}` });
    log.info('header', { header: `X-Consul-Token: ${SECRET}` });
    log.warn('failed', { error: new Error(`bad Authorization: Bearer ${SECRET}`) });
    log.error('token', { token: SECRET });
    expect(printed).to.have.length(5);
    expect(tapped).to.have.length(5);
    const all = JSON.stringify([printed, tapped]);
    expect(all).not.to.contain(SECRET);
    expect(printed[1]).to.contain('url=/v1/kv/x?token=<hidden>');
  });
});
