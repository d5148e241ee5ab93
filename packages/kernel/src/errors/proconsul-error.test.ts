import { expect } from 'chai';
import { defineError, isCoded, ProconsulError } from './proconsul-error.js';

type ErrorModule = typeof import('./proconsul-error.js');

describe('ProconsulError across copies of the kernel', () => {
  // A second instance of this module, as a bundle that carries its own kernel has.
  let other: ErrorModule;
  before(async () => {
    // @ts-expect-error -- the query string makes Node evaluate the file again; the types are this module's
    other = (await import('./proconsul-error.js?second-copy')) as ErrorModule;
  });

  it('is two distinct classes, as two copies are', () => {
    expect(other.ProconsulError).to.not.equal(ProconsulError);
  });

  it('recognises a coded error made by the other copy, both ways, with its code and status', () => {
    const theirs = other.defineError('THEIR_CODE', 409, (n: string) => `conflict on ${n}`)('x');
    expect(theirs).to.be.instanceOf(ProconsulError);
    expect(isCoded(theirs, 'THEIR_CODE')).to.equal(true);
    expect(isCoded(theirs, 'ANOTHER')).to.equal(false);
    const ours = defineError('OUR_CODE', 400, () => 'bad')();
    expect(other.isCoded(ours, 'OUR_CODE')).to.equal(true);
    expect(ours.statusCode).to.equal(400);
  });

  it('does not take a plain error that merely has a code for a coded one', () => {
    const plain = Object.assign(new Error('x'), { code: 'ENOENT', statusCode: 400 });
    expect(isCoded(plain)).to.equal(false);
    expect(plain).to.not.be.instanceOf(ProconsulError);
    expect(isCoded(null)).to.equal(false);
    expect(isCoded('PLUGIN_INVALID')).to.equal(false);
  });
});
