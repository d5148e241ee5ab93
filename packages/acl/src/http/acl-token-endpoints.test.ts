import { expect } from 'chai';
import type { ClusterRpcPort, HttpRequest } from '@proconsul/kernel';
import { aclTokenEndpoints } from './acl-token-endpoints.js';

const meta = { index: 5, knownLeader: true, lastContactMs: 0 };

/**
 * An update keeps the stored SecretID. If the token it read back had been redacted (a
 * server-side filter applied to an acl:write caller by mistake), writing it would replace
 * the real secret with "<hidden>": the update must refuse instead.
 */
describe('PUT /v1/acl/token/:id with a redacted read', () => {
  it('refuses to store "<hidden>" as the secret', async () => {
    const writes: unknown[] = [];
    const rpc = {
      read: async () => ({
        meta,
        value: {
          AccessorID: '11111111-2222-4333-8444-555555555555',
          SecretID: '<hidden>',
          Description: '',
          Policies: [],
          Roles: [],
          ServiceIdentities: [],
          NodeIdentities: [],
          Local: false,
          CreateTime: new Date().toISOString(),
          Hash: '',
          CreateIndex: 1,
          ModifyIndex: 1,
        },
      }),
      write: async (c: unknown) => {
        writes.push(c);
        return { index: 6, value: c };
      },
    } as unknown as ClusterRpcPort;
    const authorizer = { resolve: async () => ({ accessorId: 'm', allowed: () => true }) };
    const update = aclTokenEndpoints({ rpc, authorizer }).find((e) => e.method === 'PUT' && e.path === '/v1/acl/token/:id')!;
    const req: HttpRequest = {
      method: 'PUT',
      path: '/v1/acl/token/11111111-2222-4333-8444-555555555555',
      params: { id: '11111111-2222-4333-8444-555555555555' },
      query: new URLSearchParams(),
      headers: {},
      body: Buffer.from('{"Description":"x"}'),
      token: 'root',
      signal: new AbortController().signal,
    };
    let err: unknown;
    await update.handle(req).catch((e: unknown) => (err = e));
    expect((err as Error | undefined)?.message).to.contain('redacted SecretID');
    expect(writes).to.deep.equal([]);
  });
});
