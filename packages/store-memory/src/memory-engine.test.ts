import { expect } from 'chai';
import { runStorageConformance } from '@proconsul/kernel/testing';
import plugin, { MemoryEngine } from './index.js';

runStorageConformance('memory', async () => ({ engine: new MemoryEngine(), cleanup: async () => {} }));

describe('store-memory plugin', () => {
  it('declares the storage capability, rejects unknown config keys, and is not durable', () => {
    expect(plugin.manifest.provides).to.deep.equal(['storage']);
    expect(plugin.manifest.configSchema).to.include({ additionalProperties: false });
    const engine = new MemoryEngine();
    expect(engine.kind).to.equal('memory');
    expect(engine.durable).to.equal(false);
  });

  it("keeps a closed store's data for the next open of that name within one engine", async () => {
    const engine = new MemoryEngine();
    const a = await engine.open('x');
    await a.write([{ type: 'put', key: new Uint8Array([1]), value: new Uint8Array([2]) }], { durable: false });
    await a.close();
    const b = await engine.open('x');
    expect([...(await b.get(new Uint8Array([1])))!]).to.deep.equal([2]);
    expect(await (await new MemoryEngine().open('x')).get(new Uint8Array([1]))).to.equal(undefined);
  });
});
