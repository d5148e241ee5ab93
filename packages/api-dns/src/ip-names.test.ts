import { expect } from 'chai';
import { addrLabelFor, canonicalIp, ipFromReverseName, reverseNameFor } from './ip-names.js';

describe('ip-names', () => {
  it('canonicalises IPv6 per RFC 5952 and keeps IPv4', () => {
    expect(canonicalIp('2001:0DB8:0:0:0:0:0:1')).to.equal('2001:db8::1');
    expect(canonicalIp('::ffff:10.0.0.1')).to.equal('::ffff:a00:1');
    expect(canonicalIp('1:0:1:0:0:0:1:1')).to.equal('1:0:1::1:1');
    expect(canonicalIp('1:2:3:4:5:6:0:8')).to.equal('1:2:3:4:5:6:0:8');
    expect(canonicalIp('::')).to.equal('::');
    expect(canonicalIp('10.1.2.3')).to.equal('10.1.2.3');
    expect(canonicalIp('host.example')).to.equal(undefined);
  });

  it('round-trips reverse names for both families', () => {
    for (const ip of ['10.1.2.3', '2001:db8::42']) expect(ipFromReverseName(reverseNameFor(ip)!)).to.equal(ip);
    expect(reverseNameFor('10.1.2.3')).to.equal('3.2.1.10.in-addr.arpa');
    expect(ipFromReverseName('2.1.10.in-addr.arpa')).to.equal(undefined);
    expect(ipFromReverseName('300.2.1.10.in-addr.arpa')).to.equal(undefined);
  });

  it('hex-encodes addresses for addr names', () => {
    expect(addrLabelFor('192.168.0.1')).to.equal('c0a80001');
    expect(addrLabelFor('2001:db8::1')).to.equal('20010db8000000000000000000000001');
  });
});
