import { expect } from 'chai';
import { decodeJsonBody, validatorFor } from './json-body.js';

describe('decodeJsonBody', () => {
  it('compiles an equal schema once, even when each request passes a new literal', () => {
    const first = validatorFor({ type: 'object' });
    expect(validatorFor({ type: 'object' })).to.equal(first);
    expect(validatorFor({ type: 'array' })).to.not.equal(first);
  });

  it('still validates against the schema given: a mismatch is a 400 naming the field', () => {
    const schema = { type: 'object', properties: { Port: { type: 'integer' } } };
    expect(decodeJsonBody<{ Port: number }>(Buffer.from('{"Port":80}'), schema)).to.deep.equal({ Port: 80 });
    expect(() => decodeJsonBody(Buffer.from('{"Port":"x"}'), { ...schema })).to.throw(
      'Request decode failed: Port must be integer',
    );
    expect(() => decodeJsonBody(Buffer.from('[]'), { type: 'object' })).to.throw('Request decode failed: body must be object');
  });
});
