import { expect } from 'chai';
import { NullLogger, type Command, type Coordinate } from '@proconsul/kernel';
import { CoordinateBatcher } from './coordinate-batcher.js';
import { parseCoordinateUpdate } from './coordinate-update.js';

const coord = (x: number) => ({ Vec: [x, 0, 0, 0, 0, 0, 0, 0], Error: 0.5, Adjustment: 0, Height: 1e-5 });
const update = (node: string, x = 0): Coordinate => ({ Node: node, Segment: '', Coord: coord(x) });

function writer(leader = true) {
  const written: Command[] = [];
  return { written, write: async (c: Command) => (written.push(c), { index: 1, value: true }), isLeader: () => leader };
}

describe('CoordinateBatcher', () => {
  it('writes each node’s latest update once per period, in batches of batch_size', async () => {
    const w = writer();
    const b = new CoordinateBatcher(w, new NullLogger(), { batchSize: 2, maxBatches: 5 });
    b.enqueue(update('a', 1));
    b.enqueue(update('b'));
    b.enqueue(update('a', 2)); // replaces a's first update
    b.enqueue(update('c'));
    await b.flush();
    const batches = w.written.map((c) => (c as Extract<Command, { type: 'coordinate-batch' }>).Updates);
    expect(batches.map((u) => u.map((x) => x.Node))).to.deep.equal([['a', 'b'], ['c']]);
    expect(batches[0]![0]!.Coord.Vec[0]).to.equal(2);
    await b.flush();
    expect(w.written).to.have.length(2); // nothing pending: no empty write
  });

  it('refuses new nodes beyond batch_size × max_batches with Consul’s rate-limit error', () => {
    const b = new CoordinateBatcher(writer(), new NullLogger(), { batchSize: 2, maxBatches: 1 });
    b.enqueue(update('a'));
    b.enqueue(update('b'));
    b.enqueue(update('a', 3)); // an update of a pending node still fits
    expect(() => b.enqueue(update('c'))).to.throw(/rate limit exceeded/);
  });

  it('drops the pending batch when not the leader (agents resend next interval)', async () => {
    const w = writer(false);
    const b = new CoordinateBatcher(w, new NullLogger());
    b.enqueue(update('a'));
    await b.flush();
    expect(w.written).to.deep.equal([]);
  });
});

describe('parseCoordinateUpdate', () => {
  it('accepts Consul’s body and defaults the segment', () => {
    expect(parseCoordinateUpdate({ Node: 'n1', Coord: coord(1) })).to.deep.equal({ Node: 'n1', Segment: '', Coord: coord(1) });
  });

  it('gives a plain reason for what is not a coordinate', () => {
    expect(parseCoordinateUpdate(null)).to.be.a('string');
    expect(parseCoordinateUpdate({ Coord: coord(1) })).to.equal('Missing node name');
    expect(parseCoordinateUpdate({ Node: 'n' })).to.equal('Missing Coord');
    expect(parseCoordinateUpdate({ Node: 'n', Coord: { ...coord(1), Vec: ['x'] } })).to.match(/Vec/);
    expect(parseCoordinateUpdate({ Node: 'n', Coord: { ...coord(1), Height: 'x' } })).to.equal('Coord.Height must be a number');
  });
});
