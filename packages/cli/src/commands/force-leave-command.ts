import { attempt, defineCommand } from './support/define-command.js';

export const forceLeaveCommand = defineCommand({
  name: 'force-leave',
  synopsis: 'Forces a member of the cluster to enter the "left" state',
  usage: 'force-leave [options] name',
  description: `Forces a member of the cluster to enter the "left" state. If the node is
still alive, it will eventually rejoin. With -prune it is removed from the
member list entirely.`,
  http: 'client',
  flags: [
    { name: 'prune', kind: 'bool', usage: 'Remove agent forcibly from list of members.' },
    { name: 'wan', kind: 'bool', usage: 'Exclusively leave the agent from the WAN serf pool.' },
  ],
  async run({ flags, args, io, client }) {
    if (args.length !== 1) {
      io.err('A single node name must be specified to force leave.');
      return 1;
    }
    const query = { prune: flags.bool('prune') ? '1' : undefined, wan: flags.bool('wan') ? '1' : undefined };
    const r = await attempt(io, 'Error force leaving', () => client().put(`/v1/agent/force-leave/${args[0]}`, { query }));
    return r.ok ? 0 : 1;
  },
});
