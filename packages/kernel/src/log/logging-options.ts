/** Consul's logging keys beyond `log_level` (`log_json`, `log_file`, `log_rotate_*`, `enable_syslog`). */
export interface LoggingOptions {
  /** Each line as a JSON object (`@level`, `@message`, `@module`, `@timestamp` and the fields), as hclog's JSON format. */
  readonly json: boolean;
  /** A file, or a directory when it ends in a path separator; empty = no file. */
  readonly file: string;
  /** Rotate when the file would exceed this many bytes; 0 = no size limit. */
  readonly rotateBytes: number;
  /** Rotate this often (Consul's default 24h). */
  readonly rotateDurationMs: number;
  /** Rotated files kept: 0 keeps all, -1 deletes the old file on each rotation. */
  readonly rotateMaxFiles: number;
  readonly syslog: boolean;
  /** `syslog_facility`, Consul's default LOCAL0. */
  readonly syslogFacility: string;
}

export const DEFAULT_LOGGING: LoggingOptions = {
  json: false,
  file: '',
  rotateBytes: 0,
  rotateDurationMs: 24 * 3600_000,
  rotateMaxFiles: 0,
  syslog: false,
  syslogFacility: 'LOCAL0',
};
