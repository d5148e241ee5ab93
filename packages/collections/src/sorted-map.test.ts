import { expect } from 'chai';
import { MAX_NODE } from './btree-node.js';
import { compareBytes, compareStrings, SortedMap, type KeyRange } from './sorted-map.js';

/** mulberry32: small seeded PRNG so every failure replays from its seed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const cmpNum = (a: number, b: number) => a - b;

interface RawNode {
  leaf: boolean;
  keys: number[];
  vals?: unknown[];
  children?: RawNode[];
}
/** Structural invariants: sorted keys, branch key = child max, bounded fan-out, equal leaf depth. */
function checkTree(map: SortedMap<number, unknown>): void {
  const root = (map as unknown as { root: RawNode }).root;
  const leafDepths = new Set<number>();
  const visit = (node: RawNode, depth: number, isRoot: boolean) => {
    expect(node.keys.length).to.be.at.most(MAX_NODE);
    if (!isRoot) expect(node.keys.length, 'non-root node empty').to.be.greaterThan(0);
    for (let i = 1; i < node.keys.length; i++) expect(node.keys[i]!).to.be.greaterThan(node.keys[i - 1]!);
    if (node.leaf) {
      expect(node.vals!.length).to.equal(node.keys.length);
      leafDepths.add(depth);
      return;
    }
    expect(node.children!.length).to.equal(node.keys.length);
    if (isRoot) expect(node.children!.length).to.be.at.least(2);
    node.children!.forEach((c, i) => {
      expect(c.keys[c.keys.length - 1]).to.equal(node.keys[i]);
      visit(c, depth + 1, false);
    });
  };
  visit(root, 0, true);
  expect(leafDepths.size).to.be.at.most(1);
}

/** Reference model: a sorted array of [key, value]. */
class Model {
  items: [number, string][] = [];
  private find(k: number): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (this.items[m]![0] < k) lo = m + 1;
      else hi = m;
    }
    return lo;
  }
  set(k: number, v: string) {
    const i = this.find(k);
    if (this.items[i]?.[0] === k) this.items[i] = [k, v];
    else this.items.splice(i, 0, [k, v]);
  }
  delete(k: number): boolean {
    const i = this.find(k);
    if (this.items[i]?.[0] !== k) return false;
    this.items.splice(i, 1);
    return true;
  }
  get(k: number) {
    const i = this.find(k);
    return this.items[i]?.[0] === k ? this.items[i]![1] : undefined;
  }
  range(r: KeyRange<number>): [number, string][] {
    const out = this.items.filter(
      ([k]) =>
        (r.gte === undefined || k >= r.gte) &&
        (r.gt === undefined || k > r.gt) &&
        (r.lte === undefined || k <= r.lte) &&
        (r.lt === undefined || k < r.lt),
    );
    return r.reverse ? out.reverse() : out;
  }
  clone(): Model {
    const m = new Model();
    m.items = this.items.slice();
    return m;
  }
}

function randomOps(map: SortedMap<number, string>, model: Model, rnd: () => number, n: number, keySpace: number) {
  for (let i = 0; i < n; i++) {
    const k = Math.floor(rnd() * keySpace);
    const op = rnd();
    if (op < 0.55) {
      const v = `v${i}`;
      expect(map.set(k, v)).to.equal(map);
      model.set(k, v);
    } else if (op < 0.9) {
      expect(map.delete(k)).to.equal(model.delete(k), `delete ${k}`);
    } else {
      expect(map.get(k)).to.equal(model.get(k), `get ${k}`);
      expect(map.has(k)).to.equal(model.get(k) !== undefined);
    }
    expect(map.size).to.equal(model.items.length);
  }
}

