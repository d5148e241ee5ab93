import { expect } from 'chai';
import { isCoded } from '@proconsul/kernel';
import { buildCheckDefinition } from './check-definition.js';
import { pascalKey, pascalKeys } from './check-keys.js';

describe('checks/check-definition normalisation', () => {
  it('maps Consul field names in any case to PascalCase', () => {
    const f = pascalKeys({
      http: 'http://x',
      tls_skip_verify: true,
      TLSServerName: 'a',
      script_args: ['a'],
      deregister_critical_service_after: '2m',
      service_id: 's1',
      Check_ID: 'c',
      file_age: { path: '/tmp/x' },
      'grpc-use-tls': true,
    });
    expect(Object.keys(f).sort()).to.deep.equal(
      [
        'HTTP',
        'TLSSkipVerify',
        'TLSServerName',
        'Args',
        'DeregisterCriticalServiceAfter',
        'ServiceID',
        'CheckID',
        'FileAge',
        'GRPCUseTLS',
      ].sort(),
    );
    // Nested maps (headers) keep their keys.
    expect(pascalKeys({ header: { 'x-foo': ['1'] } })['Header']).to.deep.equal({ 'x-foo': ['1'] });
    expect(pascalKey('fileAge')).to.equal('FileAge');
    expect(pascalKey('ID')).to.equal('CheckID');
  });

  it('fills Consul defaults: id from name, critical, 10s timeout, no thresholds', () => {
    const d = buildCheckDefinition({ Name: 'web', Interval: '10s', HTTP: 'http://x' });
    expect(d.CheckID).to.equal('web');
    expect(d.Status).to.equal('critical');
    expect(d.TimeoutMs).to.equal(10_000);
    expect(d.IntervalMs).to.equal(10_000);
    expect(d.SuccessBeforePassing).to.equal(0);
    expect(d.OutputMaxSize).to.equal(4096);
    expect(d.DeregisterCriticalServiceAfterMs).to.equal(0);
  });

  it('parses "1m30s", nanosecond numbers, a type default timeout, and defaults warning to critical threshold', () => {
    const d = buildCheckDefinition(
      { Name: 'n', Interval: 90_000_000_000, Timeout: '1m30s', FailuresBeforeCritical: 3 },
      { defaultTimeoutMs: 30_000 },
    );
    expect(d.IntervalMs).to.equal(90_000);
    expect(d.TimeoutMs).to.equal(90_000);
    expect(d.FailuresBeforeWarning).to.equal(3);
    expect(buildCheckDefinition({ Name: 'n', Interval: '5s' }, { defaultTimeoutMs: 30_000 }).TimeoutMs).to.equal(30_000);
  });

  it('raises interval to 1s and deregister_critical_service_after to 1m, with a warning', () => {
    const warnings: string[] = [];
    const d = buildCheckDefinition(
      { Name: 'n', Interval: '100ms', DeregisterCriticalServiceAfter: '10s', ServiceID: 'web' },
      { warn: (m) => warnings.push(m) },
    );
    expect(d.IntervalMs).to.equal(1000);
    expect(d.DeregisterCriticalServiceAfterMs).to.equal(60_000);
    expect(warnings).to.have.length(2);
  });

  it('names a service check after its service; refuses bad fields with coded 400s', () => {
    expect(buildCheckDefinition({ ServiceID: 'web', Interval: '1s' }).Name).to.equal('service:web');
    const bad = [
      { Interval: '1s' },
      { Name: 'n' },
      { Name: 'n', Interval: '10' },
      { Name: 'n', Interval: '1s', Status: 'maintenance' },
      { Name: 'n', Interval: '1s', SuccessBeforePassing: -1 },
    ];
    for (const f of bad) {
      let caught: unknown;
      try {
        buildCheckDefinition(f);
      } catch (err) {
        caught = err;
      }
      expect(isCoded(caught, 'CHECK_DEFINITION_INVALID'), JSON.stringify(f)).to.equal(true);
      expect((caught as { statusCode: number }).statusCode).to.equal(400);
    }
  });
});
