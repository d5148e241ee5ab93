import { readFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import type { ConsulHttpClient } from '../http-client.js';
import { errorText } from '../http-client.js';
import { parseDuration } from '@proconsul/kernel';
import type { Dependency } from '../template/consul-template-data.js';
import { CompiledTemplate } from '../template/template-renderer.js';
import { parseTemplateSpec, writeAtomically, type TemplateSpec } from '../template/template-file.js';
import { pause, TemplateChangeFeed } from '../template/template-change-feed.js';
import type { CliIo } from './support/cli-io.js';
import { spawnHandler, waitForExit } from './support/child-process.js';
import { defineCommand } from './support/define-command.js';
import { shutdownSignal } from './support/shutdown-signal.js';

const RETRY_MS = 2_000;

interface Job {
  readonly spec: TemplateSpec;
  readonly template: CompiledTemplate;
}

export const templateCommand = defineCommand({
  name: 'template',
  synopsis: 'Render templates from KV and the catalog (consul-template)',
  usage: 'template [options]',
  description: `Renders Go templates with consul-template's functions (key, keyOrDefault, ls,
tree, service, services, node, nodes, env, …) into files, and re-renders them when the
data they read changes (followed over /v1/stream change streams, or blocking queries where
no stream serves a read), running each template's command when its output changed. -once
renders and exits; -dry prints instead of writing.`,
  http: 'server',
  flags: [
    {
      name: 'template',
      kind: 'list',
      value: '<in:out[:command]>',
      usage: 'Template to render, its destination and an optional command to run on change. Repeatable.',
    },
    { name: 'once', kind: 'bool', usage: 'Render every template once, then exit.' },
    { name: 'dry', kind: 'bool', usage: 'Print rendered templates to stdout instead of writing files.' },
    {
      name: 'wait',
      kind: 'string',
      value: '<min[:max]>',
      usage: 'Quiescence: wait this long after a change before rendering (and at most max). E.g. 2s:10s.',
    },
    { name: 'exec', kind: 'string', value: '<command>', usage: 'Supervise this command, restarting it when a template changes.' },
  ],
  async run({ flags, io, client }) {
    let jobs: Job[];
    let wait: { min: number; max: number };
    try {
      wait = parseWait(flags.string('wait'));
      const specs = flags.list('template').map(parseTemplateSpec);
      if (specs.length === 0) throw new Error('at least one -template is required');
      jobs = specs.map((spec) => {
        let source: string;
        try {
          source = readFileSync(spec.source, 'utf8');
        } catch (e) {
          throw new Error(`template: reading ${spec.source}: ${(e as Error).message}`);
        }
        return { spec, template: new CompiledTemplate(spec.source, source) };
      });
    } catch (e) {
      io.err(`Error: ${(e as Error).message}`);
      return 1;
    }
    const stop = shutdownSignal(io.signal);
    try {
      return await loop(jobs, client(), io, stop.signal, {
        once: flags.bool('once'),
        dry: flags.bool('dry'),
        wait,
        exec: flags.string('exec'),
      });
    } finally {
      stop.dispose();
    }
  },
});

function parseWait(raw: string): { min: number; max: number } {
  if (!raw) return { min: 0, max: 0 };
  const [a, b] = raw.split(':');
  const min = parseDuration(a!);
  const max = b ? parseDuration(b) : min * 4;
  if (max < min) throw new Error(`-wait: max (${b}) must be at least min (${a})`);
  return { min, max };
}

async function loop(
  jobs: readonly Job[],
  client: ConsulHttpClient,
  io: CliIo,
  signal: AbortSignal,
  o: { once: boolean; dry: boolean; wait: { min: number; max: number }; exec: string },
): Promise<number> {
  let child: ChildProcess | undefined;
  let childExit: Promise<number> | undefined;
  const startChild = () => {
    child = spawnHandler([o.exec], { shell: true, env: process.env, stdio: 'inherit' });
    childExit = waitForExit(child);
  };
  // -once uses it only while a key it needs does not exist yet.
  const feed = new TemplateChangeFeed(client, (line) => io.err(line));
  const last = new Map<string, string>();
  try {
    for (let firstRound = true; ; firstRound = false) {
      if (signal.aborted) break;
      feed.clear();
      const deps: Dependency[] = [];
      let pending = 0;
      let changedAny = false;
      try {
        for (const job of jobs) {
          const r = await job.template.render(client);
          deps.push(...r.deps);
          if (!r.done) {
            pending++;
            if (firstRound) io.err(`[INFO] ${job.spec.source}: ${r.waitingFor}`);
            continue;
          }
          if (last.get(job.spec.destination) === r.output) continue;
          last.set(job.spec.destination, r.output);
          if (o.dry) {
            io.out(`> ${job.spec.destination}\n${r.output}`);
            continue;
          }
          if (!writeAtomically(job.spec.destination, r.output)) continue;
          changedAny = true;
          if (job.spec.command) {
            const code = await waitForExit(spawnHandler([job.spec.command], { shell: true, env: process.env, stdio: 'inherit' }));
            if (code !== 0) io.err(`[ERR] ${job.spec.destination}: command "${job.spec.command}" exited with status ${code}`);
          }
        }
      } catch (e) {
        const msg = errorText(e);
        io.err(`[ERR] ${msg}`);
        // A template mistake will not fix itself; a connection problem might.
        if (o.once || /^\S+:\d+:\d+: /.test(msg)) return 1;
        await pause(RETRY_MS, signal);
        continue;
      }
      if (o.once && pending === 0) return 0;
      feed.track(deps);
      if (o.exec && pending === 0) {
        if (!child) startChild();
        else if (changedAny) {
          child.kill('SIGTERM');
          await childExit;
          startChild();
        }
      }
      const changed = await feed.next(signal, childExit);
      if (changed === 'child-exited') return (await childExit) ?? 0;
      if (o.wait.min > 0) await quiesce(feed, signal, o.wait);
    }
    child?.kill('SIGTERM');
    return 0;
  } finally {
    feed.close();
  }
}

/**
 * consul-template's -wait: after a change, render only once the data has been quiet for
 * `min`, but no later than `max` after the first change (so a steady stream of changes
 * cannot hold the files back forever).
 */
async function quiesce(feed: TemplateChangeFeed, signal: AbortSignal, wait: { min: number; max: number }): Promise<void> {
  const deadline = Date.now() + wait.max;
  while (!signal.aborted && Date.now() < deadline) {
    feed.clear();
    const quiet = new AbortController();
    const onStop = () => quiet.abort();
    signal.addEventListener('abort', onStop, { once: true });
    const slot = Math.min(wait.min, Math.max(0, deadline - Date.now()));
    const outcome = await Promise.race([pause(slot, signal).then(() => 'quiet' as const), feed.next(quiet.signal)]);
    quiet.abort();
    signal.removeEventListener('abort', onStop);
    if (outcome === 'quiet' || outcome === 'stopped') return;
  }
}
