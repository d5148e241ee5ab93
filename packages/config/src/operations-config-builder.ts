import { type LoggingOptions, SYSLOG_FACILITIES, type TelemetryOptions, splitHostPort } from '@proconsul/kernel';

interface Readers {
  readonly get: (key: string) => unknown;
  readonly fail: (key: string, reason: string) => never;
  readonly dur: (key: string, d?: string) => number;
  readonly str: (key: string, d?: string) => string;
  readonly bool: (key: string) => boolean;
  readonly int: (key: string, d?: number) => number;
  readonly strs: (key: string) => string[];
}

/** The `telemetry {}` block, the logging keys and `disable_remote_exec`, checked and named as the user wrote them. */
export function buildOperationsConfig(r: Readers): {
  telemetry: TelemetryOptions;
  logging: LoggingOptions;
  disableRemoteExec: boolean;
  enableDebug: boolean;
} {
  const address = (key: string): string => {
    const v = r.str(key);
    if (!v) return '';
    try {
      const { port } = splitHostPort(v);
      if (!port) throw new Error('no port');
    } catch {
      r.fail(key, `"${v}" is not host:port`);
    }
    return v;
  };
  const nonNegative = (key: string, d = 0): number => {
    const v = r.int(key, d);
    if (v < 0) r.fail(key, `must not be negative, got ${v}`);
    return v;
  };
  const rotateMaxFiles = r.int('log_rotate_max_files', 0);
  if (rotateMaxFiles < -1) r.fail('log_rotate_max_files', `must be -1, 0 or a positive number, got ${rotateMaxFiles}`);
  const facility = r.str('syslog_facility', 'LOCAL0').toUpperCase();
  if (!(facility in SYSLOG_FACILITIES)) r.fail('syslog_facility', `unknown facility "${facility}"`);
  const rotateDurationMs = r.dur('log_rotate_duration', '24h');
  if (rotateDurationMs < 1000) r.fail('log_rotate_duration', 'must be at least 1s');
  const retention = r.dur('telemetry.prometheus_retention_time', '0s');
  return {
    telemetry: {
      metricsPrefix: r.str('telemetry.metrics_prefix', 'consul'),
      disableHostname: r.bool('telemetry.disable_hostname'),
      prometheusRetentionMs: retention,
      statsdAddress: address('telemetry.statsd_address'),
      dogstatsdAddr: address('telemetry.dogstatsd_addr'),
      dogstatsdTags: r.strs('telemetry.dogstatsd_tags'),
    },
    logging: {
      json: r.bool('log_json'),
      file: r.str('log_file'),
      rotateBytes: nonNegative('log_rotate_bytes'),
      rotateDurationMs,
      rotateMaxFiles,
      syslog: r.bool('enable_syslog'),
      syslogFacility: facility,
    },
    disableRemoteExec: (r.get('disable_remote_exec') as boolean | undefined) ?? true,
    enableDebug: r.bool('enable_debug'),
  };
}