describe('SortedMap', () => {
  it('matches a sorted-array model over thousands of random set/delete/get ops (several seeds)', () => {
    for (const seed of [1, 2, 3, 42, 1234]) {
      const rnd = prng(seed);
      const map = new SortedMap<number, string>(cmpNum);
      const model = new Model();
      // A small key space forces overwrites and deletes of present keys, exercising merges.
      randomOps(map, model, rnd, 6000, 1500);
      expect([...map], `seed ${seed}`).to.deep.equal(model.items);
      checkTree(map);
      randomOps(map, model, rnd, 6000, 300);
      expect([...map], `seed ${seed}`).to.deep.equal(model.items);
      checkTree(map);
    }
  });

  it('answers every gt/gte/lt/lte combination, forward and reverse, like the model', () => {
    const rnd = prng(7);
    const map = new SortedMap<number, string>(cmpNum);
    const model = new Model();
    for (let i = 0; i < 3000; i++) {
      const k = Math.floor(rnd() * 10000);
      map.set(k, `v${k}`);
      model.set(k, `v${k}`);
    }
    const pickKey = () =>
      rnd() < 0.5 ? model.items[Math.floor(rnd() * model.items.length)]![0] : Math.floor(rnd() * 10200) - 100;
    let nonEmpty = 0;
    for (let round = 0; round < 600; round++) {
      const mask = round % 16;
      const r: KeyRange<number> = { reverse: round % 32 >= 16 };
      if (mask & 1) r.gte = pickKey();
      if (mask & 2) r.gt = pickKey();
      if (mask & 4) r.lte = pickKey();
      if (mask & 8) r.lt = pickKey();
      const want = model.range(r);
      if (want.length > 0) nonEmpty++;
      expect([...map.entries(r)], JSON.stringify(r)).to.deep.equal(want);
      expect([...map.keys(r)]).to.deep.equal(want.map(([k]) => k));
      expect([...map.values(r)]).to.deep.equal(want.map(([, v]) => v));
    }
    expect(nonEmpty).to.be.greaterThan(200);
  });

  it('handles ranges on an empty map and bounds beyond both ends', () => {
    const map = new SortedMap<number, string>(cmpNum);
    expect([...map.entries({ gte: 1 })]).to.deep.equal([]);
    expect([...map.entries({ lte: 1, reverse: true })]).to.deep.equal([]);
    expect(map.first()).to.equal(undefined);
    expect(map.last()).to.equal(undefined);
    for (let i = 0; i < 500; i++) map.set(i * 2, String(i));
    expect([...map.keys({ gt: 998 })]).to.deep.equal([]);
    expect([...map.keys({ lt: 0, reverse: true })]).to.deep.equal([]);
    expect([...map.keys({ gte: 995, reverse: true })]).to.deep.equal([998, 996]);
    expect([...map.keys({ lt: 5 })]).to.deep.equal([0, 2, 4]);
    expect([...map.keys({ gt: 5, lt: 5 })]).to.deep.equal([]);
    expect(map.first()).to.deep.equal([0, '0']);
    expect(map.last()).to.deep.equal([998, '499']);
  });

  it('keeps a clone and its origin isolated in both directions', () => {
    const rnd = prng(99);
    const a = new SortedMap<number, string>(cmpNum);
    const ma = new Model();
    randomOps(a, ma, rnd, 4000, 2000);
    const b = a.clone();
    const mb = ma.clone();
    expect([...b]).to.deep.equal(ma.items);
    randomOps(a, ma, rnd, 3000, 2000);
    randomOps(b, mb, rnd, 3000, 2000);
    expect([...a]).to.deep.equal(ma.items);
    expect([...b]).to.deep.equal(mb.items);
    checkTree(a);
    checkTree(b);
    expect(ma.items).to.not.deep.equal(mb.items);
    // Clones of clones, then clear on one side.
    const c = b.clone();
    b.clear();
    expect(b.size).to.equal(0);
    expect([...c]).to.deep.equal(mb.items);
    expect(c.size).to.equal(mb.items.length);
  });

  it('iterates the version current at iterator creation while the map is mutated', () => {
    const map = new SortedMap<number, string>(cmpNum);
    for (let i = 0; i < 2000; i++) map.set(i, `v${i}`);
    const before = [...map];
    const seen: [number, string][] = [];
    const model = new Model();
    for (const [k, v] of before) model.set(k, v);
    const it = map.entries();
    map.set(-1, 'created after the iterator'); // before the first next()
    model.set(-1, 'created after the iterator');
    let n = 0;
    for (const e of it) {
      seen.push(e);
      // Delete ahead, insert behind and ahead, overwrite: none may show up.
      map.delete(n * 3 + 7);
      model.delete(n * 3 + 7);
      map.set(n + 0.5, 'new');
      model.set(n + 0.5, 'new');
      map.set(n, 'changed');
      model.set(n, 'changed');
      n++;
    }
    expect(seen).to.deep.equal(before);
    expect([...map]).to.deep.equal(model.items);
    const rev = [...map.keys({ reverse: true })];
    expect(rev).to.deep.equal([...map.keys()].reverse());
  });

  it('stays correct at 100k entries (shuffled insert, half deleted)', function () {
    this.timeout(20000);
    const rnd = prng(5);
    const n = 100_000;
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const map = new SortedMap<number, number>(cmpNum);
    for (const k of order) map.set(k, k * 2);
    expect(map.size).to.equal(n);
    let expectK = 0;
    for (const [k, v] of map) {
      expect(k).to.equal(expectK);
      expect(v).to.equal(k * 2);
      expectK++;
    }
    expect(expectK).to.equal(n);
    for (const k of order.slice(0, n / 2)) expect(map.delete(k)).to.equal(true);
    expect(map.size).to.equal(n / 2);
    checkTree(map);
    const remaining = order.slice(n / 2).sort((x, y) => x - y);
    expect([...map.keys()]).to.deep.equal(remaining);
    expect([...map.keys({ gte: 40_000, lt: 40_100 })]).to.deep.equal(remaining.filter((k) => k >= 40_000 && k < 40_100));
  });

  it('compareBytes orders as unsigned memcmp, shorter prefix first', () => {
    const keys = [[0x80], [0x7f, 0xff], [], [0xff], [0x00], [0x7f], [0xff, 0x00], [0x80, 0x00]].map((a) => new Uint8Array(a));
    const map = new SortedMap<Uint8Array, number>(compareBytes);
    keys.forEach((k, i) => map.set(k, i));
    expect([...map.keys()].map((k) => [...k])).to.deep.equal([
      [],
      [0x00],
      [0x7f],
      [0x7f, 0xff],
      [0x80],
      [0x80, 0x00],
      [0xff],
      [0xff, 0x00],
    ]);
    expect(map.get(new Uint8Array([0x80]))).to.equal(0);
  });

  it('compareStrings orders by code unit', () => {
    const map = new SortedMap<string, number>(compareStrings);
    for (const s of ['b', 'a', 'ab', 'B', '', 'é']) map.set(s, s.length);
    expect([...map.keys()]).to.deep.equal(['', 'B', 'a', 'ab', 'b', 'é']);
  });
});
