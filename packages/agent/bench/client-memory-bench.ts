/**
 * Memory of an idle client agent (issue #18: RSS ≤ 50 MiB). One server (-bootstrap, memory
 * engine) and CLIENTS client agents (default 3) on 127.0.81.1-4, the clients joined to it with
 * the default client plugin list; after IDLE_SECONDS (default 30) of idling, each client's
 * RSS is read from /proc, split into RssAnon (its own memory) and RssFile (mostly the mapped
 * node binary, shared between processes). CLIENT_NODE_FLAGS adds node flags to the clients
 * (e.g. "--max-semi-space-size=1 --single-threaded --lite-mode") to compare.
 * Run: npm run bench:client-memory
 */
import { readFileSync } from 'node:fs';
import { benchTempDir, httpJson, startAgent, stopProcess, waitFor, type RunningAgent } from '@proconsul/kernel/testing';

const CLIENTS = Math.min(3, Math.max(1, Number(process.env['CLIENTS'] ?? 3)));
const IDLE_SECONDS = Math.min(300, Math.max(5, Number(process.env['IDLE_SECONDS'] ?? 30)));
const NODE_FLAGS = (process.env['CLIENT_NODE_FLAGS'] ?? '').split(/\s+/).filter((f) => f !== '');
const TARGET_MIB = 50;

function procStatus(pid: number): { rss: number; anon: number; file: number; hwm: number } {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(text)?.[1] ?? NaN) / 1024;
  return { rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile'), hwm: kb('VmHWM') };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  const dir = await benchTempDir('client-memory');
  const agents: RunningAgent[] = [];
  try {
    agents.push(await startAgent({ name: 'mem-s1', ip: '127.0.81.1', dir, server: true, bootstrap: true, engine: 'memory' }));
    const clients = await Promise.all(
      Array.from({ length: CLIENTS }, (_, i) =>
        startAgent({ name: `mem-c${i + 1}`, ip: `127.0.81.${i + 2}`, dir, retryJoin: ['127.0.81.1'], nodeFlags: NODE_FLAGS }),
      ),
    );
    agents.push(...clients);
    await waitFor(
      'every client a member of the server',
      async () => {
        const members = await httpJson<{ Name: string; Status: number }[]>(`${agents[0]!.httpUrl}/v1/agent/members`, 2000);
        return members.filter((m) => m.Status === 1).length === CLIENTS + 1 || undefined;
      },
      30_000,
      250,
    );
    await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
    const rows = clients.map((c) => ({ name: c.name, ...procStatus(c.proc.pid) }));
    const f = (x: number) => x.toFixed(1).padStart(7);
    console.log(
      `\nIdle client agents after ${IDLE_SECONDS}s joined to one server, node ${process.version}` +
        (NODE_FLAGS.length > 0 ? `, client node flags: ${NODE_FLAGS.join(' ')}` : ', no extra node flags') +
        '\n',
    );
    console.log('client      RSS MiB  RssAnon  RssFile  peak RSS');
    for (const r of rows) console.log(`${r.name.padEnd(10)}${f(r.rss)}  ${f(r.anon)}  ${f(r.file)}  ${f(r.hwm)}`);
    const rss = median(rows.map((r) => r.rss));
    console.log(
      `\nmedian RSS ${rss.toFixed(1)} MiB (RssAnon ${median(rows.map((r) => r.anon)).toFixed(1)} MiB); server RSS ${procStatus(agents[0]!.proc.pid).rss.toFixed(1)} MiB`,
    );
    console.log(`target ≤ ${TARGET_MIB} MiB RSS: ${rss <= TARGET_MIB ? 'met' : 'missed'} (${rss.toFixed(1)} MiB)`);
    process.exitCode = rss <= TARGET_MIB ? 0 : 1;
  } finally {
    await Promise.all(agents.map((a) => stopProcess(a.proc)));
  }
}

await main();
