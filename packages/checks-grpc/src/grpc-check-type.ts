import type * as Http2 from 'node:http2';
import type { IncomingHttpHeaders } from 'node:http2';
import type { ConnectionOptions } from 'node:tls';
import { isTimeoutAbort, type CheckDefinitionFields, type CheckResult, type CheckType } from '@proconsul/kernel';
import {
  GRPC_CODES,
  SERVING_STATUS,
  decodeHealthRequestTarget,
  decodeHealthResponse,
  encodeHealthRequest,
} from './grpc-health.js';

/**
 * Consul's grpc check: the standard grpc.health.v1.Health/Check call over HTTP/2 (node:http2, loaded
 * with the first probe; one connection per probe, closed afterwards). SERVING is passing, anything else critical.
 * Target "host:port[/service]"; GRPCUseTLS switches to TLS (TLSSkipVerify, TLSServerName apply).
 */
export class GrpcCheckType implements CheckType {
  readonly type = 'grpc';

  /** `agentTls`: the agent's TLS options when enable_agent_tls_for_checks is on (read per run: reloads apply). */
  constructor(private readonly agentTls?: () => ConnectionOptions) {}

  readonly schema = {
    type: 'object',
    properties: {
      GRPC: { type: 'string', minLength: 1 },
      GRPCUseTLS: { type: 'boolean' },
      TLSSkipVerify: { type: 'boolean' },
      TLSServerName: { type: 'string' },
    },
    required: ['GRPC'],
  };

  matches(d: CheckDefinitionFields): boolean {
    return d['GRPC'] !== undefined && d['GRPC'] !== '';
  }

  run(d: CheckDefinitionFields, signal: AbortSignal): Promise<CheckResult> {
    const target = d['GRPC'] as string;
    const { authority, service } = decodeHealthRequestTarget(target);
    // node:http2 on first use (node caches it): every agent loads this plugin, few run this check,
    // and the module costs ~1.4 MiB (docs/performance.md, "Client agent memory").
    return import('node:http2').then((http2) => this.probe(http2, d, signal, target, authority, service));
  }

  private probe(
    http2: typeof Http2,
    d: CheckDefinitionFields,
    signal: AbortSignal,
    target: string,
    authority: string,
    service: string,
  ): Promise<CheckResult> {
    const useTls = d['GRPCUseTLS'] === true;
    return new Promise((resolve) => {
      let settled = false;
      const chunks: Buffer[] = [];
      let grpcStatus: number | undefined;
      let grpcMessage = '';
      const client = http2.connect(`${useTls ? 'https' : 'http'}://${authority}`, {
        ...(useTls && this.agentTls?.()),
        rejectUnauthorized: d['TLSSkipVerify'] !== true,
        ...(d['TLSServerName'] ? { servername: d['TLSServerName'] as string } : {}),
      });
      const done = (r: CheckResult) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        client.destroy();
        resolve(r);
      };
      const rpcError = (code: number, desc: string): CheckResult => ({
        status: 'critical',
        output: `rpc error: code = ${GRPC_CODES[code] ?? code} desc = ${desc}`,
      });
      const onAbort = () =>
        done(isTimeoutAbort(signal) ? rpcError(4, 'context deadline exceeded') : rpcError(1, 'context canceled'));
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });

      client.on('error', (err) => done(rpcError(14, `connection error: ${err.message}`)));
      const req = client.request({
        ':method': 'POST',
        ':path': '/grpc.health.v1.Health/Check',
        'content-type': 'application/grpc',
        te: 'trailers',
      });
      const takeStatus = (h: IncomingHttpHeaders) => {
        if (h['grpc-status'] !== undefined) grpcStatus = Number(h['grpc-status']);
        if (typeof h['grpc-message'] === 'string') grpcMessage = decodeURIComponent(h['grpc-message']);
      };
      req.on('response', (h) => {
        const httpStatus = Number(h[':status']);
        if (httpStatus !== 200) done(rpcError(14, `unexpected HTTP status code received from server: ${httpStatus}`));
        takeStatus(h); // a "trailers-only" error response carries grpc-status in the headers
      });
      req.on('trailers', takeStatus);
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('error', (err: Error & { cause?: Error }) =>
        // A stream cancelled because the connection failed carries the socket error as cause.
        done(rpcError(14, err.cause ? `connection error: ${err.cause.message}` : err.message)),
      );
      req.on('end', () => {
        if (grpcStatus === undefined) return done(rpcError(13, 'server closed the stream without sending trailers'));
        if (grpcStatus !== 0) return done(rpcError(grpcStatus, grpcMessage));
        let status: number;
        try {
          status = decodeHealthResponse(Buffer.concat(chunks));
        } catch (err) {
          return done(rpcError(13, (err as Error).message));
        }
        if (status === 1) return done({ status: 'passing', output: `gRPC check ${target}: success` });
        const name = SERVING_STATUS[status] ?? String(status);
        done({ status: 'critical', output: `gRPC ${target} serving status: ${name}` });
      });
      req.end(encodeHealthRequest(service));
    });
  }
}
