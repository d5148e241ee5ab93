import { expect } from 'chai';
import { AllowAllAuthorizer, NullLogger, buildRuntimeConfig, type ClusterRpc, type GossipEncryption } from '@proconsul/kernel';
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
});
