import { expect } from 'chai';
import {
  checkLinearizability,
  kvModel,
  registerModel,
  seededRandom,
  simulateKvHistory,
  type KvInput,
  type KvOutput,
  type Operation,
  type RegisterInput,
  type RegisterOutput,
} from '@proconsul/kernel/testing';

type RegOp = Operation<RegisterInput<number>, RegisterOutput<number>>;
type KvOp = Operation<KvInput, KvOutput>;

const read = (clientId: number, call: number, ret: number, output?: number): RegOp => ({
  clientId,
  input: { op: 'read' },
  output,
  call,
  return: ret,
});
const write = (clientId: number, call: number, ret: number, value: number): RegOp => ({
  clientId,
  input: { op: 'write', value },
  call,
  return: ret,
});
const cas = (clientId: number, call: number, ret: number, from: number, to: number, output?: boolean): RegOp => ({
  clientId,
  input: { op: 'cas', from, to },
  output,
  call,
  return: ret,
});

function check(history: RegOp[]) {
  return checkLinearizability(registerModel(0), history);
}

/**
 * Reference answer by exhaustive search: try every order that respects real time (a before b
 * when a returned strictly before b was called); pending operations may also be left out.
 */
function bruteForce(history: RegOp[]): boolean {
  const model = registerModel(0);
  const search = (remaining: RegOp[], state: number): boolean => {
    if (remaining.every((o) => o.return === Infinity)) return true;
    return remaining.some((op) => {
      if (remaining.some((other) => other.return < op.call)) return false;
      const result = model.step(state, op.input, op.return === Infinity ? undefined : op.output);
      return (
        result.ok &&
        search(
          remaining.filter((o) => o !== op),
          result.state as number,
        )
      );
    });
  };
  return search(history, 0);
}

