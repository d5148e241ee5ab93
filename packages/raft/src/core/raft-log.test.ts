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
});
