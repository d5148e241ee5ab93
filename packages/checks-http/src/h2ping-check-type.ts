import type * as Http2 from 'node:http2';
import net from 'node:net';
import {
  isTimeoutAbort,
  splitHostPort,
  type CheckDefinitionFields,
  type CheckResult,
  type CheckRunContext,
  type CheckType,
} from '@proconsul/kernel';
import { H2PingAddressInvalid } from './errors.js';

const SUCCESS: CheckResult = { status: 'passing', output: 'HTTP2 ping was successful' };

/**
 * Consul's h2ping check: open an HTTP/2 connection to host:port (TLS with ALPN "h2" unless
 * H2PingUseTLS is false, then cleartext h2c with prior knowledge) and send one PING frame;
 * passing when it is acknowledged within the timeout, critical otherwise. A fresh
 * connection per run, closed at once, so a check never rides on a stale session.
 */
export class H2PingCheckType implements CheckType {
  readonly type = 'h2ping';
  readonly schema = {
    type: 'object',
    properties: {
      H2PING: { type: 'string', minLength: 1 },
      H2PingUseTLS: { type: 'boolean' },
      TLSSkipVerify: { type: 'boolean' },
      TLSServerName: { type: 'string' },
    },
    required: ['H2PING'],
  };

  matches(d: CheckDefinitionFields): boolean {
    return d['H2PING'] !== undefined && d['H2PING'] !== '';
  }

  validate(d: CheckDefinitionFields, _context: CheckRunContext): void {
    try {
      splitHostPort(d['H2PING'] as string);
    } catch (err) {
      throw H2PingAddressInvalid((err as Error).message);
    }
  }

  run(d: CheckDefinitionFields, signal: AbortSignal): Promise<CheckResult> {
    const addr = d['H2PING'] as string;
    let host: string;
    let port: number;
    try {
      ({ host, port } = splitHostPort(addr));
    } catch (err) {
      return Promise.resolve({ status: 'critical', output: `Failed to dial to ${addr}: ${(err as Error).message}` });
    }
    // node:http2 on first use (node caches it): every agent loads this plugin, few run this check,
    // and the module costs ~1.4 MiB (docs/performance.md, "Client agent memory").
    return import('node:http2').then((http2) => this.ping(http2, d, addr, host, port, signal));
  }

  private ping(
    http2: typeof Http2,
    d: CheckDefinitionFields,
    addr: string,
    host: string,
    port: number,
    signal: AbortSignal,
  ): Promise<CheckResult> {
    // Consul's default is TLS: only an explicit false turns it off.
    const useTls = d['H2PingUseTLS'] !== false;
    const authority = `${useTls ? 'https' : 'http'}://${net.isIPv6(host) ? `[${host}]` : host}:${port}`;
    return new Promise((resolve) => {
      let connected = false;
      let settled = false;
      const done = (r: CheckResult) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        session.destroy();
        resolve(r);
      };
      const onAbort = () => {
        const reason = isTimeoutAbort(signal) ? 'context deadline exceeded' : 'context canceled';
        done({
          status: 'critical',
          output: connected ? `Failed to ping server: ${reason}` : `Failed to dial to ${addr}: ${reason}`,
        });
      };
      const serverName = (d['TLSServerName'] as string | undefined) || (net.isIP(host) ? undefined : host);
      const session = http2.connect(authority, {
        ...(useTls ? { rejectUnauthorized: d['TLSSkipVerify'] !== true, ALPNProtocols: ['h2'] } : {}),
        ...(useTls && serverName ? { servername: serverName } : {}),
      });
      session.once('error', (err: NodeJS.ErrnoException) =>
        done({
          status: 'critical',
          output: connected ? `Failed to ping server: ${err.message}` : `Failed to dial to ${addr}: ${dialError(addr, err)}`,
        }),
      );
      session.once('close', () =>
        done({ status: 'critical', output: `Failed to ping server: connection closed before the ping was acknowledged` }),
      );
      session.once('connect', () => {
        connected = true;
        const sent = session.ping((err) =>
          done(err ? { status: 'critical', output: `Failed to ping server: ${err.message}` } : SUCCESS),
        );
        if (!sent) done({ status: 'critical', output: 'Failed to ping server: the PING frame could not be sent' });
      });
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/** Go's net.Dial / TLS error text for the usual failures. */
function dialError(addr: string, err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return `dial tcp ${addr}: connect: connection refused`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `dial tcp: lookup ${splitHostPort(addr).host}: no such host`;
    default:
      return err.message;
  }
}
