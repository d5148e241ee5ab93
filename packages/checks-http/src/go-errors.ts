/**
 * Consul's check output for a failed request is Go's error text; operators grep for it, so
 * the common cases are phrased the same way here.
 */
export function describeRequestError(method: string, url: string, err: unknown, timedOut: boolean, timeout: string): string {
  const op = method.length > 0 ? method[0]!.toUpperCase() + method.slice(1).toLowerCase() : 'Get';
  const prefix = `${op} ${JSON.stringify(url)}`;
  if (timedOut)
    return `${prefix}: context deadline exceeded (Client.Timeout exceeded while awaiting headers; timeout ${timeout})`;
  const e = err as NodeJS.ErrnoException & { address?: string; port?: number; hostname?: string };
  const addr = e.address !== undefined ? `${e.address.includes(':') ? `[${e.address}]` : e.address}:${e.port}` : '';
  switch (e.code) {
    case 'ECONNREFUSED':
      return `${prefix}: dial tcp ${addr}: connect: connection refused`;
    case 'ECONNRESET':
      return `${prefix}: read tcp ${addr}: read: connection reset by peer`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `${prefix}: dial tcp: lookup ${e.hostname ?? ''}: no such host`;
    case 'EHOSTUNREACH':
      return `${prefix}: dial tcp ${addr}: connect: no route to host`;
    default:
      if (typeof e.code === 'string' && /CERT|SELF_SIGNED|TLS|SSL|ALTNAME/.test(e.code)) {
        return `${prefix}: tls: failed to verify certificate: ${e.message}`;
      }
      return `${prefix}: ${e.message ?? String(err)}`;
  }
}
