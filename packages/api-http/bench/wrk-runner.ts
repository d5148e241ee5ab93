import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadOutcome, LoadSpec } from './autocannon-runner.js';

/**
 * The same closed-loop phase as autocannon-runner, driven by wrk (Debian `wrk`, C and LuaJIT).
 * Why a second generator: the benches share this machine's 2 cores with the load generator,
 * and autocannon spends 75–90 µs of CPU per request here (wrk ~25–30 µs, mostly the kernel's
 * socket work), as much as the server under test spends on a GET. That CPU is taken from both
 * clusters alike and pulls every ours/etcd ratio towards 1; wrk takes a third of it.
 *
 * The requests of one phase are built in JavaScript (`spec.request(seq)` for seq 0..cycle-1)
 * and handed to wrk's script as a table it cycles through, so both generators send the same
 * bytes in the same order. Latency covers every response (wrk does not split by status); the
 * benches report failures beside it, and a phase with failures is not a clean figure anyway.
 */
export interface WrkSpec extends LoadSpec {
  /** `spec.request(seq)` repeats after this many seqs (the bench's key count). */
  readonly cycle: number;
}

/** Requests per part of the script's table: two strings each, well under LuaJIT's 65,536 constants. */
const PART = 10_000;

/** Lua long-bracket string that cannot be closed by `s` itself. */
function luaString(s: string): string {
  let eq = '=';
  while (s.includes(`]${eq}]`)) eq += '=';
  return `[${eq}[${s}]${eq}]`;
}

function script(spec: WrkSpec): string {
  const lines: string[] = [];
  for (let seq = 0; seq < spec.cycle; seq++) {
    const { path, body } = spec.request(seq);
    lines.push(`{${luaString(path)},${body === undefined ? 'nil' : luaString(body)}}`);
  }
  const headerLua = Object.entries(spec.headers ?? {})
    .map(([k, v]) => `[${luaString(k)}]=${luaString(v)}`)
    .join(',');
  // LuaJIT allows 65,536 constants per function, so the table is built in parts, each
  // from a function of its own (a part's strings are that function's constants).
  const parts: string[] = [];
  for (let i = 0; i < lines.length; i += PART)
    parts.push(`add((function() return {\n${lines.slice(i, i + PART).join(',\n')}\n} end)())`);
  return `
local specs = {}
local function add(t) for i = 1, #t do specs[#specs + 1] = t[i] end end
${parts.join('\n')}
local method = ${luaString(spec.method)}
local headers = {${headerLua}}
local built = {}
local n = 0
function init(args)
  for i, s in ipairs(specs) do
    local h = {}
    for k, v in pairs(headers) do h[k] = v end
    if s[2] ~= nil then h["Content-Length"] = tostring(#s[2]) end
    built[i] = wrk.format(method, s[1], h, s[2])
  end
  specs = nil
end
function request()
  n = n + 1
  if n > #built then n = 1 end
  return built[n]
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK_RESULT {"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50":%d,"p99":%d,"max":%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
`;
}

/** One phase under wrk (one thread: at these rates it needs well under a core). Bounded by `durationS` + 10 s. */
export function runWrk(spec: WrkSpec): Promise<LoadOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'proconsul-wrk-'));
  const file = join(dir, 'phase.lua');
  writeFileSync(file, script(spec));
  const args = ['-t1', `-c${spec.connections}`, `-d${spec.durationS}s`, '--timeout', '10s', '-s', file, spec.url];
  return new Promise<LoadOutcome>((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
    const guard = setTimeout(() => child.kill('SIGKILL'), (spec.durationS + 10) * 1000);
    child.once('error', (e) => {
      clearTimeout(guard);
      reject(e);
    });
    child.once('close', (code) => {
      clearTimeout(guard);
      rmSync(dir, { recursive: true, force: true });
      const line = /WRK_RESULT (\{.*\})/.exec(out);
      if (!line) return reject(new Error(`wrk exited with ${code}: ${out.trim().slice(-500)}`));
      const r = JSON.parse(line[1]!) as Record<string, number>;
      const ok = r['requests']! - r['status']!;
      resolve({
        okPerSecond: ok / (r['duration_us']! / 1e6),
        ok,
        non2xx: r['status']!,
        errors: r['connect']! + r['read']! + r['write']! + r['timeout']!,
        latency: { count: r['requests']!, p50: r['p50']! / 1000, p99: r['p99']! / 1000, max: r['max']! / 1000 },
      });
    });
  });
}
