import { expect } from 'chai';
import {
  AllowAllAuthorizer,
  NullLogger,
  type GossipEncryption,
  type KeyringOp,
  type KeyringPoolResult,
  type Membership,
} from '@proconsul/kernel';
import { buildRuntimeConfig } from '@proconsul/config';
import type { ClusterRpc } from '@proconsul/server';
import { createHttpApp } from '../http-app.js';
import { injectHttp } from '../inject.js';
import { keyringEndpoints } from './keyring-endpoints.js';

class FakeKeyring implements GossipEncryption {
  primary = 'a2V5LW9uZS1rZXktb25lLWtleS1vbmUta2V5LW9uZS0=';
  keys = [this.primary];
  encrypt(p: Uint8Array): Uint8Array {
    return p;
  }
  decrypt(p: Uint8Array): Uint8Array {
    return p;
  }
  listKeys() {
    return { primary: this.primary, keys: this.keys };
  }
  async installKey(k: string) {
    if (!this.keys.includes(k)) this.keys.push(k);
  }
  async useKey(k: string) {
    this.primary = k;
  }
  async removeKey(k: string) {
    this.keys = this.keys.filter((x) => x !== k);
  }
}

describe('/v1/operator/keyring', () => {
  const config = buildRuntimeConfig({ dev: true, sources: [], warn: () => {} });
  const deps = { config, rpc: {} as ClusterRpc, authorizer: new AllowAllAuthorizer() };

  it('lists, installs, uses and removes keys in Consul shapes', async () => {
    const ring = new FakeKeyring();
    const app = createHttpApp(keyringEndpoints(deps, ring, undefined), new NullLogger());
    const second = 'c2Vjb25kLWtleS1zZWNvbmQta2V5LXNlY29uZC1rZXk=';
    expect((await injectHttp(app, { method: 'POST', url: '/v1/operator/keyring', body: { Key: second } })).status).to.equal(200);
    expect((await injectHttp(app, { method: 'PUT', url: '/v1/operator/keyring', body: { key: second } })).status).to.equal(200);
    const list = (await injectHttp(app, { url: '/v1/operator/keyring' })).json<
      { WAN: boolean; Keys: Record<string, number>; PrimaryKeys: Record<string, number> }[]
    >();
    expect(list.map((p) => p.WAN)).to.deep.equal([false, true]);
    expect(Object.keys(list[0]!.Keys)).to.have.members([ring.keys[0]!, second]);
    expect(list[0]!.PrimaryKeys).to.deep.equal({ [second]: 1 });
    await injectHttp(app, { method: 'DELETE', url: '/v1/operator/keyring', body: { Key: ring.keys[0] } });
    expect(ring.keys).to.deep.equal([second]);
  });

  it('is a 400 without a key body or without encryption', async () => {
    const app = createHttpApp(keyringEndpoints(deps, new FakeKeyring(), undefined), new NullLogger());
    expect((await injectHttp(app, { method: 'POST', url: '/v1/operator/keyring', body: {} })).status).to.equal(400);
    const off = createHttpApp(keyringEndpoints(deps, undefined, undefined), new NullLogger());
    const r = await injectHttp(off, { url: '/v1/operator/keyring' });
    expect(r.status).to.equal(400);
    expect(r.text).to.contain('encrypt');
  });

  it('fans changes out through the membership and names members that refused or stayed silent (500)', async () => {
    const calls: [KeyringOp, string | undefined, boolean | undefined][] = [];
    let answer: KeyringPoolResult[] = [];
    const membership = {
      keyring: async (op: KeyringOp, key?: string, localOnly?: boolean) => {
        calls.push([op, key, localOnly]);
        return answer;
      },
    } as unknown as Membership;
    const app = createHttpApp(keyringEndpoints(deps, new FakeKeyring(), membership), new NullLogger());
    const pool = (p: 'lan' | 'wan', extra: Partial<KeyringPoolResult> = {}): KeyringPoolResult => ({
      pool: p,
      numNodes: 3,
      numResp: 3,
      numErr: 0,
      messages: {},
      keys: { k1: 3, k2: 2 },
      primaryKeys: { k1: 3 },
      ...extra,
    });
    answer = [pool('lan'), pool('wan')];
    const list = (await injectHttp(app, { url: '/v1/operator/keyring?local-only=true' })).json<Record<string, unknown>[]>();
    expect(list[0]).to.deep.equal({
      WAN: false,
      Datacenter: 'dc1',
      Segment: '',
      Keys: { k1: 3, k2: 2 },
      PrimaryKeys: { k1: 3 },
      NumNodes: 3,
    });
    expect(calls[0]).to.deep.equal(['list', undefined, true]);
    expect((await injectHttp(app, { method: 'POST', url: '/v1/operator/keyring', body: { Key: 'k3' } })).status).to.equal(200);
    expect(calls[1]).to.deep.equal(['install', 'k3', false]);

    answer = [pool('lan', { numErr: 1, messages: { n3: 'Requested key is not in the keyring.' } }), pool('wan', { numResp: 2 })];
    const r = await injectHttp(app, { method: 'PUT', url: '/v1/operator/keyring', body: { Key: 'k2' } });
    expect(r.status).to.equal(500);
    expect(r.text).to.contain('dc1 (LAN) error: 1/3 nodes reported failure');
    expect(r.text).to.contain('n3: Requested key is not in the keyring.');
    expect(r.text).to.contain('WAN error: 2/3 nodes reported success');
    // A list still answers with the counts when a member is down.
    expect((await injectHttp(app, { url: '/v1/operator/keyring' })).status).to.equal(200);
    const bad = await injectHttp(app, { url: '/v1/operator/keyring?relay-factor=9' });
    expect([bad.status, bad.text]).to.deep.equal([400, 'Relay factor must be in range: [0, 5]']);
  });

  it('reaches every other datacenter through one of its servers, with the caller token; an unreachable one is named', async () => {
    const seen: { name: string; args: unknown; token: unknown; dc: string | undefined }[] = [];
    const ring = (pool: 'lan' | 'wan', keys: Record<string, number>): KeyringPoolResult => ({
      pool,
      numNodes: 2,
      numResp: 2,
      numErr: 0,
      messages: {},
      keys,
      primaryKeys: keys,
    });
    const rpc = {
      serverCall: async (
        name: string,
        args: { pools?: string[] },
        caller: { token?: string },
        target?: { datacenter?: string },
      ) => {
        if (name === 'Catalog.ListDatacenters') return ['dc1', 'dc2', 'dc3'];
        seen.push({ name, args, token: caller.token, dc: target?.datacenter });
        if (target?.datacenter === 'dc3') throw new Error('Remote DC has no server currently reachable');
        return [ring(args.pools?.[0] === 'wan' ? 'wan' : 'lan', { k1: 2 })];
      },
    } as unknown as ClusterRpc;
    // A server: its own LAN and WAN pools; each other datacenter's LAN pool through a server there.
    const server = { keyring: async () => [ring('lan', { k1: 5 }), ring('wan', { k1: 3 })] } as unknown as Membership;
    const app = createHttpApp(keyringEndpoints({ ...deps, rpc }, new FakeKeyring(), server), new NullLogger());
    type Listed = { WAN: boolean; Datacenter: string; Keys: Record<string, number> };
    const list = (await injectHttp(app, { url: '/v1/operator/keyring', headers: { 'X-Consul-Token': 'op' } })).json<Listed[]>();
    expect(list.map((l) => [l.Datacenter, l.WAN, l.Keys['k1'] ?? 0])).to.deep.equal([
      ['dc1', false, 5],
      ['dc1', true, 3],
      ['dc2', false, 2],
      ['dc3', false, 0],
    ]);
    expect(seen.map((c) => [c.name, c.dc, c.token, c.args])).to.deep.equal([
      ['Internal.KeyringList', 'dc2', 'op', { op: 'list', key: undefined, pools: ['lan'] }],
      ['Internal.KeyringList', 'dc3', 'op', { op: 'list', key: undefined, pools: ['lan'] }],
    ]);
    const r = await injectHttp(app, { method: 'POST', url: '/v1/operator/keyring', body: { Key: 'k9' } });
    expect(r.status).to.equal(500);
    expect(r.text).to.contain('dc3 (LAN) error: 1/1 nodes reported failure');
    expect(r.text).to.contain('Remote DC has no server currently reachable');
    expect(seen.at(-2)).to.deep.include({
      name: 'Internal.KeyringOperation',
      dc: 'dc2',
      args: { op: 'install', key: 'k9', pools: ['lan'] },
    });
    // ?local-only stays on this agent.
    const before = seen.length;
    await injectHttp(app, { url: '/v1/operator/keyring?local-only' });
    expect(seen.length).to.equal(before);

    // A client agent is in no WAN pool: a server of its own datacenter covers that part.
    seen.length = 0;
    const client = { keyring: async () => [ring('lan', { k1: 4 })] } as unknown as Membership;
    const viaClient = createHttpApp(keyringEndpoints({ ...deps, rpc }, new FakeKeyring(), client), new NullLogger());
    const fromClient = (await injectHttp(viaClient, { url: '/v1/operator/keyring' })).json<Listed[]>();
    expect(fromClient.map((l) => [l.Datacenter, l.WAN])).to.deep.equal([
      ['dc1', false],
      ['dc1', true],
      ['dc2', false],
      ['dc3', false],
    ]);
    expect(seen[0]).to.deep.include({
      name: 'Internal.KeyringList',
      dc: undefined,
      args: { op: 'list', key: undefined, pools: ['wan'] },
    });
  });
});
