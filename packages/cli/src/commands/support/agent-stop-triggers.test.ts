import { expect } from 'chai';
import { AgentStopTriggers } from './agent-stop-triggers.js';

describe('AgentStopTriggers', () => {
  it('the first SIGINT/SIGTERM asks for a stop, a second one forces the exit', async () => {
    const before = process.listenerCount('SIGTERM');
    const forced: string[] = [];
    const t = new AgentStopTriggers({}, (s) => forced.push(s));
    try {
      process.emit('SIGINT');
      expect(await t.first).to.equal('SIGINT');
      expect(forced).to.deep.equal([]);
      process.emit('SIGTERM');
      expect(forced).to.deep.equal(['SIGTERM']);
    } finally {
      t.dispose();
    }
    expect(process.listenerCount('SIGTERM')).to.equal(before);
  });

  it('/v1/agent/leave stops the agent without another leave; a later signal forces the exit', async () => {
    const forced: string[] = [];
    const t = new AgentStopTriggers({}, (s) => forced.push(s));
    try {
      t.requestLeave();
      expect(await t.first).to.equal('leave');
      process.emit('SIGINT');
      expect(forced).to.deep.equal(['SIGINT']);
    } finally {
      t.dispose();
    }
  });
});
