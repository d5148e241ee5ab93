import { expect } from 'chai';
import * as dnsPacket from 'dns-packet';
import { FakeDataSource } from './test-support/fake-data-source.js';
import { ask, makeHandler } from './test-support/handler-harness.js';
import { queryPacket } from './test-support/dns-test-client.js';

function many(n: number, service = 'big'): FakeDataSource {
  const s = new FakeDataSource();
  for (let i = 0; i < n; i++) {
    s.addNode({ Node: `node-${i}`, Address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` });
    s.addService(`node-${i}`, { Service: service, Port: 1000 + i });
  }
  return s;
}

describe('response size limits', () => {
  it('caps plain UDP answers at udp_answer_limit, without TC by default', async () => {
    const r = await ask(makeHandler(many(20)), 'big.service.consul', 'A');
    expect(r.answers).to.have.length(3);
    expect(r.flag_tc).to.equal(false);
  });

  it('sets TC when answers were cut and enable_truncate is on', async () => {
    const r = await ask(makeHandler(many(20), { dns: { enableTruncate: true } }), 'big.service.consul', 'A');
    expect(r.answers).to.have.length(3);
    expect(r.flag_tc).to.equal(true);
  });

  it("honours a larger udp_answer_limit up to Consul's cap of 8", async () => {
    expect((await ask(makeHandler(many(20), { dns: { udpAnswerLimit: 5 } }), 'big.service.consul', 'A')).answers).to.have.length(
      5,
    );
    expect((await ask(makeHandler(many(20), { dns: { udpAnswerLimit: 50 } }), 'big.service.consul', 'A')).answers).to.have.length(
      8,
    );
  });

  it('fills an EDNS0 buffer, echoes OPT, and keeps the UDP reply within it', async () => {
    const h = makeHandler(many(300), { dns: { enableTruncate: true } });
    const reply = (await h.answer(queryPacket('big.service.consul', 'A', { edns: 1232 }), 'udp'))!;
    expect(reply.length).to.be.at.most(1232);
    const r = dnsPacket.decode(reply);
    expect(r.answers!.length).to.be.greaterThan(3);
    expect(r.flag_tc).to.equal(true);
    const opt = r.additionals!.find((a) => a.type === 'OPT') as dnsPacket.OptAnswer;
    expect(opt.udpPayloadSize).to.equal(1232);
  });

  it("keeps plain UDP SRV replies within 512 bytes with each SRV target's address", async () => {
    const h = makeHandler(many(50), { dns: { udpAnswerLimit: 8 } });
    const reply = (await h.answer(queryPacket('big.service.consul', 'SRV'), 'udp'))!;
    expect(reply.length).to.be.at.most(512);
    const r = dnsPacket.decode(reply);
    const targets = (r.answers as dnsPacket.SrvAnswer[]).map((a) => a.data.target).sort();
    expect(targets.length).to.be.greaterThan(0);
    expect(r.additionals!.map((a) => a.name).sort()).to.deep.equal(targets);
  });

  it('returns every instance over TCP while the message fits 64 KiB', async () => {
    const r = await ask(makeHandler(many(1000)), 'big.service.consul', 'A', { transport: 'tcp' });
    expect(r.answers).to.have.length(1000);
    const srv = await makeHandler(many(1000)).answer(queryPacket('big.service.consul', 'SRV'), 'tcp');
    expect(srv!.length).to.be.at.most(65535);
    expect(dnsPacket.decode(srv!).answers!.length).to.be.within(300, 999);
  });

  it('applies a_record_limit on every transport', async () => {
    const h = makeHandler(many(20), { dns: { aRecordLimit: 2 } });
    expect((await ask(h, 'big.service.consul', 'A', { transport: 'tcp' })).answers).to.have.length(2);
    expect((await ask(h, 'big.service.consul', 'SRV', { transport: 'tcp' })).answers).to.have.length(20);
  });
});
