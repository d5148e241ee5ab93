import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { formatDuration } from '@proconsul/kernel';
import { errorText } from '../http-client.js';
import { captureDebug, DEBUG_TARGETS, type DebugTarget } from './support/debug-capture.js';
import { defineCommand } from './support/define-command.js';
import { shutdownSignal } from './support/shutdown-signal.js';
import { tarGz } from './support/tar-gz.js';

/** Consul's floors: shorter captures say too little to be worth a bundle. */
export const DEBUG_MIN_INTERVAL_MS = 5_000;
export const DEBUG_MIN_DURATION_MS = 10_000;

export const debugCommand = defineCommand({
  name: 'debug',
  synopsis: 'Records a debugging archive for operators',
  usage: 'debug [options]',
  description: `Monitors an agent for -duration, capturing agent/self, host, members, metrics at each
-interval, the agent's logs (debug level) and a CPU profile (when the agent has enable_debug,
or ACLs and an operator:read token), then writes them as a .tar.gz archive (or a directory
with -archive=false). Files are readable by the owner only.`,
  http: 'client',
  flags: [
    { name: 'duration', kind: 'duration', default: 120_000, usage: 'How long to capture for. Default 2m.' },
    { name: 'interval', kind: 'duration', default: 30_000, usage: 'How often to capture metrics. Default 30s.' },
    {
      name: 'output',
      kind: 'string',
      value: '<path>',
      usage: 'Where to write the bundle. Default consul-debug-<unix time> in the current directory.',
    },
    { name: 'archive', kind: 'bool', default: true, usage: 'Write a .tar.gz archive; false leaves a directory. Default true.' },
    {
      name: 'capture',
      kind: 'list',
      value: '<target>',
      usage: `What to capture (repeatable): ${DEBUG_TARGETS.join(', ')}. Default all.`,
    },
  ],
  async run({ flags, io, client }) {
    const durationMs = flags.number('duration');
    const intervalMs = flags.number('interval');
    if (intervalMs < DEBUG_MIN_INTERVAL_MS) {
      io.err(
        `Error: -interval must be at least ${formatDuration(DEBUG_MIN_INTERVAL_MS)}, received: ${formatDuration(intervalMs)}`,
      );
      return 1;
    }
    if (durationMs < DEBUG_MIN_DURATION_MS) {
      io.err(
        `Error: -duration must be at least ${formatDuration(DEBUG_MIN_DURATION_MS)}, received: ${formatDuration(durationMs)}`,
      );
      return 1;
    }
    const wanted = flags.list('capture');
    const unknown = wanted.filter((t) => !(DEBUG_TARGETS as readonly string[]).includes(t));
    if (unknown.length > 0) {
      io.err(`Error: -capture: unknown target "${unknown[0]}" (one of ${DEBUG_TARGETS.join(', ')})`);
      return 1;
    }
    const targets = new Set<DebugTarget>(wanted.length > 0 ? (wanted as DebugTarget[]) : DEBUG_TARGETS);
    const archive = flags.bool('archive');
    const output = flags.string('output') || `consul-debug-${Math.floor(Date.now() / 1000)}`;
    const target = archive ? `${output}.tar.gz` : output;
    if (existsSync(target)) {
      io.err(`Error: output ${target} already exists; choose another -output`);
      return 1;
    }
    io.out('==> Starting debugger and capturing static information...');
    io.out(`          Interval: '${formatDuration(intervalMs)}'`);
    io.out(`          Duration: '${formatDuration(durationMs)}'`);
    io.out(`            Output: '${target}'`);
    io.out(`           Capture: '${[...targets].join(', ')}'`);
    const stop = shutdownSignal(io.signal);
    let entries;
    try {
      const root = output.replace(/\/+$/, '').split('/').pop() || 'consul-debug';
      entries = await captureDebug({ client: client(), durationMs, intervalMs, targets, root, say: io.out, signal: stop.signal });
      if (stop.signal.aborted) io.out('==> Capture interrupted, saving what was captured');
    } catch (e) {
      io.err(`Error querying target agent: ${errorText(e)}`);
      return 1;
    } finally {
      stop.dispose();
    }
    try {
      if (archive) {
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, tarGz(entries), { mode: 0o600 });
        chmodSync(target, 0o600);
      } else {
        const base = dirname(output);
        for (const e of entries) {
          const path = join(base, e.name);
          if (e.name.endsWith('/')) mkdirSync(path, { recursive: true, mode: 0o700 });
          else {
            mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
            writeFileSync(path, e.data ?? '', { mode: 0o600 });
          }
        }
      }
    } catch (e) {
      io.err(`Error writing ${target}: ${(e as Error).message}`);
      return 1;
    }
    io.out(`Saved debug archive: ${target}`);
    return 0;
  },
});
