import { expect } from 'chai';
import { commonJsExports } from './commonjs-exports.js';

describe('commonJsExports', () => {
  const exportsObject = { set: () => 1, provider: 'p' };

  it("reads a bundler's namespace, which holds module.exports only as default", () => {
    expect(commonJsExports<typeof exportsObject>({ default: exportsObject })).to.equal(exportsObject);
  });

  it("reads Node's namespace of a CommonJS module, whose detected names sit beside default", () => {
    const ns = { default: exportsObject, set: exportsObject.set, provider: 'p' };
    expect(commonJsExports<typeof exportsObject>(ns).provider).to.equal('p');
  });

  it('leaves an ES module namespace alone', () => {
    const ns = { provider: 'esm' };
    expect(commonJsExports(ns)).to.equal(ns);
  });
});