describe('linearizability checker', () => {
  describe('register', () => {
    it('accepts a sequential history', () => {
      expect(check([write(1, 0, 1, 5), read(1, 2, 3, 5), cas(1, 4, 5, 5, 6, true), read(1, 6, 7, 6)]).ok).to.equal(true);
    });

    it('rejects a stale read after a completed write', () => {
      const result = check([write(1, 0, 10, 1), read(2, 20, 30, 0)]);
      expect(result.ok).to.equal(false);
      if (result.ok !== false) return;
      expect(result.counterexample.longestLinearization.map((o) => o.input.op)).to.deep.equal(['write']);
      expect(result.counterexample.notLinearized.map((o) => o.input.op)).to.deep.equal(['read']);
    });

    it('accepts either value for a read concurrent with a write', () => {
      expect(check([write(1, 0, 10, 1), read(2, 5, 15, 0)]).ok).to.equal(true);
      expect(check([write(1, 0, 10, 1), read(2, 5, 15, 1)]).ok).to.equal(true);
      expect(check([write(1, 0, 10, 1), read(2, 5, 15, 2)]).ok).to.equal(false);
    });

    it('counts operations touching at one instant as concurrent', () => {
      expect(check([write(1, 0, 10, 1), read(2, 10, 12, 0)]).ok).to.equal(true);
    });

    it('rejects a lost write (value reverts without a write)', () => {
      const history = [write(1, 0, 10, 1), write(2, 0, 10, 2), read(3, 20, 30, 2), read(3, 40, 50, 1)];
      expect(check(history).ok).to.equal(false);
    });

    it('rejects two reads that disagree on the order of concurrent writes', () => {
      // Both writes overlap every read, but client 3 sees 1 then 2 while client 4 sees 2 then 1.
      const history = [
        write(1, 0, 100, 1),
        write(2, 0, 100, 2),
        read(3, 10, 20, 1),
        read(3, 30, 40, 2),
        read(4, 10, 20, 2),
        read(4, 30, 40, 1),
      ];
      expect(check(history).ok).to.equal(false);
    });

    it('checks compare-and-swap outcomes', () => {
      expect(check([cas(1, 0, 10, 0, 1, true), cas(2, 0, 10, 0, 2, true)]).ok).to.equal(false);
      expect(check([cas(1, 0, 10, 0, 1, true), cas(2, 0, 10, 0, 2, false), read(1, 11, 12, 1)]).ok).to.equal(true);
    });

    describe('operations that never returned', () => {
      it('may take effect at any point after their call', () => {
        const pendingWrite = write(1, 0, Infinity, 1);
        expect(check([pendingWrite, read(2, 5, 6, 0), read(2, 7, 8, 1)]).ok).to.equal(true);
      });

      it('may never take effect', () => {
        expect(check([write(1, 0, Infinity, 1), read(2, 5, 6, 0), read(2, 100, 101, 0)]).ok).to.equal(true);
      });

      it('cannot take effect twice or be undone', () => {
        expect(check([write(1, 0, Infinity, 1), read(2, 5, 6, 1), read(2, 7, 8, 0)]).ok).to.equal(false);
      });

      it('cannot take effect before being called', () => {
        expect(check([read(2, 0, 1, 1), write(1, 5, Infinity, 1)]).ok).to.equal(false);
      });

      it('apply their deterministic effect when linearized (pending cas)', () => {
        expect(check([cas(1, 0, Infinity, 0, 7), read(2, 5, 6, 7)]).ok).to.equal(true);
        expect(check([cas(1, 0, Infinity, 3, 7), read(2, 5, 6, 7)]).ok).to.equal(false);
      });
    });

    it('agrees with a brute-force search over all orders on 600 small random histories', () => {
      const rand = seededRandom(2024);
      const pick = (n: number) => Math.floor(rand() * n);
      let linearizable = 0;
      for (let round = 0; round < 600; round++) {
        const history: RegOp[] = [];
        const n = 2 + pick(6);
        for (let i = 0; i < n; i++) {
          const call = pick(10);
          const ret = rand() < 0.15 ? Infinity : call + pick(6);
          const kind = pick(3);
          if (kind === 0) history.push(read(i, call, ret, ret === Infinity ? undefined : pick(3)));
          else if (kind === 1) history.push(write(i, call, ret, pick(3)));
          else history.push(cas(i, call, ret, pick(3), pick(3), ret === Infinity ? undefined : rand() < 0.5));
        }
        const expected = bruteForce(history);
        if (expected) linearizable++;
        expect(check(history).ok, JSON.stringify(history)).to.equal(expected);
      }
      // Both outcomes must be well represented for the comparison to mean anything.
      expect(linearizable).to.be.within(100, 500);
    });

    it('rejects a history whose operation returns before it is called', () => {
      expect(() => check([read(1, 5, 4, 0)])).to.throw(/returns \(4\) before it is called \(5\)/);
    });

    it('gives up with reason "timeout" instead of searching forever', () => {
      // 24 concurrent writes then a read of a value never written: proving it impossible means
      // visiting every (subset of writes, last value) configuration.
      const history: RegOp[] = [];
      for (let i = 1; i <= 24; i++) history.push(write(i, 0, 1000, i));
      history.push(read(99, 0, 2000, 12345));
      expect(checkLinearizability(registerModel(0), history, { maxSteps: 10_000 })).to.deep.equal({
        ok: undefined,
        reason: 'timeout',
        partitionKey: undefined,
      });
      const started = Date.now();
      const timed = checkLinearizability(registerModel(0), history, { timeoutMs: 100 });
      expect(timed.ok).to.equal(undefined);
      expect(Date.now() - started).to.be.lessThan(2_000);
    });
  });

  describe('KV map (checked per key)', () => {
    const op = (clientId: number, call: number, ret: number, input: KvInput, output?: KvOutput): KvOp => ({
      clientId,
      input,
      output,
      call,
      return: ret,
    });

    it('checks keys independently and names the failing key', () => {
      const history = [
        op(1, 0, 10, { op: 'put', key: 'a', value: 'x' }),
        op(2, 0, 10, { op: 'put', key: 'b', value: 'y' }),
        op(1, 20, 30, { op: 'get', key: 'a' }, 'x'),
        op(2, 20, 30, { op: 'get', key: 'b' }, null), // stale: b was written
        op(3, 40, 50, { op: 'delete', key: 'a' }),
        op(3, 60, 70, { op: 'get', key: 'a' }, null),
      ];
      const result = checkLinearizability(kvModel(), history);
      expect(result.ok).to.equal(false);
      if (result.ok !== false) return;
      expect(result.counterexample.partitionKey).to.equal('b');
      expect(result.counterexample.operations).to.have.length(2);
      expect(
        checkLinearizability(
          kvModel(),
          history.filter((_, i) => i !== 3),
        ).ok,
      ).to.equal(true);
    });

    it('models cas on absent keys', () => {
      const history = [
        op(1, 0, 10, { op: 'cas', key: 'a', from: null, to: 'one' }, true),
        op(2, 20, 30, { op: 'cas', key: 'a', from: null, to: 'two' }, true),
      ];
      expect(checkLinearizability(kvModel(), history).ok).to.equal(false);
    });

    for (const seed of [1, 2, 3, 4, 5]) {
      it(`accepts a simulated linearizable history (seed ${seed}) and rejects it with one read corrupted`, () => {
        const history = simulateKvHistory({ seed, operations: 400, clients: 6, keys: 4, pendingRate: 0.03 });
        expect(checkLinearizability(kvModel(), history).ok).to.equal(true);

        const gets = history.map((o, i) => ({ o, i })).filter(({ o }) => o.input.op === 'get' && o.return !== Infinity);
        const victim = gets[Math.floor(gets.length / 2)]!;
        const corrupted = history.map((o, i) => (i === victim.i ? { ...o, output: 'never-written' } : o));
        const result = checkLinearizability(kvModel(), corrupted);
        expect(result.ok).to.equal(false);
        if (result.ok !== false) return;
        expect(result.counterexample.partitionKey).to.equal(victim.o.input.key);
      });
    }

    it('rejects a simulated history where a completed put is dropped (lost write)', () => {
      const history = simulateKvHistory({ seed: 42, operations: 300, clients: 5, keys: 3 });
      // Turn the first successful cas into a failed one: its write was "lost" but later reads saw it.
      const i = history.findIndex(
        (o, idx) =>
          o.input.op === 'cas' &&
          o.output === true &&
          history.some(
            (r, j) => j > idx && r.call > o.return && r.input.key === o.input.key && r.output === (o.input as { to: string }).to,
          ),
      );
      expect(i).to.be.greaterThan(-1);
      const lost = history.map((o, idx) => (idx === i ? { ...o, output: false } : o));
      expect(checkLinearizability(kvModel(), lost).ok).to.equal(false);
    });

    it('checks a 2,000-operation history over 10 keys in well under a few seconds', () => {
      const history = simulateKvHistory({ seed: 7, operations: 2_000, clients: 10, keys: 10, pendingRate: 0.01 });
      const started = Date.now();
      expect(checkLinearizability(kvModel(), history, { timeoutMs: 5_000 }).ok).to.equal(true);
      expect(Date.now() - started).to.be.lessThan(3_000);
    });
  });
});
