import { expect } from 'chai';
import type { UserEvents } from '../../events/user-events.js';
import type { Authorizer, ClusterRpcPort as ClusterRpc } from '@proconsul/kernel';
import { parseWatch } from './watch-definition.js';
import { watchSource } from './watch-queries.js';

const rpc = {
  read: async (q: string) => ({
    meta: { index: 7 },
    value:
      q === 'KVS.List'
        ? [{ Key: 'app/a' }, { Key: 'secret/b' }]
        : q === 'Catalog.ListServices'
          ? { web: [], db: [] }
          : { Key: 'secret/b' },
  }),
} as unknown as ClusterRpc;

describe('watches with ACLs', () => {
  const asked: (string | undefined)[] = [];
  const authorizer: Authorizer = {
    resolve: async (secret) => {
      asked.push(secret);
      return { accessorId: 'w', allowed: (res, seg) => (res === 'key' ? seg.startsWith('app/') : seg === 'web') };
    },
  };
  const src = (raw: Record<string, unknown>) =>
    watchSource(parseWatch({ handler_type: 'script', args: ['true'], ...raw }, 0, 'dc1'), {
      rpc,
      events: {} as UserEvents,
      authorizer,
    });

  it('hand the handler only what the watch token may read, as the HTTP API would', async () => {
    const signal = new AbortController().signal;
    expect((await src({ type: 'keyprefix', prefix: '', token: 'tok' }).fetch(0n, signal)).result).to.deep.equal([
      { Key: 'app/a' },
    ]);
    expect((await src({ type: 'key', key: 'secret/b' }).fetch(0n, signal)).result).to.equal(null);
    expect((await src({ type: 'services' }).fetch(0n, signal)).result).to.deep.equal({ web: [] });
    // The watch's own token, else (undefined) the agent's default token.
    expect(asked).to.deep.equal(['tok', undefined, undefined]);
  });
});
