import type Koa from 'koa';
import { redactUrlToken, type Logger } from '@proconsul/kernel';

/**
 * Consul's debug line per request: `Request finished: method=GET url=/v1/kv/a?token=<hidden>
 * from=127.0.0.1:52341 latency=1.2ms`. The `token` query parameter is hidden at the source;
 * headers (X-Consul-Token, Authorization) are never logged.
 */
export function requestLog(log: Logger): Koa.Middleware {
  return async (ctx, next) => {
    // Checked per request: a monitor may ask for debug lines at any time.
    if (log.enabled?.('debug') === false) return next();
    const start = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      log.debug('Request finished', {
        method: ctx.method,
        url: redactUrlToken(ctx.originalUrl),
        from: `${ctx.request.ip}:${ctx.req.socket?.remotePort ?? 0}`,
        status: ctx.status,
        latency: `${ms.toFixed(3)}ms`,
      });
    }
  };
}
