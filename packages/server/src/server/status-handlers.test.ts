import { expect } from 'chai';
import { AS_SERVER, type Consensus, type RaftServer } from '@proconsul/kernel';
import { statusHandlers } from './status-handlers.js';

describe('Status.Peers / Status.Leader server handlers', () => {
  const servers: RaftServer[] = [
    { id: 'a', node: 's1', address: '127.0.15.1:8300', suffrage: 'voter' },
    { id: 'b', node: 's2', address: '127.0.15.2:8300', suffrage: 'voter' },
    { id: 'c', node: 's3', address: '127.0.15.3:8300', suffrage: 'nonvoter' },
  ];
  const consensus = { configuration: () => servers, leader: () => servers[0] } as unknown as Consensus;
  const handler = (name: string) => statusHandlers(() => consensus).find((h) => h.name === name)!;

  it('lists every raft server, non-voters included, as Consul does', async () => {
    expect(await handler('Status.Peers').handle(null, AS_SERVER)).to.deep.equal([
      '127.0.15.1:8300',
      '127.0.15.2:8300',
      '127.0.15.3:8300',
    ]);
  });

  it('names the leader by its server address, or "" without consensus', async () => {
    expect(await handler('Status.Leader').handle(null, AS_SERVER)).to.equal('127.0.15.1:8300');
    expect(await statusHandlers(() => undefined)[0]!.handle(null, AS_SERVER)).to.equal('');
  });
});
