import { attempt, defineCommand } from './support/define-command.js';

export const operatorRaftRemovePeerCommand = defineCommand({
  name: 'remove-peer',
  synopsis: 'Remove a server from the Raft configuration',
  usage: 'operator raft remove-peer [options]',
  description: `Remove the server with the given -id or -address from the Raft configuration.
Prefer "force-leave" if the server still shows in "members".`,
  http: 'server',
  flags: [
    { name: 'address', kind: 'string', value: '<addr>', usage: 'The address to remove from the Raft configuration.' },
    { name: 'id', kind: 'string', value: '<id>', usage: 'The ID to remove from the Raft configuration.' },
  ],
  async run({ flags, io, client }) {
    const address = flags.string('address');
    const id = flags.string('id');
    if (!address && !id) {
      io.err('Error removing peer: an address or id is required for the peer to remove');
      return 1;
    }
    if (address && id) {
      io.err('Error removing peer: cannot give both an address and id');
      return 1;
    }
    const query = address ? { address } : { id };
    const r = await attempt(io, 'Error removing peer', () => client().delete('/v1/operator/raft/peer', { query }));
    if (!r.ok) return 1;
    io.out(address ? `Removed peer with address "${address}"` : `Removed peer with id "${id}"`);
    return 0;
  },
});
