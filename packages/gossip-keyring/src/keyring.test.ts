import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GossipKeyring } from './keyring.js';
import { generateKey } from './keys.js';

describe('gossip-keyring', () => {
  it('generateKey gives 32 random bytes in base64 (consul keygen format)', () => {
    const a = generateKey();
    expect(Buffer.from(a, 'base64')).to.have.length(32);
    expect(a).to.have.length(44);
    expect(generateKey()).to.not.equal(a);
  });

  it('round-trips and rejects a wrong key, counting drops', () => {
    const k1 = new GossipKeyring(generateKey());
    const k2 = new GossipKeyring(generateKey());
    const sealed = k1.encrypt(Buffer.from('hello'));
    expect(Buffer.from(k1.decrypt(sealed)!).toString()).to.equal('hello');
    expect(k2.decrypt(sealed)).to.equal(undefined);
    expect(k2.decrypt(Buffer.from('plain text packet, not sealed at all'))).to.equal(undefined);
    expect(k2.dropped).to.equal(2);
    const tampered = Uint8Array.from(sealed);
    tampered[20]! ^= 1;
    expect(k1.decrypt(tampered)).to.equal(undefined);
  });

  it('rotates keys: install, use, remove; old traffic still opens until removed', async () => {
    const old = generateKey();
    const neu = generateKey();
    const ring = new GossipKeyring(old);
    const fromOld = ring.encrypt(Buffer.from('a'));
    await ring.installKey(neu);
    await ring.useKey(neu);
    expect(ring.listKeys().primary).to.equal(neu);
    expect(ring.decrypt(fromOld)).to.not.equal(undefined);
    await ring.removeKey(old);
    expect(ring.decrypt(fromOld)).to.equal(undefined);
    await ring.removeKey(neu).then(
      () => expect.fail('removed the primary'),
      (e: { code: string }) => expect(e.code).to.equal('GOSSIP_KEY_IS_PRIMARY'),
    );
  });

  it('rejects keys of the wrong size', () => {
    expect(() => new GossipKeyring(Buffer.alloc(16).toString('base64'))).to.throw(/32/);
    expect(() => new GossipKeyring('not base64!')).to.throw(/base64/);
  });

  it('persists to data_dir/serf/keyring and the file wins over the configured key on reload', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyring-'));
    try {
      const file = join(dir, 'serf', 'keyring');
      const k1 = generateKey();
      const ring = GossipKeyring.load(file, k1)!;
      const k2 = generateKey();
      await ring.installKey(k2);
      expect(JSON.parse(readFileSync(file, 'utf8'))).to.deep.equal({ primary: k1, keys: [k1, k2] });
      const again = GossipKeyring.load(file, generateKey())!;
      expect(again.listKeys()).to.deep.equal({ primary: k1, keys: [k1, k2] });
      expect(GossipKeyring.load(join(dir, 'none'), '')).to.equal(undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('gossip-keyring plugin: one keyring per pool on servers', () => {
  const bindingOf = async (server: boolean, dataDir: string) => {
    const { Container } = await import('inversify');
    const { GossipEncryption, NullLogger } = await import('@proconsul/kernel');
    const plugin = (await import('./index.js')).default;
    const c = new Container();
    const config = { server, dataDir, encrypt: generateKey() } as unknown as Parameters<typeof plugin.createModule>[1]['config'];
    await c.load(plugin.createModule({}, { config, logger: new NullLogger() } as Parameters<typeof plugin.createModule>[1]));
    return c.get<import('@proconsul/kernel').GossipEncryption>(GossipEncryption);
  };

  it("gives a server's WAN pool its own keyring file, first equal to the LAN one, changed apart", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-keyring-'));
    try {
      const lan = await bindingOf(true, dir);
      const wan = lan.wan!;
      expect(wan).to.not.equal(undefined);
      expect(wan.listKeys()).to.deep.equal(lan.listKeys());
      await lan.installKey(generateKey());
      expect(wan.listKeys().keys).to.have.length(1);
      expect(JSON.parse(readFileSync(join(dir, 'serf', 'remote.keyring'), 'utf8')).keys).to.have.length(1);
      expect(JSON.parse(readFileSync(join(dir, 'serf', 'keyring'), 'utf8')).keys).to.have.length(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a client agent has one keyring (it is in no WAN pool)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-keyring-'));
    try {
      expect((await bindingOf(false, dir)).wan).to.equal(undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
