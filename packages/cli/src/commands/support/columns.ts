/**
 * Text layouts matching the Go libraries Consul's CLI prints with, so output can be diffed
 * against Consul's: `columnize` (tables) and `text/tabwriter` (key/value blocks).
 */

/** ryanuber/columnize defaults: cells padded to the column width, joined by two spaces, right-trimmed. */
export function columnize(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/**
 * tabwriter.NewWriter(w, 0, 2, 6, ' ', 0) as used by `kv get -detailed` and
 * `catalog services -tags`: the first column padded to its widest cell plus 6 spaces.
 */
export function tabAlign(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(0, ...rows.map(([k]) => k.length)) + 6;
  return rows.map(([k, v]) => k.padEnd(width) + v).join('\n');
}

/** Consul's `key=value` list, sorted by key (catalog -detailed, members -detailed). */
export function mapToKv(m: Readonly<Record<string, string>> | null | undefined, joiner: string): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${m![k]}`)
    .join(joiner);
}
