import { expect } from 'chai';
import { isCoded } from '../errors/proconsul-error.js';
import { formatDuration, formatDurationNs, parseDuration, parseDurationNs } from './duration.js';

function parseError(input: string | number): { code: string; statusCode: number; message: string } {
  try {
    parseDuration(input);
  } catch (err) {
    if (isCoded(err)) return err;
    throw err;
  }
  throw new Error(`expected ${String(input)} to be rejected`);
}

describe('duration', () => {
  describe('parseDuration', () => {
    const cases: Array<[string, number]> = [
      ['0', 0],
      ['-0', 0],
      ['10s', 10_000],
      ['1m30s', 90_000],
      ['500ms', 500],
      ['1.5h', 5_400_000],
      ['300us', 0.3],
      ['300µs', 0.3],
      ['300μs', 0.3],
      ['250ns', 0.00025],
      ['1h2m3s4ms', 3_723_004],
      ['.5s', 500],
      ['5.s', 5_000],
      ['1.1s', 1_100],
      ['-1.5s', -1_500],
      ['+2m', 120_000],
      ['0s', 0],
      ['72h', 259_200_000],
    ];
    for (const [input, ms] of cases) {
      it(`parses ${JSON.stringify(input)} as ${ms} ms`, () => {
        expect(parseDuration(input)).to.equal(ms);
      });
    }

    it('treats a JSON number as nanoseconds, as Go decodes time.Duration', () => {
      expect(parseDuration(10_000_000_000)).to.equal(10_000);
      expect(parseDuration(0)).to.equal(0);
      expect(parseDuration(1_500_000)).to.equal(1.5);
    });

    it('is exact in nanoseconds for decimal fractions', () => {
      expect(parseDurationNs('1.000000001s')).to.equal(1_000_000_001n);
      expect(parseDurationNs('0.1s')).to.equal(100_000_000n);
    });

    const bad: Array<[string, RegExp]> = [
      ['', /^time: invalid duration ""$/],
      ['x', /^time: invalid duration "x"$/],
      ['10', /^time: missing unit in duration "10"$/],
      ['1d', /^time: unknown unit "d" in duration "1d"$/],
      ['.s', /^time: invalid duration "\.s"$/],
      ['-', /^time: invalid duration "-"$/],
      ['1s ', /^time: unknown unit "s " in duration "1s "$/],
      ['s', /^time: invalid duration "s"$/],
      ['9999999999999999999ns', /^time: invalid duration/],
      ['3000000h', /^time: invalid duration/],
    ];
    for (const [input, message] of bad) {
      it(`rejects ${JSON.stringify(input)} with a coded 400 naming the value`, () => {
        const err = parseError(input);
        expect(err.code).to.equal('DURATION_INVALID');
        expect(err.statusCode).to.equal(400);
        expect(err.message).to.match(message);
      });
    }

    it('rejects non-finite numbers', () => {
      expect(parseError(Number.NaN).code).to.equal('DURATION_INVALID');
      expect(parseError(Number.POSITIVE_INFINITY).message).to.contain('Infinity');
    });

    it('accepts the largest int64 duration and rejects one more', () => {
      expect(parseDurationNs('9223372036854775807ns')).to.equal(9223372036854775807n);
      expect(() => parseDurationNs('9223372036854775808ns')).to.throw(/invalid duration/);
      expect(parseDurationNs('-9223372036854775808ns')).to.equal(-9223372036854775808n);
    });
  });

  describe('formatDuration', () => {
    const cases: Array<[number, string]> = [
      [0, '0s'],
      [10_000, '10s'],
      [15_000, '15s'],
      [90_000, '1m30s'],
      [500, '500ms'],
      [1_500, '1.5s'],
      [0.3, '300µs'],
      [0.0015, '1.5µs'],
      [0.000001, '1ns'],
      [3_600_000, '1h0m0s'],
      [5_400_000, '1h30m0s'],
      [3_723_004, '1h2m3.004s'],
      [-1_500, '-1.5s'],
      [1.25, '1.25ms'],
    ];
    for (const [ms, text] of cases) {
      it(`formats ${ms} ms as ${text}`, () => {
        expect(formatDuration(ms)).to.equal(text);
      });
    }

    it('round-trips through parseDuration', () => {
      for (const text of ['1h2m3.5s', '45m0s', '2.5ms', '17ns', '3µs']) {
        expect(formatDurationNs(parseDurationNs(text))).to.equal(text);
      }
    });

    it('rejects non-finite input', () => {
      expect(() => formatDuration(Number.NaN)).to.throw(/cannot format/);
    });
  });
});
