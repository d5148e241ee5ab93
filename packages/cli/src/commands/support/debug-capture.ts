import type { ConsulHttpClient } from '../../http-client.js';
import { errorText } from '../../http-client.js';
import type { TarEntry } from './tar-gz.js';

export const DEBUG_TARGETS = ['agent', 'host', 'members', 'metrics', 'logs', 'pprof'] as const;
export type DebugTarget = (typeof DEBUG_TARGETS)[number];

export interface DebugCaptureOptions {
  readonly client: ConsulHttpClient;
  readonly durationMs: number;
  readonly intervalMs: number;
  readonly targets: ReadonlySet<DebugTarget>;
  /** The bundle's top folder inside the archive (the output name). */
  readonly root: string;
  /** Progress and non-fatal problems, as lines for the user. */
  readonly say: (line: string) => void;
  /** Ends the capture early (an interrupt); what was captured is kept. */
  readonly signal?: AbortSignal;
}

/** Longest CPU profile the agent takes (its endpoint's limit). */
const MAX_PROFILE_S = 300;

/**
 * What `proconsul debug` collects, as archive entries: `agent.json` (agent/self),
 * `host.json`, `members.json`, `<unix time>/metrics.json` at each interval, `consul.log`
 * (agent/monitor at debug level for the whole duration), `profile.cpuprofile` (a V8 CPU
 * profile over the duration, when the agent allows profiling) and `index.json`. Only the
 * agent/self read is fatal: it proves the agent is reachable and the token good.
 */
export async function captureDebug(o: DebugCaptureOptions): Promise<TarEntry[]> {
  const started = Date.now();
  const entries: TarEntry[] = [{ name: `${o.root}/` }];
  const file = (name: string, body: string | Buffer) =>
    entries.push({ name: `${o.root}/${name}`, data: Buffer.isBuffer(body) ? body : Buffer.from(body) });
  const json = (v: unknown) => JSON.stringify(v, null, 2);

  const self = await o.client.get('/v1/agent/self');
  const agentVersion = self.json<{ Config?: { Version?: string } }>().Config?.Version ?? '';
  if (o.targets.has('agent')) file('agent.json', json(self.json()));
  for (const [target, path] of [
    ['host', '/v1/agent/host'],
    ['members', '/v1/agent/members'],
  ] as const) {
    if (!o.targets.has(target)) continue;
    try {
      file(`${target}.json`, json((await o.client.get(path)).json()));
    } catch (e) {
      o.say(`[WARN] could not capture ${target}: ${errorText(e)}`);
    }
  }

  // `interrupt`: the user's; `stop`: also the end of the duration, for the log stream.
  const interrupt = new AbortController();
  const stop = new AbortController();
  const onAbort = () => (interrupt.abort(), stop.abort());
  o.signal?.addEventListener('abort', onAbort, { once: true });
  const background: Promise<void>[] = [];
  if (o.targets.has('logs')) {
    const lines: string[] = [];
    background.push(
      (async () => {
        try {
          for await (const line of o.client.lines('/v1/agent/monitor', { loglevel: 'debug' }, stop.signal)) lines.push(line);
        } catch (e) {
          o.say(`[WARN] could not capture logs: ${errorText(e)}`);
        }
        file('consul.log', lines.join('\n') + (lines.length ? '\n' : ''));
      })(),
    );
  }
  if (o.targets.has('pprof')) {
    const seconds = Math.min(MAX_PROFILE_S, Math.max(1, Math.round(o.durationMs / 1000)));
    background.push(
      o.client
        .get('/debug/pprof/profile', { query: { seconds }, signal: interrupt.signal })
        .then((r) => void file('profile.cpuprofile', r.body))
        .catch((e: unknown) => {
          if (interrupt.signal.aborted) return;
          o.say(`[WARN] Unable to capture pprof. Set enable_debug to true on target agent to enable profiling: ${errorText(e)}`);
        }),
    );
  }

  let n = 0;
  for (;;) {
    if (o.targets.has('metrics')) {
      o.say(`==> Beginning capture interval ${new Date().toISOString()} (${n})`);
      try {
        const at = Math.floor(Date.now() / 1000);
        file(`${at}/metrics.json`, json((await o.client.get('/v1/agent/metrics')).json()));
      } catch (e) {
        o.say(`[WARN] could not capture metrics: ${errorText(e)}`);
      }
    }
    n++;
    // Captures are due at fixed offsets (0, interval, 2×interval… before the duration ends),
    // so a late wake-up or a timer firing a millisecond early never adds or drops one.
    const next = started + n * o.intervalMs;
    const end = started + o.durationMs;
    if (stop.signal.aborted) break;
    if (next >= end) {
      await sleep(Math.max(0, end - Date.now()), stop.signal);
      break;
    }
    await sleep(Math.max(0, next - Date.now()), stop.signal);
    if (stop.signal.aborted) break;
  }
  // The profile ends on its own at the duration; the log stream must be told to.
  stop.abort();
  await Promise.all(background);
  o.signal?.removeEventListener('abort', onAbort);
  file(
    'index.json',
    json({
      Version: 2,
      AgentVersion: agentVersion,
      Interval: `${o.intervalMs / 1000}s`,
      Duration: `${o.durationMs / 1000}s`,
      Targets: [...o.targets],
    }),
  );
  return entries;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
}
