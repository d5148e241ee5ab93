import { attempt, defineCommand } from './support/define-command.js';

export const reloadCommand = defineCommand({
  name: 'reload',
  synopsis: 'Triggers the agent to reload configuration files',
  usage: 'reload [options]',
  description: 'Causes the agent to reload configurations (services, checks, watches, log level).',
  http: 'client',
  flags: [],
  async run({ io, client }) {
    const r = await attempt(io, 'Error reloading', () => client().put('/v1/agent/reload'));
    if (!r.ok) return 1;
    io.out('Configuration reload triggered');
    return 0;
  },
});
