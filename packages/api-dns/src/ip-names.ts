import { isIP } from 'node:net';

/** 4 or 16 bytes for an IP literal, or undefined. */
export function ipToBytes(ip: string): Uint8Array | undefined {
  const family = isIP(ip);
  if (family === 4) return Uint8Array.from(ip.split('.').map(Number));
  if (family !== 6) return undefined;
  let text = ip.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const b = v4[1]!.split('.').map(Number);
    text = text.slice(0, -v4[1]!.length) + `${((b[0]! << 8) | b[1]!).toString(16)}:${((b[2]! << 8) | b[3]!).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const n = parseInt(g, 16);
    out[i * 2] = n >> 8;
    out[i * 2 + 1] = n & 0xff;
  });
  return out;
}

/** Canonical text: dotted quad, or RFC 5952 (lower-case, longest zero run compressed). */
export function bytesToIp(b: Uint8Array): string {
  if (b.length === 4) return Array.from(b).join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((b[i]! << 8) | b[i + 1]!);
  let bestAt = -1;
  let bestLen = 1; // RFC 5952: a single zero group is not compressed
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [bestAt, bestLen] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestAt < 0) return hex.join(':');
  return `${hex.slice(0, bestAt).join(':')}::${hex.slice(bestAt + bestLen).join(':')}`;
}

export function canonicalIp(ip: string): string | undefined {
  const b = ipToBytes(ip);
  return b && bytesToIp(b);
}

/** `<hex>.addr` label: 8 hex digits for IPv4, 32 for IPv6. */
export function ipFromAddrLabel(label: string): string | undefined {
  if (!/^[0-9a-f]+$/.test(label) || (label.length !== 8 && label.length !== 32)) return undefined;
  return bytesToIp(Uint8Array.from(Buffer.from(label, 'hex')));
}

export function addrLabelFor(ip: string): string | undefined {
  const b = ipToBytes(ip);
  return b && Buffer.from(b).toString('hex');
}

/** `4.3.2.1.in-addr.arpa` / 32-nibble `ip6.arpa` names; partial names give undefined. */
export function ipFromReverseName(name: string): string | undefined {
  const labels = name.split('.');
  if (name.endsWith('.in-addr.arpa')) {
    const octets = labels.slice(0, -2).reverse();
    if (octets.length !== 4 || !octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255)) return undefined;
    return octets.map(Number).join('.');
  }
  if (name.endsWith('.ip6.arpa')) {
    const nibbles = labels.slice(0, -2).reverse();
    if (nibbles.length !== 32 || !nibbles.every((n) => /^[0-9a-f]$/.test(n))) return undefined;
    return bytesToIp(Uint8Array.from(Buffer.from(nibbles.join(''), 'hex')));
  }
  return undefined;
}

export function reverseNameFor(ip: string): string | undefined {
  const b = ipToBytes(ip);
  if (!b) return undefined;
  if (b.length === 4) return `${Array.from(b).reverse().join('.')}.in-addr.arpa`;
  return `${Buffer.from(b).toString('hex').split('').reverse().join('.')}.ip6.arpa`;
}
