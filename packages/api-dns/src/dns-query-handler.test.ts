import { expect } from 'chai';
import * as dnsPacket from 'dns-packet';
import { FakeDataSource } from './test-support/fake-data-source.js';
import { ask, makeHandler } from './test-support/handler-harness.js';
import { queryPacket, rcodeOf } from './test-support/dns-test-client.js';

describe('DnsQueryHandler', () => {
  const source = () => new FakeDataSource().addNode({ Node: 'n', Address: '10.0.0.1' });

  it('answers FORMERR with the query ID for undecodable packets', async () => {
    const h = makeHandler(source());
    const truncated = queryPacket('n.node.consul', 'A', { id: 0xbeef }).subarray(0, 20);
    const reply = (await h.answer(truncated, 'udp'))!;
    expect(reply.readUInt16BE(0)).to.equal(0xbeef);
    expect(rcodeOf(reply)).to.equal(1);
    expect(reply[2]! & 0x80).to.equal(0x80);
    expect(rcodeOf((await h.answer(Buffer.from([0x12, 0x34, 0x01]), 'udp'))!)).to.equal(1);
  });

  it('rejects impossible section counts with FORMERR, cheaply', async () => {
    const h = makeHandler(source());
    const p = queryPacket('n.node.consul', 'A', { id: 77 });
    p.writeUInt16BE(0xffff, 6);
    p.writeUInt16BE(0xffff, 10);
    const started = Date.now();
    for (let i = 0; i < 500; i++) {
      const reply = (await h.answer(p, 'udp'))!;
      expect(rcodeOf(reply)).to.equal(1);
      expect(reply.readUInt16BE(0)).to.equal(77);
    }
    expect(Date.now() - started).to.be.below(500);
  });

  it('drops packets too short to carry an ID, and responses', async () => {
    const h = makeHandler(source());
    expect(await h.answer(Buffer.from([0x12]), 'udp')).to.equal(undefined);
    expect(await h.answer(Buffer.alloc(0), 'tcp')).to.equal(undefined);
    const response = queryPacket('n.node.consul', 'A');
    response[2] = response[2]! | 0x80;
    expect(await h.answer(response, 'udp')).to.equal(undefined);
  });

  it('answers FORMERR for a query without a question and NOTIMP for other opcodes', async () => {
    const h = makeHandler(source());
    const empty = dnsPacket.encode({ type: 'query', id: 7, questions: [] });
    expect(rcodeOf((await h.answer(empty, 'udp'))!)).to.equal(1);
    const update = queryPacket('n.node.consul', 'A');
    update[2] = (update[2]! & 0x87) | (5 << 3);
    expect(rcodeOf((await h.answer(update, 'udp'))!)).to.equal(4);
  });

  it('answers SERVFAIL when the data source fails', async () => {
    const s = source();
    s.failWith = new Error('store down');
    expect((await ask(makeHandler(s), 'n.node.consul', 'A')).rcode).to.equal('SERVFAIL');
  });

  it('answers SERVFAIL instead of stalling when the data source hangs', async () => {
    const s = source();
    s.stallMs = 400;
    const started = Date.now();
    const r = await ask(makeHandler(s, {}, { lookupTimeoutMs: 50 }), 'n.node.consul', 'A');
    expect(r.rcode).to.equal('SERVFAIL');
    expect(Date.now() - started).to.be.below(300);
  });

  it('copies RD and answers authoritatively without RA when there are no recursors', async () => {
    const r = await ask(makeHandler(source()), 'n.node.consul', 'A');
    expect(r.flag_rd).to.equal(true);
    expect(r.flag_aa).to.equal(true);
    expect(r.flag_ra).to.equal(false);
    expect(r.flag_qr).to.equal(true);
  });
});
