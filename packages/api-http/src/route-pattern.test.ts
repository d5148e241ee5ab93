import { expect } from 'chai';
import { isCoded } from '@proconsul/kernel';
import { compileRoutePattern, routeParams } from './route-pattern.js';

function params(pattern: string, path: string): Record<string, string> | undefined {
  const p = compileRoutePattern(pattern);
  const m = p.regexp.exec(path);
  return m ? routeParams(p.keys, m) : undefined;
}

describe('route patterns', () => {
  it('an optional group matches with and without its part, and an empty capture is no parameter', () => {
    expect(params('/v1/kv{/*key}', '/v1/kv')).to.deep.equal({});
    expect(params('/v1/kv{/*key}', '/v1/kv/a/b')).to.deep.equal({ key: 'a/b' });
    expect(params('/a{/:x{/:y}}', '/a/1/2')).to.deep.equal({ x: '1', y: '2' });
    expect(params('/a{/:x{/:y}}', '/a/1')).to.deep.equal({ x: '1' });
    expect(params('/a{/:x{/:y}}', '/a/1/2/3')).to.equal(undefined);
  });

  it('escaped and regexp-special characters are literal', () => {
    expect(params('/v1/a\\:b.c', '/v1/a:b.c')).to.deep.equal({});
    expect(params('/v1/a\\:b.c', '/v1/a:bxc')).to.equal(undefined);
    expect(params('/v1/$x^', '/v1/$X^')).to.deep.equal({});
  });

  it('decodes a parameter once, keeping one that is not valid percent-encoding as it came', () => {
    expect(params('/v1/:id', '/v1/a%252Fb')).to.deep.equal({ id: 'a%2Fb' });
    expect(params('/v1/:id', '/v1/%E2%9C')).to.deep.equal({ id: '%E2%9C' });
  });

  it('refuses, when registered, patterns outside the forms it implements', () => {
    for (const bad of ['/v1/:a:b', '/v1/:a*b', '/v1/*a/:b', '/v1/(x)', '/v1/x?', '/v1/{x', '/v1/x}', '/v1/:', '/v1/x\\'])
      expect(() => compileRoutePattern(bad), bad)
        .to.throw()
        .that.satisfies((e: unknown) => isCoded(e, 'HTTP_ROUTE_PATTERN_INVALID'));
  });
});
