import type Koa from 'koa';
import Router, { type Layer, type RouterMiddleware } from '@koa/router';

/** What `Router.routes()` returns, called here with a plain koa context as koa itself would. */
type Routes = (ctx: Koa.Context, next: Koa.Next) => Promise<unknown>;

/**
 * koa-router tests a request against every route it holds: with the API's ~200 routes that
 * was 5–6% of a leader's CPU under a KV read load (3% in `match`, 2% in its regexps). Routes
 * are therefore kept in one router per literal two-segment prefix (`/v1/kv`, `/v1/agent`, …),
 * so a request is matched only against its own group, and routes whose pattern has no such
 * prefix (`/ui/*file`, `/`) in a fallback router tried after it. Matching stays koa-router's
 * (case-insensitive, trailing slash optional), so which route answers a path does not change.
 */
export class RouteIndex {
  private readonly groups = new Map<string, { router: Router; routes: Routes }>();
  private readonly fallback = new Router();
  private readonly fallbackRoutes = this.fallback.routes() as unknown as Routes;

  register(path: string, methods: string[], handler: RouterMiddleware): void {
    const key = patternGroup(path);
    if (key === undefined) {
      this.fallback.register(path, methods, handler);
      return;
    }
    let g = this.groups.get(key);
    if (!g) {
      const router = new Router();
      g = { router, routes: router.routes() as unknown as Routes };
      this.groups.set(key, g);
    }
    g.router.register(path, methods, handler);
  }

  /** Runs the route that matches, else calls on (koa-router's contract, unchanged). */
  middleware(): Koa.Middleware {
    return (ctx: Koa.Context, next: Koa.Next) => {
      const g = this.groups.get(requestGroup(ctx.path));
      if (!g) return this.fallbackRoutes(ctx, next);
      return g.routes(ctx, () => this.fallbackRoutes(ctx, next));
    };
  }

  /** koa-router's `match` over the routes that could serve `path`: `route` when one serves `method` too. */
  match(path: string, method: string): { route: boolean; path: Layer[] } {
    const g = this.groups.get(requestGroup(path));
    const a = g?.router.match(path, method);
    const b = this.fallback.match(path, method);
    return { route: (a?.route ?? false) || b.route, path: [...(a?.path ?? []), ...b.path] };
  }
}

/**
 * The group of a route pattern: its first two path segments when both are literal and
 * complete (`/v1/kv{/*key}` → `/v1/kv`), lower-cased as koa-router matches; undefined when
 * the pattern has fewer (`/ui{/*path}`, `/:x/y`).
 */
export function patternGroup(pattern: string): string | undefined {
  const literal = /^[^:*{(]*/.exec(pattern)![0];
  const rest = pattern.slice(literal.length);
  // The last literal segment is whole only when the pattern ends there or an optional `{/…}` follows.
  const whole = rest === '' || rest.startsWith('{/') ? literal : literal.slice(0, literal.lastIndexOf('/') + 1);
  const parts = whole.split('/');
  if (parts[0] !== '' || parts.length < 3 || !parts[1] || !parts[2]) return undefined;
  return `/${parts[1]}/${parts[2]}`.toLowerCase();
}

/** The group a request path falls in: its first two segments, lower-cased (`/v1/kv/a/b` → `/v1/kv`). */
export function requestGroup(path: string): string {
  const first = path.indexOf('/', 1);
  if (first < 0) return path.toLowerCase();
  const second = path.indexOf('/', first + 1);
  return (second < 0 ? path : path.slice(0, second)).toLowerCase();
}
