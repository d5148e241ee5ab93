/**
 * Limits and timers of `/v1/stream`. An agent may bind its own under {@link StreamTuning}
 * (tests shorten the timers); otherwise {@link DEFAULT_STREAM_TUNING} applies.
 */
export const StreamTuning = Symbol.for('proconsul.api-http.StreamTuning');

export interface StreamTuning {
  /** Comment line sent to every subscriber this often, so proxies and clients see a live stream. */
  readonly heartbeatMs: number;
  /** Unsent bytes a subscriber may have queued before it is marked lagged (its deltas are dropped). */
  readonly maxBufferedBytes: number;
  /** Delta events each upstream keeps for `Last-Event-ID` resumes. */
  readonly historyEvents: number;
  /** …and at most this many bytes of them (large KV values fill it before the count does). */
  readonly historyBytes: number;
  /** How long an upstream with no subscribers keeps following (so a reconnect can resume). */
  readonly lingerMs: number;
  /** Longest blocking read; the token is re-checked at least this often. */
  readonly recheckMs: number;
}

export const DEFAULT_STREAM_TUNING: StreamTuning = {
  heartbeatMs: 15_000,
  maxBufferedBytes: 1 << 20,
  historyEvents: 4096,
  historyBytes: 8 << 20,
  lingerMs: 60_000,
  recheckMs: 10_000,
};
