import { expect } from 'chai';
import { metaTxtRecords, rfc1464 } from './dns-records.js';

describe('dns-records', () => {
  it('encodes node meta per RFC 1464 and passes rfc1035- keys raw', () => {
    expect(rfc1464('a=b', 'c`d')).to.equal('a`=b=c``d');
    expect(rfc1464(' k ', 'v')).to.equal('` k` =v');
    const txt = metaTxtRecords('n.node.consul', { 'rfc1035-raw': 'v=spf1', env: 'prod' }, 5);
    expect(txt.map((r) => ('data' in r ? String((r.data as Buffer[])[0]) : ''))).to.deep.equal(['env=prod', 'v=spf1']);
  });

  it('splits TXT text longer than 255 bytes into several strings', () => {
    const [r] = metaTxtRecords('n', { k: 'x'.repeat(600) }, 0);
    const parts = (r as { data: Buffer[] }).data;
    expect(parts.map((p) => p.length)).to.deep.equal([255, 255, 92]);
  });
});
