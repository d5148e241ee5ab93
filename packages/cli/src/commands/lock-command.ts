import type { ChildProcess } from 'node:child_process';
import { errorText } from '../http-client.js';
import type { CliIo } from './support/cli-io.js';
import { spawnHandler, waitForExit } from './support/child-process.js';
import { attempt, defineCommand } from './support/define-command.js';
import { KvLock } from './support/kv-lock.js';
import { KvSemaphore } from './support/kv-semaphore.js';
import { shutdownSignal } from './support/shutdown-signal.js';

/**
 * Time a child gets between SIGTERM and SIGKILL once the lock is lost (Consul: 5s, balanced
 * against the 15s lock-delay so no two children act as holders for long).
 */
const KILL_GRACE_MS = 5_000;
/** Key under the prefix, shared with semaphores so mixing the two is detected (api.DefaultSemaphoreKey). */
const LOCK_KEY = '.lock';

export const lockCommand = defineCommand({
  name: 'lock',
  synopsis: 'Execute a command holding a lock',
  usage: 'lock [options] prefix child...',
  description: `Acquires a lock at the given KV prefix and runs the child process while it is
held (CONSUL_LOCK_HELD=true in its environment). If the lock is lost or
communication is disrupted, the child is sent SIGTERM and, after a grace
period, SIGKILL. SIGINT/SIGTERM to this process are forwarded to the child;
the lock is released and its session destroyed when the child exits.
With -n greater than 1 it is a semaphore: up to n children run at once.`,
  http: 'server',
  flags: [
    {
      name: 'child-exit-code',
      kind: 'bool',
      usage: 'Exit 2 if the child process exited with an error. The default value is false.',
    },
    {
      name: 'monitor-retry',
      kind: 'int',
      value: '<n>',
      default: 3,
      usage: 'Number of times to retry if the agent returns a 500 error while monitoring the lock. Default 3.',
    },
    {
      name: 'n',
      kind: 'int',
      value: '<n>',
      default: 1,
      usage:
        'Optional limit on the number of concurrent lock holders. The underlying implementation switches from a lock to a semaphore when increased past one. The default value is 1.',
    },
    {
      name: 'name',
      kind: 'string',
      value: '<name>',
      usage: 'Name to associate with the lock session; generated from the child command if not provided.',
    },
    { name: 'pass-stdin', kind: 'bool', usage: 'Pass stdin to the child process.' },
    {
      name: 'shell',
      kind: 'bool',
      default: true,
      usage: 'Use a shell to run the command (SHELL env var or /bin/sh). Default true.',
    },
    {
      name: 'timeout',
      kind: 'duration',
      value: '<duration>',
      usage: 'Maximum amount of time to wait to acquire the lock, like "1s" or "3h". The default value is 0 (forever).',
    },
    { name: 'try', kind: 'duration', value: '<duration>', usage: 'DEPRECATED. Use -timeout instead.' },
    { name: 'verbose', kind: 'bool', usage: 'Enable verbose (debugging) output.' },
  ],
  async run({ flags, args, io, client }) {
    const limit = flags.number('n');
    if (limit <= 0) {
      io.err('Lock holder limit must be positive');
      return 1;
    }
    if (args.length < 2) {
      io.err('Key prefix and child command must be specified');
      return 1;
    }
    const prefix = args[0]!.replace(/^\/+/, '');
    const child = args.slice(1);
    const timeoutMs = flags.given.has('timeout') ? flags.number('timeout') : flags.number('try');
    if (timeoutMs < 0) {
      io.err('Timeout must be positive');
      return 1;
    }
    const retries = flags.number('monitor-retry');
    if (retries < 0) {
      io.err("Number for 'monitor-retry' must be >= 0");
      return 1;
    }
    const verbose = flags.bool('verbose');
    const info = (m: string) => verbose && io.out(m);
    const self = await attempt(io, 'Error querying Consul agent', () => client().get('/v1/agent/self'));
    if (!self.ok) return 1;

    const base = prefix.replace(/\/+$/, '');
    const sessionName = flags.string('name') || `Consul lock for '${child.join(' ')}' at '${prefix}'`;
    let lock: KvLock | KvSemaphore;
    if (limit === 1) {
      const key = base ? `${base}/${LOCK_KEY}` : LOCK_KEY;
      info(`Setting up lock at path: ${key}`);
      lock = new KvLock(client(), { key, sessionName, timeoutMs, monitorRetries: retries });
    } else {
      info(`Setting up semaphore (limit ${limit}) at prefix: ${base}`);
      lock = new KvSemaphore(client(), { prefix: base, limit, sessionName, timeoutMs, monitorRetries: retries });
    }
    const stop = shutdownSignal((io as CliIo).signal);
    try {
      info('Attempting lock acquisition');
      let held: boolean;
      try {
        held = await lock.acquire(stop.signal);
      } catch (e) {
        io.err(`Lock acquisition failed: ${errorText(e)}`);
        await lock.release().catch(() => undefined);
        return 1;
      }
      if (!held) {
        io.err('Shutdown triggered or timeout during lock acquisition');
        await lock.release().catch(() => undefined);
        return 1;
      }
      let code = 0;
      if (stop.signal.aborted) {
        io.err('Shutdown triggered during lock acquisition');
      } else {
        info('Starting handler');
        code = await runChild(child, flags.bool('shell'), flags.bool('pass-stdin'), io, lock, stop, info);
      }
      try {
        await lock.release();
        info('Cleanup succeeded');
      } catch (e) {
        io.err(`Lock release failed: ${errorText(e)}`);
        return 1;
      }
      return flags.bool('child-exit-code') && code !== 0 ? 2 : 0;
    } finally {
      stop.dispose();
    }
  },
});

