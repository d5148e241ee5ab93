import { errorText } from '../http-client.js';
import { defineCommand } from './support/define-command.js';
import { shutdownSignal } from './support/shutdown-signal.js';

export const monitorCommand = defineCommand({
  name: 'monitor',
  synopsis: 'Stream logs from a Proconsul agent',
  usage: 'monitor [options]',
  description: `Shows recent log messages of an agent and follows them until interrupted. The
level can be lower than the agent's own log_level.`,
  http: 'client',
  flags: [
    {
      name: 'log-level',
      kind: 'string',
      value: '<level>',
      default: 'info',
      usage: 'Log level: trace, debug, info, warn, error.',
    },
    { name: 'log-json', kind: 'bool', usage: 'Output logs in JSON format. The default value is false.' },
  ],
  async run({ flags, io, client }) {
    const stop = shutdownSignal(io.signal);
    try {
      const query = { loglevel: flags.string('log-level'), logjson: flags.bool('log-json') || undefined };
      for await (const line of client().lines('/v1/agent/monitor', query, stop.signal)) io.out(line);
      return 0;
    } catch (e) {
      io.err(`Error starting monitor: ${errorText(e)}`);
      return 1;
    } finally {
      stop.dispose();
    }
  },
});
