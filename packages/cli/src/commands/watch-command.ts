import { errorText } from '../http-client.js';
import type { CliIo } from './support/cli-io.js';
import { runWatchHandler, sleep } from './support/child-process.js';
import { attempt, defineCommand } from './support/define-command.js';
import { shutdownSignal } from './support/shutdown-signal.js';
import { fetchWatch, nextWaitIndex, planWatch } from './support/watch-plan.js';
import { planStreamWatch, runStreamWatch } from './support/stream-watch.js';

/** Back-off after a failed poll; Consul's watch plan retries on errors instead of exiting. */
const RETRY_BASE_MS = 1000;
const RETRY_MAX_MS = 20_000;

export const watchCommand = defineCommand({
  name: 'watch',
  synopsis: 'Watch for changes in Proconsul',
  usage: 'watch [options] [child...]',
  description: `Watches for changes in a given data view. If a child process is specified,
it is invoked with the latest results (JSON on stdin, CONSUL_INDEX in its
environment) on each change. Otherwise the current value is printed to stdout
and the watch terminates. -type is required.`,
  http: 'server',
  flags: [
    { name: 'key', kind: 'string', value: '<key>', usage: "Specifies the key to watch. Only for 'key' type." },
    { name: 'name', kind: 'string', value: '<name>', usage: "Specifies an event name to watch. Only for 'event' type." },
    {
      name: 'passingonly',
      kind: 'string',
      value: '<true|false>',
      usage: "Only hosts passing all checks. Optional for 'service' type. Defaults false.",
    },
    { name: 'prefix', kind: 'string', value: '<prefix>', usage: "Specifies the key prefix to watch. Only for 'keyprefix' type." },
    {
      name: 'service',
      kind: 'string',
      value: '<service>',
      usage: "Service to watch. Required for 'service' type, optional for 'checks' type.",
    },
    {
      name: 'shell',
      kind: 'bool',
      default: true,
      usage: 'Use a shell to run the handler (SHELL env var or /bin/sh). Default true.',
    },
    { name: 'state', kind: 'string', value: '<state>', usage: "Specifies the states to watch. Optional for 'checks' type." },
    {
      name: 'stream',
      kind: 'bool',
      usage:
        'Follow /v1/stream (a Proconsul change stream) instead of blocking queries: one JSON line per change, or the handler run per change. Types keyprefix, service, services and all (everything the token may read).',
    },
    {
      name: 'tag',
      kind: 'string',
      value: '<tag>',
      usage: "Specifies the service tag to filter on. Optional for 'service' type.",
    },
    {
      name: 'type',
      kind: 'string',
      value: '<type>',
      usage: 'The watch type: key, keyprefix, services, nodes, service, checks or event.',
    },
  ],
  async run({ flags, args, io, client }) {
    const type = flags.string('type');
    if (!type) {
      io.err(`Watch type must be specified\n\n${watchCommand.help}`);
      return 1;
    }
    if (flags.bool('stream')) {
      let streamPlan;
      try {
        streamPlan = planStreamWatch({
          type,
          prefix: flags.given.has('prefix') ? flags.string('prefix') : undefined,
          service: flags.string('service') || undefined,
          passingonly: flags.string('passingonly') || undefined,
        });
      } catch (e) {
        io.err((e as Error).message);
        return 1;
      }
      return runStreamWatch(streamPlan, client(), io as CliIo, { args, shell: flags.bool('shell') });
    }
    let plan;
    try {
      plan = planWatch({
        type,
        key: flags.string('key') || undefined,
        prefix: flags.given.has('prefix') ? flags.string('prefix') : undefined,
        service: flags.string('service') || undefined,
        tag: flags.string('tag') || undefined,
        passingonly: flags.string('passingonly') || undefined,
        state: flags.string('state') || undefined,
        name: flags.string('name') || undefined,
      });
    } catch (e) {
      io.err((e as Error).message);
      return 1;
    }
    const self = await attempt(io, 'Error querying Consul agent', () => client().get('/v1/agent/self'));
    if (!self.ok) return 1;

    if (args.length === 0) {
      const r = await attempt(io, 'Error querying Consul agent', () => fetchWatch(client(), plan, 0));
      if (!r.ok) return 1;
      io.out(JSON.stringify(r.value.data, null, 4));
      return 0;
    }

    const stop = shutdownSignal((io as CliIo).signal);
    try {
      let index = 0;
      let lastFired: number | undefined;
      let failures = 0;
      while (!stop.signal.aborted) {
        let result;
        try {
          result = await fetchWatch(client(), plan, index, stop.signal);
          failures = 0;
        } catch (e) {
          if (stop.signal.aborted) break;
          failures++;
          const delay = Math.min(RETRY_BASE_MS * 2 ** (failures - 1), RETRY_MAX_MS);
          io.err(`Watch errored: ${errorText(e)}, retry in ${delay / 1000}s`);
          await sleep(delay, stop.signal);
          continue;
        }
        index = nextWaitIndex(index, result.index);
        // Consul fires when the index moves, not on content: handlers must be idempotent.
        if (lastFired !== undefined && result.index === lastFired) continue;
        lastFired = result.index;
        const failed = await runWatchHandler(
          args,
          { shell: flags.bool('shell'), env: { ...process.env, ...io.env, CONSUL_INDEX: String(result.index) } },
          JSON.stringify(result.data) + '\n',
        );
        if (failed) {
          io.err(failed);
          return 1;
        }
      }
      return 0;
    } finally {
      stop.dispose();
    }
  },
});
