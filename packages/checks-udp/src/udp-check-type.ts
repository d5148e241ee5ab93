import dgram from 'node:dgram';
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import {
  isTimeoutAbort,
  splitHostPort,
  type CheckDefinitionFields,
  type CheckResult,
  type CheckRunContext,
  type CheckType,
} from '@proconsul/kernel';
import { UdpAddressInvalid } from './errors.js';

/** What goes out; UDP services that answer anything (or nothing) are healthy, so the content is arbitrary. */
const PROBE = Buffer.from('ping');

/**
 * Consul's udp check: one datagram to host:port, then wait out the timeout. Any reply is
 * passing; silence until the timeout is passing too (UDP services need not answer);
 * an error on the socket — above all the ICMP port-unreachable a connected socket
 * reports as ECONNREFUSED — is critical. The socket is connected so that ICMP errors reach it.
 */
export class UdpCheckType implements CheckType {
  readonly type = 'udp';
  readonly schema = {
    type: 'object',
    properties: { UDP: { type: 'string', minLength: 1 } },
    required: ['UDP'],
  };

  matches(d: CheckDefinitionFields): boolean {
    return d['UDP'] !== undefined && d['UDP'] !== '';
  }

  validate(d: CheckDefinitionFields, _context: CheckRunContext): void {
    try {
      splitHostPort(d['UDP'] as string);
    } catch (err) {
      throw UdpAddressInvalid((err as Error).message);
    }
  }

  async run(d: CheckDefinitionFields, signal: AbortSignal): Promise<CheckResult> {
    const addr = d['UDP'] as string;
    const success: CheckResult = { status: 'passing', output: `UDP connect ${addr}: Success` };
    let host: string;
    let port: number;
    let family: number;
    try {
      ({ host, port } = splitHostPort(addr));
      family = net.isIP(host);
      if (family === 0) ({ address: host, family } = await lookup(host));
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      const output =
        e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN'
          ? `dial udp: lookup ${splitHostPort(addr).host}: no such host`
          : `dial udp ${e.message}`;
      return { status: 'critical', output };
    }
    if (signal.aborted) return isTimeoutAbort(signal) ? success : canceled(addr);
    return new Promise((resolve) => {
      const socket = dgram.createSocket(family === 6 ? 'udp6' : 'udp4');
      let settled = false;
      const done = (r: CheckResult) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        socket.close();
        resolve(r);
      };
      // Reaching the timeout without an error is Consul's "no answer is fine".
      const onAbort = () => done(isTimeoutAbort(signal) ? success : canceled(addr));
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('message', () => done(success));
      socket.once('error', (err: NodeJS.ErrnoException) =>
        done({ status: 'critical', output: describe(addr, localOf(socket), err) }),
      );
      socket.connect(port, host, () => socket.send(PROBE));
    });
  }
}

function canceled(addr: string): CheckResult {
  return { status: 'critical', output: `dial udp ${addr}: operation was canceled` };
}

function localOf(socket: dgram.Socket): string {
  try {
    const a = socket.address();
    return a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
  } catch {
    return '';
  }
}

/** Go's net error text for the usual failures of a connected UDP socket. */
function describe(addr: string, local: string, err: NodeJS.ErrnoException): string {
  const where = local ? `${local}->${addr}` : addr;
  switch (err.code) {
    case 'ECONNREFUSED':
      return `read udp ${where}: read: connection refused`;
    case 'EHOSTUNREACH':
      return `write udp ${where}: write: no route to host`;
    case 'ENETUNREACH':
      return `write udp ${where}: write: network is unreachable`;
    default:
      return `udp ${where}: ${err.message}`;
  }
}
