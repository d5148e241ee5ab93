import { attempt, defineCommand } from './support/define-command.js';

export const leaveCommand = defineCommand({
  name: 'leave',
  synopsis: 'Gracefully leaves the cluster and shuts down',
  usage: 'leave [options]',
  description: 'Causes the agent to gracefully leave the cluster and shut down.',
  http: 'client',
  flags: [],
  async run({ args, io, client }) {
    if (args.length > 0) {
      io.err(`Error found unexpected args: [${args.join(' ')}]`);
      return 1;
    }
    const r = await attempt(io, 'Error leaving', () => client().put('/v1/agent/leave'));
    if (!r.ok) return 1;
    io.out('Graceful leave complete');
    return 0;
  },
});
