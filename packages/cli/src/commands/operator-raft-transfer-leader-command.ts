import { attempt, defineCommand } from './support/define-command.js';

export const operatorRaftTransferLeaderCommand = defineCommand({
  name: 'transfer-leader',
  synopsis: 'Transfer raft leadership to another node',
  usage: 'operator raft transfer-leader [options]',
  description: 'Transfer raft leadership to another node (-id), or to any other voter.',
  http: 'server',
  flags: [{ name: 'id', kind: 'string', value: '<id>', usage: 'The ID of the node to transfer leadership to.' }],
  async run({ flags, io, client }) {
    const query = { id: flags.string('id') || undefined };
    const r = await attempt(io, 'Error transfering leadership: Failed to transfer leadership', () =>
      client().post('/v1/operator/raft/transfer-leader', { query }),
    );
    if (!r.ok) return 1;
    if (!r.value.json<{ Success?: boolean }>().Success) {
      io.err('Error transfering leadership: Failed to transfer leadership');
      return 1;
    }
    io.out('Success');
    return 0;
  },
});
