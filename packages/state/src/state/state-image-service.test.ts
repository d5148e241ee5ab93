import { expect } from 'chai';
import { StateImageService } from './state-image-service.js';
import { StateStore } from './state-store.js';
import { text } from './state-test-fixtures.js';

function storeWith(keys: Record<string, string>, from = 1): StateStore {
  const store = new StateStore();
  let i = from;
  for (const [Key, v] of Object.entries(keys)) store.apply(i++, { v: 1, type: 'kv-set', Key, Value: Buffer.from(v) });
  return store;
}

async function bytesOf(store: StateStore): Promise<Buffer[]> {
  const image = new StateImageService(store).capture();
  const out: Buffer[] = [];
  for await (const c of image.chunks()) out.push(Buffer.from(c));
  image.release();
  return out;
}

async function* from(chunks: Buffer[]): AsyncGenerator<Buffer> {
  yield* chunks;
}

describe('StateImageService', () => {
  it('captures counts, stages without touching the live state, installs with an index floor, and undoes', async () => {
    const source = storeWith({ a: '1', b: '2' });
    const image = new StateImageService(source).capture();
    expect(image.index).to.equal(2);
    expect(image.counts['kv']).to.equal(2);
    image.release();

    const target = storeWith({ mine: 'x' }, 1);
    const service = new StateImageService(target);
    const staged = await service.stage(from(await bytesOf(source)));
    expect(staged.sourceIndex).to.equal(2);
    expect(staged.counts['kv']).to.equal(2);
    expect(target.kv.get('a').value, 'staging changes nothing').to.equal(null);

    const undo = service.install(staged, 10);
    expect(target.index).to.equal(10);
    expect(text(target.kv.get('a').value!.Value)).to.equal('1');
    expect(target.kv.get('mine').value).to.equal(null);
    expect(target.kv.get('a').index, 'the row keeps its own ModifyIndex').to.equal(1);
    expect(target.indexFloor, 'reads answer at least the restore index').to.equal(10);
    expect(() => service.install(staged, 11)).to.throw(/already installed/);

    undo();
    expect(target.index).to.equal(1);
    expect(text(target.kv.get('mine').value!.Value)).to.equal('x');
    expect(target.kv.get('a').value).to.equal(null);
    expect(target.indexFloor).to.equal(0);
  });

  it('refuses a stream that is not an image, before anything is swapped', async () => {
    const target = storeWith({ mine: 'x' });
    const service = new StateImageService(target);
    let err: Error | undefined;
    try {
      await service.stage(from([Buffer.from([0, 0, 0, 3, 0x93, 1, 2])]));
    } catch (e) {
      err = e as Error;
    }
    expect(err?.message).to.match(/invalid state snapshot/);
    expect(text(target.kv.get('mine').value!.Value)).to.equal('x');
  });
});
