import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
  readonly children?: readonly number[];
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface AreaRow {
  readonly area: string;
  readonly selfMs: number;
  readonly percent: number;
}

/** A script's package: `@proconsul/x` for packages/x, the npm package under node_modules, `node:<module>` for Node's own. */
function areaOf(url: string): string {
  const pk = /\/packages\/([^/]+)\//.exec(url);
  if (pk) return `@proconsul/${pk[1]}`;
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const internal = /^node:(?:internal\/)?([^/]+)/.exec(url);
  if (internal) return `node:${internal[1]!.replace(/\.js$/, '')}`;
  return url || '(native)';
}

/**
 * Self time of a V8 .cpuprofile within `window` (µs, monotonic), summed by package. A
 * native frame (a binding such as writev, or V8's own GC and idle) is charged to the
 * package of the JS frame that called it, marked "(native)", so a syscall shows whose it is.
 */
export function selfTimeByPackage(file: string, window: { from: number; to: number }): { rows: AreaRow[]; sampledMs: number } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, ProfileNode>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n);
  const areaCache = new Map<number, string>();
  const area = (id: number): string => {
    const cached = areaCache.get(id);
    if (cached) return cached;
    const n = byId.get(id)!;
    let a: string;
    if (n.callFrame.url) a = areaOf(n.callFrame.url);
    else if (['(idle)', '(garbage collector)', '(program)'].includes(n.callFrame.functionName)) a = n.callFrame.functionName;
    else {
      let p = parent.get(id);
      while (p && !p.callFrame.url) p = parent.get(p.id);
      a = p ? `${areaOf(p.callFrame.url)} (native)` : '(native)';
    }
    areaCache.set(id, a);
    return a;
  };
  const hits = new Map<string, number>();
  let total = 0;
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    if (t < window.from || t > window.to) return;
    const a = area(id);
    hits.set(a, (hits.get(a) ?? 0) + 1);
    total++;
  });
  const msPerSample = (profile.endTime - profile.startTime) / 1000 / Math.max(1, profile.samples.length);
  const rows = [...hits]
    .sort((a, b) => b[1] - a[1])
    .map(([a, h]) => ({ area: a, selfMs: h * msPerSample, percent: (h / Math.max(1, total)) * 100 }));
  return { rows, sampledMs: total * msPerSample };
}
