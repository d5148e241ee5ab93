import { cpus, loadavg } from 'node:os';

/** Sorted-array percentile (nearest rank); NaN for an empty sample. `sorted` must be ascending. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** Sorts `samples` in place and summarises them. */
export function summarize(samples: number[]): LatencySummary {
  samples.sort((a, b) => a - b);
  return {
    count: samples.length,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    max: samples[samples.length - 1] ?? NaN,
  };
}

/** Fixed decimals, or "–" for a missing figure (NaN/undefined), so tables never show "NaN". */
export function fmt(n: number | undefined, decimals = 0): string {
  if (n === undefined || !Number.isFinite(n)) return '–';
  return decimals === 0 ? Math.round(n).toLocaleString('en-US') : n.toFixed(decimals);
}

/** ours/theirs as "1.23×"; "–" when either side is missing. */
export function ratio(ours: number | undefined, theirs: number | undefined): string {
  if (ours === undefined || theirs === undefined || !Number.isFinite(ours) || !Number.isFinite(theirs) || theirs === 0)
    return '–';
  return `${(ours / theirs).toFixed(2)}×`;
}

/**
 * Print a markdown table. Columns whose header starts with a space are left-aligned
 * (names), the rest right-aligned (figures).
 */
export function printTable(title: string, headers: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = headers.map((h, i) => Math.max(h.trim().length, ...rows.map((r) => (r[i] ?? '').length), 3));
  const left = headers.map((h, i) => i === 0 || h.startsWith(' '));
  const cell = (s: string, i: number) => (left[i] ? s.padEnd(widths[i]!) : s.padStart(widths[i]!));
  console.log(`\n### ${title}\n`);
  console.log(`| ${headers.map((h, i) => cell(h.trim(), i)).join(' | ')} |`);
  console.log(`|${widths.map((w, i) => (left[i] ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const r of rows) console.log(`| ${headers.map((_, i) => cell(r[i] ?? '', i)).join(' | ')} |`);
}

/** One line describing the machine at bench start: figures from a busy host are not comparable. */
export function benchEnvironment(): string {
  const [l1, l5] = loadavg();
  return `node ${process.version}, ${cpus().length} cores, load average ${l1!.toFixed(2)} (1 min) / ${l5!.toFixed(2)} (5 min) at start`;
}
