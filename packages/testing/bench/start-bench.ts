/**
 * How long `startTestAgent()` takes in a fresh process: importing `@proconsul/testing`, the
 * first start (which loads the plugins), and a second start (everything warm). Each run is a
 * new Node process, since only the first start in a process pays for module loading and
 * schema compilation. Run: npm run bench:test-agent (START_BENCH_RUNS, default 7, at most 30).
 * It imports what users get, the package's exports entry (the bundle); START_BENCH_UNBUNDLED=1
 * imports the tsc output instead, for comparison.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

interface Timing {
  readonly importMs: number;
  /** CPU time (user + system) of the import and the first start: what other load on the machine does not inflate. */
  readonly importCpuMs: number;
  readonly firstCpuMs: number;
  readonly importAndFirstCpuMs: number;
  readonly firstMs: number;
  /** What a suite waits for before its first test: the import and the first start. */
  readonly importAndFirstMs: number;
  readonly secondMs: number;
  readonly stopMs: number;
}

async function child(): Promise<void> {
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const c0 = cpu();
  const t0 = performance.now();
  const { startTestAgent } = process.env['START_BENCH_UNBUNDLED']
    ? // The tsc output, loading every module file and importing each plugin by name (the path before the bundle).
      ((await import('../dist/index.js')) as typeof import('@proconsul/testing'))
    : await import('@proconsul/testing');
  const t1 = performance.now();
  const c1 = cpu();
  const a = await startTestAgent();
  const t2 = performance.now();
  const c2 = cpu();
  const b = await startTestAgent();
  const t3 = performance.now();
  await Promise.all([a.stop(), b.stop()]);
  const t4 = performance.now();
  const timing: Timing = {
    importMs: t1 - t0,
    importCpuMs: c1 - c0,
    firstCpuMs: c2 - c1,
    importAndFirstCpuMs: c2 - c0,
    firstMs: t2 - t1,
    importAndFirstMs: t2 - t0,
    secondMs: t3 - t2,
    stopMs: t4 - t3,
  };
  process.stdout.write(JSON.stringify(timing));
}

function parent(): void {
  const runs = Math.min(30, Math.max(1, Number(process.env['START_BENCH_RUNS'] ?? 7)));
  const self = fileURLToPath(import.meta.url);
  const all: Timing[] = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, [self], { env: { ...process.env, START_BENCH_CHILD: '1' }, timeout: 60_000 });
    all.push(JSON.parse(out.toString()) as Timing);
  }
  const stat = (k: keyof Timing) => {
    const v = all.map((t) => t[k]).sort((a, b) => a - b);
    const q = (p: number) => v[Math.min(v.length - 1, Math.floor(p * v.length))]!.toFixed(0);
    return `${q(0).padStart(6)} ${q(0.5).padStart(6)} ${String(v.at(-1)!.toFixed(0)).padStart(6)}`;
  };
  const what = process.env['START_BENCH_UNBUNDLED'] ? 'unbundled tsc output' : 'the bundle';
  console.log(`startTestAgent() in ${runs} fresh processes, ${what} (ms)`);
  console.log(`${''.padEnd(42)}    min median    max`);
  console.log(`  import @proconsul/testing                 ${stat('importMs')}`);
  console.log(`    CPU time of the import                  ${stat('importCpuMs')}`);
  console.log(`  first startTestAgent() (loads plugins)    ${stat('firstMs')}`);
  console.log(`    CPU time of the first start             ${stat('firstCpuMs')}`);
  console.log(`  import + first start                      ${stat('importAndFirstMs')}`);
  console.log(`    CPU time of both                        ${stat('importAndFirstCpuMs')}`);
  console.log(`  second startTestAgent()                   ${stat('secondMs')}`);
  console.log(`  stop() of both                            ${stat('stopMs')}`);
}

if (process.env['START_BENCH_CHILD']) await child();
else parent();
