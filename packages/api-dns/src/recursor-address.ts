import { isIP } from 'node:net';
import { DnsRecursorInvalid } from './errors.js';

export interface RecursorAddress {
  readonly host: string;
  readonly port: number;
  readonly family: 4 | 6;
}

const DNS_PORT = 53;

/** Accepts Consul's recursor forms: "1.2.3.4", "1.2.3.4:5353", "::1", "[::1]:5353". */
export function parseRecursor(value: string): RecursorAddress {
  const v = value.trim().replace(/^(udp|tcp):\/\//, '');
  let host = v;
  let port = DNS_PORT;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(v);
  if (bracketed) {
    host = bracketed[1]!;
    if (bracketed[2] !== undefined) port = Number(bracketed[2]);
  } else if (isIP(v) === 0) {
    const i = v.lastIndexOf(':');
    if (i > 0) {
      host = v.slice(0, i);
      port = Number(v.slice(i + 1));
    }
  }
  const family = isIP(host);
  if (family === 0) throw DnsRecursorInvalid(value, 'is not an IP address (host names are not resolved)');
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw DnsRecursorInvalid(value, 'has an invalid port');
  return { host, port, family: family as 4 | 6 };
}

export function formatRecursor(r: RecursorAddress): string {
  return r.family === 6 ? `[${r.host}]:${r.port}` : `${r.host}:${r.port}`;
}
