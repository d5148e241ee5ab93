import { DurationInvalid } from '../errors/kernel-errors.js';

/**
 * Go `time.Duration` text, as Consul accepts and prints it ("10s", "1m30s", "1.5h", "300us").
 * Everything is computed in integer nanoseconds (BigInt) so "1.1s" is exactly 1100 ms and the
 * int64 overflow Go rejects is rejected here too; the result is converted to ms only at the end.
 */

const NS_PER_MS = 1_000_000;
const MAX_NS = (1n << 63n) - 1n;

const UNIT_NS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n, // U+00B5 micro sign
  μs: 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/**
 * Parse a Go duration string, or a JSON number of nanoseconds (how Go decodes a number into a
 * time.Duration), into milliseconds (may be fractional: "300us" is 0.3).
 * Throws DURATION_INVALID (400) with Go's wording, naming the value.
 */
export function parseDuration(input: string | number): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw DurationInvalid(`time: invalid duration ${String(input)}`);
    return input / NS_PER_MS;
  }
  return Number(parseDurationNs(input)) / NS_PER_MS;
}

/** Parse a Go duration string into integer nanoseconds. */
export function parseDurationNs(s: string): bigint {
  const quoted = JSON.stringify(s);
  const invalid = () => DurationInvalid(`time: invalid duration ${quoted}`);
  let i = 0;
  let negative = false;
  if (s[0] === '-' || s[0] === '+') {
    negative = s[0] === '-';
    i = 1;
  }
  if (s.slice(i) === '0') return 0n;
  if (i === s.length) throw invalid();

  let total = 0n;
  while (i < s.length) {
    const c = s[i]!;
    if (!(c === '.' || isDigit(c))) throw invalid();
    const intStart = i;
    while (i < s.length && isDigit(s[i]!)) i++;
    const intDigits = s.slice(intStart, i);
    let fracDigits = '';
    if (s[i] === '.') {
      i++;
      const fracStart = i;
      while (i < s.length && isDigit(s[i]!)) i++;
      fracDigits = s.slice(fracStart, i);
    }
    // "." alone, or ".s", has no digits at all.
    if (intDigits === '' && fracDigits === '') throw invalid();
    const unitStart = i;
    while (i < s.length && s[i] !== '.' && !isDigit(s[i]!)) i++;
    const unit = s.slice(unitStart, i);
    if (unit === '') throw DurationInvalid(`time: missing unit in duration ${quoted}`);
    const scale = UNIT_NS[unit];
    if (scale === undefined) throw DurationInvalid(`time: unknown unit ${JSON.stringify(unit)} in duration ${quoted}`);

    let part = BigInt(intDigits || '0') * scale;
    if (fracDigits !== '') {
      // Truncates below 1ns, as Go does.
      part += (BigInt(fracDigits) * scale) / 10n ** BigInt(fracDigits.length);
    }
    total += part;
    if (total > MAX_NS + (negative ? 1n : 0n)) throw invalid();
  }
  return negative ? -total : total;
}

/** Format milliseconds as Go's Duration.String does: "0s", "500ms", "1.5s", "1m30s", "1h0m0s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) throw DurationInvalid(`time: cannot format duration ${String(ms)}`);
  return formatDurationNs(BigInt(Math.round(ms * NS_PER_MS)));
}

export function formatDurationNs(ns: bigint): string {
  if (ns === 0n) return '0s';
  const sign = ns < 0n ? '-' : '';
  const u = ns < 0n ? -ns : ns;
  if (u < 1_000_000_000n) {
    if (u < 1_000n) return `${sign}${u}ns`;
    if (u < 1_000_000n) return `${sign}${fixed(u, 3)}µs`;
    return `${sign}${fixed(u, 6)}ms`;
  }
  const hours = u / 3_600_000_000_000n;
  const minutes = (u / 60_000_000_000n) % 60n;
  const secondsNs = u % 60_000_000_000n;
  let out = `${fixed(secondsNs, 9)}s`;
  if (hours > 0n) out = `${hours}h${minutes}m${out}`;
  else if (minutes > 0n) out = `${minutes}m${out}`;
  return sign + out;
}

/** `v / 10^digits` printed with the fraction's trailing zeros dropped. */
function fixed(v: bigint, digits: number): string {
  const div = 10n ** BigInt(digits);
  const whole = v / div;
  const frac = (v % div).toString().padStart(digits, '0').replace(/0+$/, '');
  return frac === '' ? `${whole}` : `${whole}.${frac}`;
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}
