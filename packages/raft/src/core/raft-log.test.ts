import { expect } from 'chai';
import { RaftLog } from './raft-log.js';
import type { LogEntry } from './messages.js';

const e = (index: number, term: number): LogEntry => ({ index, term, kind: 'noop' });

describe('RaftLog', () => {
  it('appends, truncates a suffix and reports terms', () => {
    const log = new RaftLog();
    log.append([e(1, 1), e(2, 1), e(3, 2)]);
    expect(log.lastIndex()).to.equal(3);
    expect(log.lastTerm()).to.equal(2);
    log.truncateFrom(2);
    expect(log.lastIndex()).to.equal(1);
    expect(log.termAt(2)).to.equal(undefined);
    expect(() => log.append([e(5, 2)])).to.throw(/append 5/);
  });
  it('keeps a consistent suffix on snapshot and discards an inconsistent log', () => {
    const log = new RaftLog();
    log.append([e(1, 1), e(2, 1), e(3, 2), e(4, 2)]);
    expect(log.setSnapshot(3, 2, { servers: [] })).to.equal(false);
    log.compactTo(2);
    expect(log.firstIndex()).to.equal(3);
    expect(log.termAt(2)).to.equal(undefined);
    expect(log.termAt(4)).to.equal(2);
    expect(log.setSnapshot(10, 5, { servers: [] })).to.equal(true);
    expect(log.lastIndex()).to.equal(10);
    expect(log.termAt(10)).to.equal(5);
    expect(log.slice(1, 20)).to.deep.equal([]);
  });
  it('finds the latest configuration and first index of a term', () => {
    const log = new RaftLog();
    const conf = { servers: [{ id: 'a', node: 'a', address: 'a', suffrage: 'voter' as const }] };
    log.append([e(1, 1), { index: 2, term: 1, kind: 'conf', config: conf }, e(3, 3), e(4, 3)]);
    expect(log.latestConfig()).to.deep.equal({ config: conf, index: 2 });
    expect(log.firstIndexOfTerm(3, 4, 1)).to.equal(3);
    log.truncateFrom(2);
    expect(log.latestConfig().index).to.equal(0);
  });
  it('counts command bytes over any range, through appends, truncation, compaction and a discarded log', () => {
    const log = new RaftLog();
    const d = (index: number, bytes: number): LogEntry => ({ index, term: 1, kind: 'cmd', data: new Uint8Array(bytes) });
    log.append([d(1, 10), d(2, 20), e(3, 1), d(4, 40)]);
    expect(log.dataBytes(1, 4)).to.equal(70);
    expect(log.dataBytes(2, 3)).to.equal(20);
    expect(log.dataBytes(0, 99)).to.equal(70);
    expect(log.dataBytes(4, 2)).to.equal(0);
    log.truncateFrom(4);
    log.append([d(4, 5)]);
    expect(log.dataBytes(1, 4)).to.equal(35);
    log.setSnapshot(2, 1, { servers: [] });
    log.compactTo(1);
    expect(log.dataBytes(1, 4)).to.equal(25);
    expect(log.dataBytes(3, 4)).to.equal(5);
    log.setSnapshot(9, 3, { servers: [] }); // inconsistent: everything goes
    expect(log.dataBytes(0, 99)).to.equal(0);
    const restored = RaftLog.restore({ index: 1, term: 1, config: { servers: [] } }, [d(1, 1), d(2, 2), d(3, 3)]);
    expect(restored.dataBytes(2, 3)).to.equal(5);
  });
  it('keeps behind a snapshot at most the trailing count and at most the trailing bytes', () => {
    const log = new RaftLog();
    const d = (index: number, bytes: number): LogEntry => ({ index, term: 1, kind: 'cmd', data: new Uint8Array(bytes) });
    log.append([d(1, 100), d(2, 100), d(3, 100), d(4, 100), d(5, 100), d(6, 100)]);
    expect(log.trailingStart(5, 10, 10_000)).to.equal(1); // everything fits
    expect(log.trailingStart(5, 2, 10_000)).to.equal(4); // the count binds: entries 4 and 5
    expect(log.trailingStart(5, 10, 250)).to.equal(4); // the bytes bind: 200 of 250
    expect(log.trailingStart(5, 10, 300)).to.equal(3);
    expect(log.trailingStart(5, 10, 99)).to.equal(6); // not even the snapshot's own entry fits
    expect(log.trailingStart(5, 0, 10_000)).to.equal(6);
  });
});
