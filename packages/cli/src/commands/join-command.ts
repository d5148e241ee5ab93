import { errorText } from '../http-client.js';
import { defineCommand } from './support/define-command.js';

export const joinCommand = defineCommand({
  name: 'join',
  synopsis: 'Tell the agent to join a cluster',
  usage: 'join [options] address ...',
  description: 'Tells a running agent to join the cluster by contacting the given addresses.',
  http: 'client',
  flags: [{ name: 'wan', kind: 'bool', usage: 'Joins a server to another server in the WAN pool.' }],
  async run({ flags, args, io, client }) {
    if (args.length === 0) {
      io.err('At least one address to join must be specified.');
      return 1;
    }
    let joined = 0;
    for (const addr of args) {
      try {
        await client().put(`/v1/agent/join/${addr}`, { query: { wan: flags.bool('wan') ? '1' : undefined } });
        joined++;
      } catch (e) {
        io.err(`Error joining address '${addr}': ${errorText(e)}`);
      }
    }
    if (joined === 0) {
      io.err('Failed to join any nodes.');
      return 1;
    }
    io.out(`Successfully joined cluster by contacting ${joined} nodes.`);
    return 0;
  },
});
