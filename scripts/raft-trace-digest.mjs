// Fingerprints of the raft simulation, to prove a refactor of the raft core changes no behaviour.
//   npx tsc -b && node scripts/raft-trace-digest.mjs [firstSeed=1] [count=300] [chaosMs=3000] > before.txt
//   (refactor, rebuild, run again into after.txt) && cmp before.txt after.txt
// One line per seed of sim/random-run.ts: a sha256 over every timer armed (virtual time and delay),
// every message sent (time, sender, receiver, wire bytes), every election won and every entry
// applied (time, server, term, entry), and the run's final result. Any change in ordering,
// timing, randomness or content changes the hash. Not part of the published packages.
import { createHash } from 'node:crypto';

const dist = new URL('../packages/raft/dist/', import.meta.url);
const { VirtualScheduler } = await import(new URL('sim/virtual-scheduler.js', dist).href);
const { SimNetwork } = await import(new URL('sim/sim-network.js', dist).href);
const { InvariantChecker } = await import(new URL('sim/invariants.js', dist).href);
const { encode } = await import(new URL('storage/codec.js', dist).href);
const { randomRun } = await import(new URL('sim/random-run.js', dist).href);

const first = Number(process.argv[2] ?? 1);
const count = Number(process.argv[3] ?? 300);
const chaosMs = Number(process.argv[4] ?? 3000);

let trace = [];
let sched;
const now = () => (sched ? sched.now() : -1);
const hook = (proto, name, record) => {
  const original = proto[name];
  proto[name] = function (...args) {
    record(this, ...args);
    return original.apply(this, args);
  };
};
hook(VirtualScheduler.prototype, 'at', (s, ms) => {
  sched = s;
  trace.push(`T ${s.now()} +${ms}`);
});
hook(SimNetwork.prototype, 'send', (_net, from, to, msg) => {
  trace.push(`M ${now()} ${from}>${to} ${createHash('sha1').update(encode(msg)).digest('hex')} ${msg.type}`);
});
hook(InvariantChecker.prototype, 'onLeader', (_c, n) => {
  trace.push(`L ${now()} ${n.id} t${n.term} last${n.log.lastIndex()} c${n.commitIndex}`);
});
hook(InvariantChecker.prototype, 'onApply', (_c, n, e) => {
  trace.push(`A ${now()} ${n.id} t${n.term} ${e.index}@${e.term}:${e.kind} c${n.commitIndex}`);
});

for (let seed = first; seed < first + count; seed++) {
  trace = [];
  sched = undefined;
  const r = await randomRun({ seed, chaosMs });
  trace.push('R ' + JSON.stringify(r));
  const ok = r.violations.length === 0 && r.converged && r.lostAcknowledged.length === 0;
  console.log(`${seed} ${createHash('sha256').update(trace.join('\n')).digest('hex')} lines=${trace.length} ok=${ok}`);
}
