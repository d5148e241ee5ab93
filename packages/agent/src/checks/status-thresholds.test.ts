import { expect } from 'chai';
import { StatusThresholds } from './status-thresholds.js';

describe('checks/StatusThresholds (Consul StatusHandler semantics)', () => {
  it('without thresholds reports every result as is', () => {
    const t = new StatusThresholds(0, 0, 0);
    expect(['passing', 'critical', 'warning', 'passing'].map((s) => t.apply(s as 'passing'))).to.deep.equal([
      'passing',
      'critical',
      'warning',
      'passing',
    ]);
  });

  it('success_before_passing=3: reports the first result, then needs 3 successes after a failure', () => {
    const t = new StatusThresholds(3, 0, 0);
    expect(t.apply('passing')).to.equal('passing');
    expect(t.apply('critical')).to.equal('critical');
    expect(t.apply('passing')).to.equal(undefined);
    expect(t.apply('passing')).to.equal(undefined);
    expect(t.apply('passing')).to.equal('passing');
  });

  it('failures_before_warning=1, failures_before_critical=3: warning then critical', () => {
    const t = new StatusThresholds(0, 1, 3);
    expect(t.apply('passing')).to.equal('passing');
    expect(t.apply('critical')).to.equal('warning');
    expect(t.apply('critical')).to.equal('warning');
    expect(t.apply('critical')).to.equal('critical');
    expect(t.apply('passing')).to.equal('passing');
    expect(t.apply('critical')).to.equal('warning');
  });

  it('failures_before_critical=2 alone (warning defaults to it): holds, then critical', () => {
    const t = new StatusThresholds(0, 2, 2);
    expect(t.apply('passing')).to.equal('passing');
    expect(t.apply('critical')).to.equal(undefined);
    expect(t.apply('critical')).to.equal('critical');
  });
});
