import { expect } from 'chai';
import * as dnsPacket from 'dns-packet';
import { FakeDataSource } from './test-support/fake-data-source.js';
import { FakeUpstream } from './test-support/fake-upstream.js';
import { makeHandler } from './test-support/handler-harness.js';
import { queryPacket } from './test-support/dns-test-client.js';
import { parseRecursor } from './recursor-address.js';
import { isCoded } from '@proconsul/kernel';

describe('recursors', () => {
  const upstreams: FakeUpstream[] = [];
  const upstream = async (address: string | undefined) => {
    const u = new FakeUpstream(address);
    upstreams.push(u);
    return { u, port: await u.start() };
  };
  afterEach(async () => {
    await Promise.all(upstreams.splice(0).map((u) => u.stop()));
  });

  it('forwards names outside the domain to the upstream and relays its answer', async () => {
    const { u, port } = await upstream('93.184.216.34');
    const h = makeHandler(new FakeDataSource(), { recursors: [`127.0.0.1:${port}`] });
    const reply = await h.answer(queryPacket('Example.COM', 'A', { id: 4321 }), 'udp');
    const r = dnsPacket.decode(reply!);
    expect(r.id).to.equal(4321);
    expect(r.answers!.map((a) => (a as { data: string }).data)).to.deep.equal(['93.184.216.34']);
    expect(u.received).to.have.length(1);
    expect(u.received[0]!.questions![0]!.name).to.equal('Example.COM');
    // A fresh ID upstream, so replies to other queries cannot be mistaken for this one.
    expect(u.received[0]!.id).to.be.a('number');
  });

  it('tries each recursor in turn after a timeout', async () => {
    const dead = await upstream(undefined);
    const live = await upstream('1.2.3.4');
    const h = makeHandler(
      new FakeDataSource(),
      { recursors: [`127.0.0.1:${dead.port}`, `127.0.0.1:${live.port}`] },
      { recursorTimeoutMs: 100 },
    );
    const r = dnsPacket.decode((await h.answer(queryPacket('example.org', 'A'), 'udp'))!);
    expect(dead.u.received).to.have.length(1);
    expect(live.u.received).to.have.length(1);
    expect(r.answers!.map((a) => (a as { data: string }).data)).to.deep.equal(['1.2.3.4']);
  });

  it('answers SERVFAIL with RA when every recursor fails', async () => {
    const dead = await upstream(undefined);
    const h = makeHandler(new FakeDataSource(), { recursors: [`127.0.0.1:${dead.port}`] }, { recursorTimeoutMs: 100 });
    const r = dnsPacket.decode((await h.answer(queryPacket('example.org', 'A'), 'udp'))!) as dnsPacket.DecodedPacket & {
      rcode: string;
    };
    expect(r.rcode).to.equal('SERVFAIL');
    expect(r.flag_ra).to.equal(true);
  });

  it('answers REFUSED for names outside the domain without recursors', async () => {
    const h = makeHandler(new FakeDataSource());
    const r = dnsPacket.decode((await h.answer(queryPacket('example.org', 'A'), 'udp'))!) as dnsPacket.DecodedPacket & {
      rcode: string;
    };
    expect(r.rcode).to.equal('REFUSED');
    expect(r.flag_ra).to.equal(false);
    expect(r.questions![0]!.name).to.equal('example.org');
  });

  it('forwards reverse lookups for addresses the catalog does not know', async () => {
    const { u, port } = await upstream('0.0.0.0');
    const h = makeHandler(new FakeDataSource(), { recursors: [`127.0.0.1:${port}`] });
    await h.answer(queryPacket('8.8.8.8.in-addr.arpa', 'PTR'), 'udp');
    expect(u.received.map((q) => q.questions![0]!.name)).to.deep.equal(['8.8.8.8.in-addr.arpa']);
  });

  it("parses recursor addresses in Consul's forms and rejects host names", () => {
    expect(parseRecursor('8.8.8.8')).to.deep.equal({ host: '8.8.8.8', port: 53, family: 4 });
    expect(parseRecursor('127.0.0.1:5353')).to.deep.equal({ host: '127.0.0.1', port: 5353, family: 4 });
    expect(parseRecursor('[::1]:5300')).to.deep.equal({ host: '::1', port: 5300, family: 6 });
    expect(parseRecursor('::1')).to.deep.equal({ host: '::1', port: 53, family: 6 });
    expect(() => parseRecursor('dns.google'))
      .to.throw()
      .that.satisfies((e: unknown) => isCoded(e, 'DNS_RECURSOR_INVALID'));
  });
});
