import { queryPacket } from './dns-test-client.js';

const NAMES = [
  'web.service.consul',
  'n1.node.consul',
  '_web._tcp.service.consul',
  '1.0.0.10.in-addr.arpa',
  'consul',
  'example.com',
];
const TYPES = ['A', 'AAAA', 'SRV', 'TXT', 'ANY', 'PTR', 'SOA', 'NS', 'MX'];

/** Random and mutated DNS messages from a seeded PRNG; the same seed gives the same list. */
export function fuzzPackets(random: () => number, count: number): Buffer[] {
  const int = (n: number) => Math.floor(random() * n);
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const base = queryPacket(NAMES[int(NAMES.length)]!, TYPES[int(TYPES.length)]!, {
      id: int(0x10000),
      edns: random() < 0.3 ? int(0x10000) : undefined,
    });
    out.push(mutate(base, int, random));
  }
  return out;
}

function mutate(base: Buffer, int: (n: number) => number, random: () => number): Buffer {
  const b = Buffer.from(base);
  switch (int(7)) {
    case 0: // pure noise
      return Buffer.from(Array.from({ length: int(600) }, () => int(256)));
    case 1: // bit flips
      for (let k = 0; k < 1 + int(8); k++) b[int(b.length)]! ^= 1 << int(8);
      return b;
    case 2: // truncation
      return b.subarray(0, int(b.length));
    case 3: // absurd section counts
      b.writeUInt16BE(int(0x10000), 4 + 2 * int(4));
      return b;
    case 4: // compression pointer to itself / forward
      b[12] = 0xc0;
      b[13] = random() < 0.5 ? 12 : int(256);
      return b;
    case 5: // garbage appended or label lengths overrun
      return random() < 0.5 ? Buffer.concat([b, Buffer.from([int(256), int(256), int(256)])]) : (b.fill(63, 12, 14), b);
    default: // random flags/opcode, QR bit included
      b.writeUInt16BE(int(0x10000), 2);
      return b;
  }
}
