import { expect } from 'chai';
import { isCoded, ProconsulError, type Command } from '@proconsul/kernel';
import { decodeCommand, encodeCommand } from './command-codec.js';
import { REQUEST_MAX, REQUEST_RETAIN_MS } from './request-table.js';
import { StateFsm } from './state-fsm.js';
import { StateStore } from './state-store.js';

const createOnly = (key: string): Command => ({ v: 1, type: 'kv-cas', Key: key, Value: Buffer.from('v'), Index: 0 });
const request = (id: string, inner: Command, now = 1000): Command => ({ v: 1, type: 'request', ID: id, now, Command: inner });

function fsmWith(): { fsm: StateFsm; apply: (cmd: Command) => unknown } {
  const fsm = new StateFsm(new StateStore());
  let index = 0;
  return { fsm, apply: (cmd) => fsm.apply(++index, encodeCommand(cmd)) };
}

async function copyBySnapshot(from: StateFsm): Promise<StateFsm> {
  const to = new StateFsm(new StateStore());
  const snap = from.snapshot();
  await to.restore(snap.chunks());
  snap.release();
  return to;
}

describe('request de-duplication in the FSM (a resent forwarded write applies once)', () => {
  it('applies a request the first time and answers a resend with the first result', () => {
    const { fsm, apply } = fsmWith();
    expect(apply(request('r1', createOnly('k')))).to.equal(true);
    // A blind resend of a create-only write would answer false ("already exists") and a
    // client would think its write failed; the remembered answer is the real one.
    expect(apply(request('r1', createOnly('k')))).to.equal(true);
    expect(apply(request('r2', createOnly('k')))).to.equal(false);
    expect(fsm.store.kv.get('k').value?.ModifyIndex).to.equal(1);
    expect(fsm.store.index).to.equal(3);
  });

  it('a session created twice under one request ID is one session, with the same ID both times', () => {
    const { fsm, apply } = fsmWith();
    apply({ v: 1, type: 'register', Node: 'n1', Address: '10.0.0.1', now: 0 });
    const create = (id: string): Command => ({
      v: 1,
      type: 'session-create',
      Session: { ID: id, Node: 'n1', Checks: [] },
      now: 5,
    });
    const a = apply(request('r', create('11111111-1111-1111-1111-111111111111')));
    const b = apply(request('r', create('22222222-2222-2222-2222-222222222222'))); // a new leader stamps a new ID
    expect(b).to.equal(a);
    expect(fsm.store.sessions.list().value).to.have.length(1);
  });

  it('replays a rejection as the same coded error', () => {
    const { apply } = fsmWith();
    const lock: Command = { v: 1, type: 'kv-lock', Key: 'l', Value: null, Session: 'no-such-session', now: 0 };
    const first = apply(request('r', lock)) as ProconsulError;
    const again = apply(request('r', lock)) as ProconsulError;
    expect(first).to.be.instanceOf(ProconsulError);
    expect(again).to.be.instanceOf(ProconsulError);
    expect([again.code, again.message, again.statusCode]).to.deep.equal([first.code, first.message, first.statusCode]);
  });

  it('remembers request IDs across a snapshot, as a new leader restored from one must', async () => {
    const { fsm, apply } = fsmWith();
    apply(request('r1', createOnly('k')));
    const restored = await copyBySnapshot(fsm);
    expect(restored.apply(2, encodeCommand(request('r1', createOnly('k'))))).to.equal(true);
    expect(restored.store.kv.get('k').value?.ModifyIndex).to.equal(1);
  });

  it('forgets IDs older than the retention, by the leader time in the log (deterministic)', () => {
    const { fsm, apply } = fsmWith();
    apply(request('old', createOnly('a'), 0));
    apply(request('new', createOnly('b'), REQUEST_RETAIN_MS + 1));
    expect(fsm.store.snapshotView().tables.requests.get('old')).to.equal(undefined);
    expect(fsm.store.snapshotView().tables.requests.get('new')).to.not.equal(undefined);
  });

  it(`remembers at most ${REQUEST_MAX} IDs, dropping the oldest`, () => {
    const { fsm, apply } = fsmWith();
    for (let i = 0; i <= REQUEST_MAX; i++) apply(request(`r${i}`, { v: 1, type: 'kv-set', Key: `k${i % 8}`, Value: null }));
    expect(fsm.store.snapshotView().tables.requests.size).to.equal(REQUEST_MAX);
    expect(fsm.store.snapshotView().tables.requests.get('r0')).to.equal(undefined);
    expect(fsm.store.snapshotView().tables.requests.get(`r${REQUEST_MAX}`)).to.not.equal(undefined);
  });

  it('the codec refuses a nested request and checks the wrapped command', () => {
    const nested = decodeCommand(encodeCommand(request('a', request('b', createOnly('k')))));
    expect(isCoded(nested, 'STATE_COMMAND_INVALID')).to.equal(true);
    const bad = decodeCommand(encodeCommand(request('a', { v: 1, type: 'kv-set' } as unknown as Command)));
    expect(isCoded(bad, 'STATE_COMMAND_INVALID')).to.equal(true);
  });
});
