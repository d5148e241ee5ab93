import { compileRoutePattern, routeParams, type RoutePattern } from './route-pattern.js';

interface Layer<H> {
  readonly pattern: RoutePattern;
  /** The registered method, and HEAD after a GET (answered by the GET route). */
  readonly methods: readonly string[];
  readonly handler: H;
}

export interface RouteMatch<H> {
  readonly handler: H;
  readonly params: Record<string, string>;
}

/**
 * The API's routes, kept per literal two-segment prefix (`/v1/kv`, `/v1/agent`, …) so a
 * request is tested only against its own group (`/v1/kv` has 3 routes, the API ~200), and
 * routes whose pattern has no such prefix (`/ui/*file`, `/`) in a fallback list tried
 * after it. Within a list the first route registered that matches both path and method
 * answers, as it did under koa-router.
 */
export class RouteIndex<H> {
  private readonly groups = new Map<string, Layer<H>[]>();
  private readonly fallback: Layer<H>[] = [];
  /** Same pattern, same regexp: an endpoint serving GET, PUT and DELETE compiles once. */
  private readonly compiled = new Map<string, RoutePattern>();

  /** Throws RoutePatternInvalid for a pattern outside the supported forms. */
  register(path: string, method: string, handler: H): void {
    let pattern = this.compiled.get(path);
    if (!pattern) {
      pattern = compileRoutePattern(path);
      this.compiled.set(path, pattern);
    }
    const m = method.toUpperCase();
    const layer: Layer<H> = { pattern, methods: m === 'GET' ? ['HEAD', 'GET'] : [m], handler };
    const key = patternGroup(path);
    if (key === undefined) {
      this.fallback.push(layer);
      return;
    }
    let g = this.groups.get(key);
    if (!g) this.groups.set(key, (g = []));
    g.push(layer);
  }

  /** The route serving `method` on `path`, with its decoded parameters. */
  find(path: string, method: string): RouteMatch<H> | undefined {
    const g = this.groups.get(requestGroup(path));
    return (g && firstMatch(g, path, method)) ?? firstMatch(this.fallback, path, method);
  }

  /** The methods of every route whose pattern matches `path`, in registration order (duplicates kept). */
  methodsFor(path: string): string[] {
    const out: string[] = [];
    const collect = (layers: readonly Layer<H>[]) => {
      for (const l of layers) if (l.pattern.regexp.test(path)) out.push(...l.methods);
    };
    const g = this.groups.get(requestGroup(path));
    if (g) collect(g);
    collect(this.fallback);
    return out;
  }
}

function firstMatch<H>(layers: readonly Layer<H>[], path: string, method: string): RouteMatch<H> | undefined {
  for (const l of layers) {
    // The method first: a string compare rules out most of a group before any regexp runs.
    if (!l.methods.includes(method)) continue;
    const m = l.pattern.regexp.exec(path);
    if (m) return { handler: l.handler, params: routeParams(l.pattern.keys, m) };
  }
  return undefined;
}

/**
 * The group of a route pattern: its first two path segments when both are literal and
 * complete (`/v1/kv{/*key}` → `/v1/kv`), lower-cased as routes match case-insensitively;
 * undefined when the pattern has fewer (`/ui{/*path}`, `/:x/y`).
 */
export function patternGroup(pattern: string): string | undefined {
  const literal = /^[^:*{(\\]*/.exec(pattern)![0];
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
