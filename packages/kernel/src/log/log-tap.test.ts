import { expect } from 'chai';
import { LogFanout, type LogEntry } from './log-tap.js';
import { ConsoleLogger } from './logger.js';

describe('LogFanout (agent monitor tap)', () => {
  it('gives a subscriber lines at its own level, below the agent log level, until it unsubscribes', () => {
    const printed: string[] = [];
    const tap = new LogFanout();
    const log = new ConsoleLogger('info', 'agent', (l) => printed.push(l), tap).named('http');
    const got: LogEntry[] = [];
    const off = tap.subscribe('debug', (e) => got.push(e));
    log.debug('quiet detail', { n: 1 });
    log.info('visible');
    log.trace('too fine');
    expect(got.map((e) => [e.level, e.module, e.message])).to.deep.equal([
      ['debug', 'agent.http', 'quiet detail: n=1'],
      ['info', 'agent.http', 'visible'],
    ]);
    // The agent itself still prints at its own level only.
    expect(printed).to.have.length(1);
    expect(printed[0]).to.contain('[INFO]  agent.http: visible');
    off();
    log.info('after');
    expect(got).to.have.length(2);
  });
});
