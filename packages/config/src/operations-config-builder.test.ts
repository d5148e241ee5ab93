import { expect } from 'chai';
import { buildRuntimeConfig } from './config-builder.js';

const build = (data: Record<string, unknown>) =>
  buildRuntimeConfig({ dev: true, sources: [{ name: 'a.json', data }], warn: () => {} });

describe('telemetry, logging and remote exec configuration', () => {
  it("has Consul's defaults", () => {
    const c = build({});
    expect(c.telemetry).to.deep.include({ metricsPrefix: 'consul', disableHostname: false, prometheusRetentionMs: 0 });
    expect(c.logging).to.deep.include({ json: false, file: '', rotateBytes: 0, rotateDurationMs: 86_400_000, rotateMaxFiles: 0 });
    expect(c.logging.syslogFacility).to.equal('LOCAL0');
    expect([c.disableRemoteExec, c.enableDebug]).to.deep.equal([true, false]);
  });

  it('reads the telemetry block and the logging keys', () => {
    const c = build({
      telemetry: {
        prometheus_retention_time: '1m',
        disable_hostname: true,
        statsd_address: '127.0.0.1:8125',
        dogstatsd_tags: ['a:b'],
      },
      log_json: true,
      log_file: '/var/log/pc/',
      log_rotate_bytes: 1024,
      log_rotate_duration: '1h',
      log_rotate_max_files: -1,
      enable_syslog: true,
      syslog_facility: 'local3',
      disable_remote_exec: false,
    });
    expect(c.telemetry).to.deep.include({
      prometheusRetentionMs: 60_000,
      disableHostname: true,
      statsdAddress: '127.0.0.1:8125',
    });
    expect(c.telemetry.dogstatsdTags).to.deep.equal(['a:b']);
    expect(c.logging).to.deep.include({ json: true, file: '/var/log/pc/', rotateBytes: 1024, rotateDurationMs: 3_600_000 });
    expect(c.logging).to.deep.include({ rotateMaxFiles: -1, syslog: true, syslogFacility: 'LOCAL3' });
    expect(c.disableRemoteExec).to.equal(false);
  });

  it('refuses bad values, naming file and key', () => {
    expect(() => build({ telemetry: { statsd_address: 'nohost' } })).to.throw(/a\.json.*telemetry\.statsd_address/);
    expect(() => build({ log_rotate_max_files: -2 })).to.throw(/log_rotate_max_files/);
    expect(() => build({ syslog_facility: 'LOCAL9' })).to.throw(/syslog_facility.*LOCAL9/);
    expect(() => build({ log_rotate_bytes: -1 })).to.throw(/log_rotate_bytes/);
  });
});
