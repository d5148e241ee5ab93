import { expect } from 'chai';
import { isCoded } from '@proconsul/kernel';
import { parseFlags, parseGoDuration, type FlagSpec } from './flag-set.js';

const SPECS: FlagSpec[] = [
  { name: 'recurse', kind: 'bool', usage: '' },
  { name: 'shell', kind: 'bool', default: true, usage: '' },
  { name: 'separator', kind: 'string', default: '/', usage: '' },
  { name: 'n', kind: 'int', default: 1, usage: '' },
  { name: 'flags', kind: 'uint', usage: '' },
  { name: 'timeout', kind: 'duration', usage: '' },
  { name: 'tag', kind: 'list', usage: '' },
  { name: 'meta', kind: 'map', usage: '' },
];

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return isCoded(e) ? `${e.code}: ${e.message}` : String(e);
  }
  return 'no error';
}

describe('parseFlags (Go flag package semantics)', () => {
  it('accepts -f, --f, -f=v and -f v forms and keeps defaults', () => {
    const p = parseFlags(SPECS, ['--recurse', '-separator', ':', '-n=3', 'key', '-ignored']);
    expect(p.bool('recurse')).to.equal(true);
    expect(p.bool('shell')).to.equal(true);
    expect(p.string('separator')).to.equal(':');
    expect(p.number('n')).to.equal(3);
    expect(p.args).to.deep.equal(['key', '-ignored']);
    expect([...p.given].sort()).to.deep.equal(['n', 'recurse', 'separator']);
  });

  it('stops at the first positional argument, at a lone "-" and after "--"', () => {
    expect(parseFlags(SPECS, ['k', '-recurse']).bool('recurse')).to.equal(false);
    expect(parseFlags(SPECS, ['-', '-recurse']).args).to.deep.equal(['-', '-recurse']);
    expect(parseFlags(SPECS, ['-recurse', '--', '-n', '2']).args).to.deep.equal(['-n', '2']);
  });

  it('sets bools only with "=", so "-shell false" leaves false as an argument', () => {
    const p = parseFlags(SPECS, ['-shell=false', '-recurse', 'false']);
    expect(p.bool('shell')).to.equal(false);
    expect(p.args).to.deep.equal(['false']);
  });

  it('repeats list and map flags', () => {
    const p = parseFlags(SPECS, ['-tag', 'a', '-tag=b', '-meta', 'x=1', '-meta=y=2=3']);
    expect(p.list('tag')).to.deep.equal(['a', 'b']);
    expect(p.map('meta')).to.deep.equal({ x: '1', y: '2=3' });
  });

  it('names the culprit in its errors', () => {
    expect(codeOf(() => parseFlags(SPECS, ['-bogus']))).to.equal('CLI_FLAG_UNDEFINED: flag provided but not defined: -bogus');
    expect(codeOf(() => parseFlags(SPECS, ['-n']))).to.equal('CLI_FLAG_NEEDS_ARGUMENT: flag needs an argument: -n');
    expect(codeOf(() => parseFlags(SPECS, ['-n=x']))).to.contain('invalid value "x" for flag -n');
    expect(codeOf(() => parseFlags(SPECS, ['-flags=-1']))).to.contain('-flags');
    expect(codeOf(() => parseFlags(SPECS, ['-recurse=maybe']))).to.contain('invalid value "maybe" for flag -recurse');
    expect(codeOf(() => parseFlags(SPECS, ['-meta', 'novalue']))).to.contain('-meta');
    expect(codeOf(() => parseFlags(SPECS, ['-timeout', '5']))).to.contain('-timeout');
  });

  it('parses Go durations to milliseconds', () => {
    expect(parseGoDuration('1h30m')).to.equal(5_400_000);
    expect(parseGoDuration('15s')).to.equal(15_000);
    expect(parseGoDuration('250ms')).to.equal(250);
    expect(parseGoDuration('1.5s')).to.equal(1500);
    expect(parseGoDuration('0')).to.equal(0);
    expect(parseGoDuration('5')).to.equal(undefined);
    expect(parseGoDuration('s')).to.equal(undefined);
  });
});
