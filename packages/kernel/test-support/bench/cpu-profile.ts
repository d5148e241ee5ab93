import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly hitCount?: number;
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

export interface SelfTimeRow {
  readonly functionName: string;
  /** Script URL shortened to the part after node_modules/ or packages/, for reading. */
  readonly where: string;
  readonly selfMs: number;
  readonly percent: number;
}

/**
 * Top `n` functions by self time in a V8 .cpuprofile (what `node --cpu-prof` writes),
 * aggregated by function name + script. With `windowUs` only samples in that window count,
 * so a profile of a whole process lifetime can be cut down to one load phase; without it,
 * node hitCounts are used. The window is in µs of the monotonic clock: V8 stamps profiles
 * with the same CLOCK_MONOTONIC that `process.hrtime` reads, so another process on the same
 * host can give `monotonicMicros()` readings taken around its load phase.
 */
export function topSelfTime(
  file: string,
  n: number,
  windowUs?: { from: number; to: number },
): { rows: SelfTimeRow[]; sampledMs: number } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, ProfileNode>();
  for (const node of profile.nodes) for (const c of node.children ?? []) parentOf.set(c, node);
  const hits = new Map<number, number>();
  let total = 0;
  if (windowUs && profile.samples && profile.timeDeltas) {
    let t = profile.startTime;
    profile.samples.forEach((id, i) => {
      t += profile.timeDeltas![i] ?? 0;
      if (t < windowUs.from || t > windowUs.to) return;
      hits.set(id, (hits.get(id) ?? 0) + 1);
      total++;
    });
  } else {
    for (const node of profile.nodes) {
      if (!node.hitCount) continue;
      hits.set(node.id, node.hitCount);
      total += node.hitCount;
    }
  }
  const allSamples = profile.samples?.length || total;
  const msPerSample = (profile.endTime - profile.startTime) / 1000 / Math.max(1, allSamples);
  const agg = new Map<string, { functionName: string; where: string; hits: number }>();
  for (const [id, count] of hits) {
    const frame = byId.get(id)!.callFrame;
    const name = frame.functionName || '(anonymous)';
    // A native binding alone says little (writeBuffer of what?): name its JS caller too.
    const parent = frame.url ? undefined : parentOf.get(id);
    const where = parent?.callFrame.url
      ? `(native) ← ${parent.callFrame.functionName || '(anonymous)'} ${shortUrl(parent.callFrame.url)}`
      : shortUrl(frame.url);
    const key = `${name}\u0000${where}`;
    const a = agg.get(key) ?? { functionName: name, where, hits: 0 };
    a.hits += count;
    agg.set(key, a);
  }
  const rows = [...agg.values()]
    .sort((a, b) => b.hits - a.hits)
    .slice(0, n)
    .map((a) => ({
      functionName: a.functionName,
      where: a.where,
      selfMs: a.hits * msPerSample,
      percent: (a.hits / Math.max(1, total)) * 100,
    }));
  return { rows, sampledMs: total * msPerSample };
}

function shortUrl(url: string): string {
  if (!url) return '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const pk = url.indexOf('/packages/');
  if (pk >= 0) return url.slice(pk + 1);
  return url.replace(/^file:\/\//, '');
}

/** Now, in µs of the monotonic clock a V8 .cpuprofile is stamped with. */
export function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}
