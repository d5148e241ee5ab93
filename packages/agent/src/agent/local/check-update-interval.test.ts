import { expect } from 'chai';
import type { HealthCheck, LocalCheck } from '@proconsul/kernel';
import { LocalState } from './local-state.js';
import { reconcile, type NodeIdentity } from './sync-plan.js';

const NODE: NodeIdentity = { Node: 'n1', ID: 'id', Address: '127.0.0.1', Datacenter: 'dc1', TaggedAddresses: {}, Meta: {} };
const INTERVAL = 300_000;

function check(output: string, status: 'passing' | 'critical' = 'passing'): LocalCheck {
  return {
    source: 'api',
    check: {
      CheckID: 'web-http',
      Name: 'web',
      Status: status,
      Notes: '',
      Output: output,
      ServiceID: '',
      ServiceName: '',
      ServiceTags: [],
      Type: 'http',
      Definition: {},
    },
  };
}

/** A state whose one check is in the catalog as registered, and a settable clock. */
function synced(intervalMs: number): { state: LocalState; clock: { t: number }; pending: () => string[] } {
  const clock = { t: 1_000_000 };
  const state = new LocalState({ checkUpdateIntervalMs: intervalMs, now: () => clock.t });
  state.setCheck(check('up since 10:00:00'));
  const [first] = state.pending().checks;
  state.checkSynced(first!.id, first!.rev);
  const pending = () => state.pending().checks.map((c) => c.value.check.Output);
  return { state, clock, pending };
}

/** The catalog's copy of the check as it was registered. */
function catalogCopy(output: string): HealthCheck {
  return { ...check(output).check, Node: 'n1', CreateIndex: 5, ModifyIndex: 5 };
}

describe('check_update_interval: output-only check changes', () => {
  it('an output change of a steady check waits for the interval; the agent shows it at once', () => {
    const { state, clock, pending } = synced(INTERVAL);
    state.updateCheck('web-http', 'passing', 'up since 10:00:10');
    expect(pending()).to.deep.equal([]);
    expect(state.check('web-http')!.check.Output).to.equal('up since 10:00:10');
    clock.t += INTERVAL - 1;
    state.updateCheck('web-http', 'passing', 'up since 10:04:59');
    expect(pending()).to.deep.equal([]);
    clock.t += 2;
    let urgent: boolean | undefined;
    state.onChange((u) => (urgent = u));
    state.updateCheck('web-http', 'passing', 'up since 10:05:01');
    expect(pending()).to.deep.equal(['up since 10:05:01']);
    expect(urgent, 'pushed at once, not at the next full round').to.equal(true);
  });

  it('a status change goes out at once, with its output', () => {
    const { state, pending } = synced(INTERVAL);
    state.updateCheck('web-http', 'passing', 'up since 10:00:10');
    let urgent: boolean | undefined;
    state.onChange((u) => (urgent = u));
    state.updateCheck('web-http', 'critical', 'connection refused');
    expect(urgent).to.equal(true);
    expect(pending()).to.deep.equal(['connection refused']);
  });

  it('a full sync leaves a held-back output alone, and writes it once the interval is over', () => {
    const { state, clock, pending } = synced(INTERVAL);
    state.updateCheck('web-http', 'passing', 'up since 10:00:10');
    reconcile(state, NODE, { node: undefined, services: [], checks: [catalogCopy('up since 10:00:00')] }, undefined);
    expect(pending()).to.deep.equal([]);
    clock.t += INTERVAL;
    reconcile(state, NODE, { node: undefined, services: [], checks: [catalogCopy('up since 10:00:00')] }, undefined);
    expect(pending()).to.deep.equal(['up since 10:00:10']);
  });

  it('a full sync still finds any other difference while the output is held back', () => {
    const { state, pending } = synced(INTERVAL);
    state.updateCheck('web-http', 'passing', 'up since 10:00:10');
    const edited = { ...catalogCopy('up since 10:00:00'), Notes: 'changed behind our back' };
    reconcile(state, NODE, { node: undefined, services: [], checks: [edited] }, undefined);
    expect(pending()).to.deep.equal(['up since 10:00:10']);
  });

  it('after a write, the next output change waits a whole interval again', () => {
    const { state, clock, pending } = synced(INTERVAL);
    clock.t += INTERVAL; // the first change starts its own window, however long the check was steady
    state.updateCheck('web-http', 'passing', 'a');
    expect(pending()).to.deep.equal([]);
    clock.t += INTERVAL;
    state.updateCheck('web-http', 'passing', 'b');
    const [p] = state.pending().checks;
    state.checkSynced(p!.id, p!.rev);
    state.updateCheck('web-http', 'passing', 'c');
    expect(pending()).to.deep.equal([]);
  });

  it('0 writes every output change at once', () => {
    const { state, pending } = synced(0);
    let urgent: boolean | undefined;
    state.onChange((u) => (urgent = u));
    state.updateCheck('web-http', 'passing', 'up since 10:00:10');
    expect(pending()).to.deep.equal(['up since 10:00:10']);
    expect(urgent).to.equal(true);
  });
});
