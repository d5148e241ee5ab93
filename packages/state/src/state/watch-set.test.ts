import { expect } from 'chai';
import { ChangeSet } from './change-set.js';
import { WatchRegistry } from './watch-registry.js';
import { WatchSet } from './watch-set.js';

function changes(f: (c: ChangeSet) => void): ChangeSet {
  const c = new ChangeSet();
  f(c);
  return c;
}

describe('WatchSet + WatchRegistry', () => {
  it('wakes a waiter on a change to what it watches, within milliseconds', async () => {
    const reg = new WatchRegistry();
    const ws = new WatchSet();
    reg.watchKey(ws, 'a/b');
    const started = Date.now();
    const p = ws.wait(5000);
    setTimeout(() => reg.notify(changes((c) => c.kvKeys.add('a/b'))), 5);
    expect(await p).to.equal(true);
    expect(Date.now() - started).to.be.lessThan(1000);
    expect(reg.size).to.equal(0);
  });

  it('is not woken by an unrelated key, table or service and times out with false', async () => {
    const reg = new WatchRegistry();
    const ws = new WatchSet();
    reg.watchKey(ws, 'a/b');
    reg.watchService(ws, 'web');
    reg.watchTable(ws, 'nodes');
    reg.notify(
      changes((c) => {
        c.kvKeys.add('a/bc');
        c.kvKeys.add('a');
        c.services.add('db');
        c.tables.add('services');
      }),
    );
    expect(ws.changed).to.equal(false);
    expect(await ws.wait(20)).to.equal(false);
    expect(reg.size).to.equal(0);
  });

  it('wakes prefix watchers for keys below the prefix only', () => {
    const reg = new WatchRegistry();
    const below = new WatchSet();
    const other = new WatchSet();
    reg.watchPrefix(below, 'app/');
    reg.watchPrefix(other, 'apq/');
    reg.notify(changes((c) => c.kvKeys.add('app/config/x')));
    expect(below.changed).to.equal(true);
    expect(other.changed).to.equal(false);
    other.close();
    expect(reg.size).to.equal(0);
  });

  it('remembers a change that lands before wait() is called', async () => {
    const reg = new WatchRegistry();
    const ws = new WatchSet();
    reg.watchTable(ws, 'kvs');
    reg.notify(changes((c) => c.tables.add('kvs')));
    expect(await ws.wait(10_000)).to.equal(true);
  });

  it('resolves false when the abort signal fires and unregisters', async () => {
    const reg = new WatchRegistry();
    const ws = new WatchSet();
    reg.watchTable(ws, 'kvs');
    const ac = new AbortController();
    const p = ws.wait(10_000, ac.signal);
    ac.abort();
    expect(await p).to.equal(false);
    expect(reg.size).to.equal(0);
  });

  it('leaves nothing registered after many waits end by change, timeout and close', async () => {
    const reg = new WatchRegistry();
    const sets: WatchSet[] = [];
    for (let i = 0; i < 300; i++) {
      const ws = new WatchSet();
      reg.watchKey(ws, `k${i % 10}`);
      reg.watchPrefix(ws, `p${i}/`);
      reg.watchService(ws, 'web');
      sets.push(ws);
    }
    expect(reg.size).to.equal(900);
    const waits = sets.slice(0, 200).map((ws) => ws.wait(15));
    for (const ws of sets.slice(200)) ws.close();
    reg.notify(changes((c) => c.kvKeys.add('k3')));
    const results = await Promise.all(waits);
    expect(results.filter(Boolean)).to.have.length(20);
    expect(reg.size).to.equal(0);
    expect((reg as unknown as { topics: Map<string, unknown> }).topics.size).to.equal(0);
  });

  it('registering on an already fired set is a no-op', () => {
    const reg = new WatchRegistry();
    const ws = new WatchSet();
    reg.watchTable(ws, 'a');
    reg.notify(changes((c) => c.tables.add('a')));
    reg.watchTable(ws, 'b');
    reg.watchPrefix(ws, 'x');
    expect(reg.size).to.equal(0);
  });

  it('notifyAll wakes every watcher', () => {
    const reg = new WatchRegistry();
    const a = new WatchSet();
    const b = new WatchSet();
    reg.watchKey(a, 'x');
    reg.watchPrefix(b, 'y');
    reg.notifyAll();
    expect(a.changed && b.changed).to.equal(true);
    expect(reg.size).to.equal(0);
  });
});