/** Runs the child while the lock is held; returns its exit code (non-zero when it was killed). */
async function runChild(
  args: readonly string[],
  shell: boolean,
  passStdin: boolean,
  io: CliIo,
  lock: KvLock | KvSemaphore,
  stop: ReturnType<typeof shutdownSignal>,
  info: (m: string) => void,
): Promise<number> {
  let proc: ChildProcess;
  try {
    proc = spawnHandler(args, {
      shell,
      env: { ...process.env, ...io.env, CONSUL_LOCK_HELD: 'true' },
      stdio: [passStdin ? 'inherit' : 'ignore', 'inherit', 'inherit'],
    });
  } catch (e) {
    io.err(`Error starting handler: ${(e as Error).message}`);
    return 1;
  }
  const exited = waitForExit(proc).catch((e: Error) => {
    io.err(`Error starting handler: ${e.message}`);
    return 1;
  });
  const terminate = async (signal: NodeJS.Signals) => {
    proc.kill(signal);
    const grace = setTimeout(() => {
      info(`Killing child pid ${proc.pid}`);
      proc.kill('SIGKILL');
    }, KILL_GRACE_MS);
    try {
      return await exited;
    } finally {
      clearTimeout(grace);
    }
  };
  const onStop = new Promise<'stop'>((r) => stop.signal.addEventListener('abort', () => r('stop'), { once: true }));
  const outcome = await Promise.race([
    exited.then((c) => ({ kind: 'exit' as const, code: c })),
    lock.lost.then((why) => ({ kind: 'lost' as const, why })),
    onStop.then(() => ({ kind: 'stop' as const })),
  ]);
  if (outcome.kind === 'exit') {
    if (outcome.code !== 0) io.err(`Error running handler: exit status ${outcome.code}`);
    info('Child terminated, releasing lock');
    return outcome.code;
  }
  if (outcome.kind === 'lost') {
    info(`Lock lost (${outcome.why}), killing child`);
    return terminate('SIGTERM');
  }
  // Forward the signal we got (SIGINT or SIGTERM); an aborted caller signal counts as SIGTERM.
  info('Shutdown triggered, killing child');
  return terminate(stop.received() ?? 'SIGTERM');
}
