import { expect } from 'chai';
import type { ClusterRpcPort, Command } from '@proconsul/kernel';
import { reapExpiredTokens } from './token-reaper.js';

describe('reapExpiredTokens', () => {
  it('deletes exactly the tokens whose ExpirationTime has passed', async () => {
    const now = Date.parse('2026-12-02T12:00:00Z');
    const writes: Command[] = [];
    const rpc = {
      read: async () => ({
        meta: { index: 1 },
        value: [
          { AccessorID: 'old', ExpirationTime: '2026-12-02T11:59:00Z' },
          { AccessorID: 'fresh', ExpirationTime: '2026-12-02T12:30:00Z' },
          { AccessorID: 'forever' },
        ],
      }),
      write: async (c: Command) => {
        writes.push(c);
        return { index: 2, value: true };
      },
    } as unknown as ClusterRpcPort;
    expect(await reapExpiredTokens(rpc, now)).to.equal(1);
    expect(writes).to.deep.equal([{ v: 1, type: 'acl-token-delete', AccessorID: 'old' }]);
  });
});
