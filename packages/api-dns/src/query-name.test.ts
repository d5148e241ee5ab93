import { expect } from 'chai';
import { parseQueryName } from './query-name.js';

describe('parseQueryName', () => {
  const p = (n: string) => parseQueryName(n, 'consul', 'alt.example');

  it('parses node names with and without a datacenter, in both dc forms', () => {
    expect(p('web1.node.consul')).to.deep.equal({ kind: 'node', domain: 'consul', dc: undefined, node: 'web1' });
    expect(p('web1.node.dc2.consul')).to.deep.include({ kind: 'node', dc: 'dc2', node: 'web1' });
    expect(p('web1.node.dc2.dc.consul')).to.deep.include({ kind: 'node', dc: 'dc2', node: 'web1' });
  });

  it('parses standard service names with an optional tag', () => {
    expect(p('redis.service.consul')).to.deep.equal({ kind: 'service', domain: 'consul', dc: undefined, service: 'redis' });
    expect(p('primary.redis.service.dc1.consul')).to.deep.include({ service: 'redis', tag: 'primary', dc: 'dc1' });
  });

  it('parses RFC 2782 names; _tcp means no tag filter', () => {
    expect(p('_redis._tcp.service.consul')).to.deep.equal({ kind: 'service', domain: 'consul', dc: undefined, service: 'redis' });
    expect(p('_redis._primary.service.dc2.consul')).to.deep.include({ service: 'redis', tag: 'primary', dc: 'dc2' });
    expect(p('_redis._tcp.consul')).to.deep.include({ kind: 'service', service: 'redis', dc: undefined });
    expect(p('_redis._v1.dc3.consul')).to.deep.include({ service: 'redis', tag: 'v1', dc: 'dc3' });
  });

  it('parses addr names into canonical IPs and rejects bad hex', () => {
    expect(p('c0a80001.addr.dc1.consul')).to.deep.include({ kind: 'addr', ip: '192.168.0.1' });
    expect(p('20010db8000000000000000000000001.addr.dc1.consul')).to.deep.include({ ip: '2001:db8::1' });
    expect(p('c0a800.addr.dc1.consul')).to.deep.include({ kind: 'addr', ip: undefined });
  });

  it('recognises the apex, the alt domain, reverse names and foreign names', () => {
    expect(p('consul')).to.deep.equal({ kind: 'apex', domain: 'consul' });
    expect(p('db.service.alt.example')).to.deep.include({ kind: 'service', domain: 'alt.example' });
    expect(p('1.0.0.127.in-addr.arpa')).to.deep.equal({ kind: 'ptr', ip: '127.0.0.1' });
    expect(p('example.com')).to.deep.equal({ kind: 'outside' });
    expect(p('notconsul')).to.deep.equal({ kind: 'outside' });
  });

  it('marks unknown forms inside the domain as invalid', () => {
    for (const n of ['foo.consul', 'node.consul', 'x.node.a.b.c.consul', 'query.consul', 'a..service.consul']) {
      expect(p(n), n).to.deep.equal({ kind: 'invalid', domain: 'consul' });
    }
  });

  it('parses prepared query names, with and without a datacenter', () => {
    expect(p('q.query.consul')).to.deep.include({ kind: 'query', domain: 'consul', query: 'q', dc: undefined });
    expect(p('web-q.query.dc2.consul')).to.deep.include({ kind: 'query', query: 'web-q', dc: 'dc2' });
  });
});
