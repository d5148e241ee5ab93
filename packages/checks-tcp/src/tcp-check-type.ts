import net from 'node:net';
import {
  isTimeoutAbort,
  nodeTls,
  splitHostPort as splitAddress,
  type CheckDefinitionFields,
  type CheckResult,
  type CheckType,
} from '@proconsul/kernel';

/** Consul's "host:port"; a tcp check has always accepted port 0 (the dial then fails), so it still does. */
export const splitHostPort = (addr: string) => splitAddress(addr, 0);

/**
 * Consul's tcp check: passing when a connection (or, with TCPUseTLS, a TLS handshake)
 * completes within the timeout, critical otherwise. The connection is closed at once.
 * Both address families are tried (autoSelectFamily, Node 20's default for tls too), as Consul's dialer does.
 */
export class TcpCheckType implements CheckType {
  readonly type = 'tcp';
  readonly schema = {
    type: 'object',
    properties: {
      TCP: { type: 'string', minLength: 1 },
      TCPUseTLS: { type: 'boolean' },
      TLSSkipVerify: { type: 'boolean' },
      TLSServerName: { type: 'string' },
    },
    required: ['TCP'],
  };

  matches(d: CheckDefinitionFields): boolean {
    return d['TCP'] !== undefined && d['TCP'] !== '';
  }

  run(d: CheckDefinitionFields, signal: AbortSignal): Promise<CheckResult> {
    const addr = d['TCP'] as string;
    const useTls = d['TCPUseTLS'] === true;
    const label = useTls ? 'TCP+TLS' : 'TCP';
    let host: string;
    let port: number;
    try {
      ({ host, port } = splitHostPort(addr));
    } catch (err) {
      return Promise.resolve({ status: 'critical', output: `dial tcp ${(err as Error).message}` });
    }
    return new Promise((resolve) => {
      let settled = false;
      const done = (r: CheckResult) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        socket.destroy();
        resolve(r);
      };
      const onAbort = () =>
        done({
          status: 'critical',
          output: isTimeoutAbort(signal) ? `dial tcp ${addr}: i/o timeout` : `dial tcp ${addr}: operation was canceled`,
        });
      const socket = useTls
        ? nodeTls().connect({
            host,
            port,
            rejectUnauthorized: d['TLSSkipVerify'] !== true,
            servername: (d['TLSServerName'] as string | undefined) || (net.isIP(host) ? undefined : host),
          })
        : net.connect({ host, port, autoSelectFamily: true });
      socket.once(useTls ? 'secureConnect' : 'connect', () =>
        done({ status: 'passing', output: `${label} connect ${addr}: Success` }),
      );
      socket.once('error', (err: NodeJS.ErrnoException) => done({ status: 'critical', output: describe(addr, err) }));
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/** Go's net.Dial error text for the usual failures. */
function describe(addr: string, err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return `dial tcp ${addr}: connect: connection refused`;
    case 'EHOSTUNREACH':
      return `dial tcp ${addr}: connect: no route to host`;
    case 'ENETUNREACH':
      return `dial tcp ${addr}: connect: network is unreachable`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `dial tcp: lookup ${splitHostPort(addr).host}: no such host`;
    default:
      return `dial tcp ${addr}: ${err.message}`;
  }
}
