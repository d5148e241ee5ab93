import type { Expr, Node, Pipeline } from './template-ast.js';
import { TemplateError } from './template-error.js';
import { BUILTINS, type TemplateFn } from './template-builtins.js';
import { show, truthy } from './template-values.js';

export { show, truthy, type TemplateFn };

/**
 * Runs parsed nodes against `data` with Go text/template's semantics for what consul-template
 * uses: truthiness, range over lists and maps (sorted keys), variables and their scopes,
 * pipelines feeding the previous value as the last argument, `<no value>` for a missing key.
 */
export async function execute(
  nodes: readonly Node[],
  data: unknown,
  funcs: Readonly<Record<string, TemplateFn>>,
): Promise<string> {
  const all = { ...BUILTINS, ...funcs };
  const out: string[] = [];
  await run(nodes, data, [new Map([['$', data]])], all, out);
  return out.join('');
}

type Scope = Map<string, unknown>[];

async function run(
  nodes: readonly Node[],
  dot: unknown,
  scope: Scope,
  fns: Record<string, TemplateFn>,
  out: string[],
): Promise<void> {
  for (const n of nodes) {
    switch (n.k) {
      case 'text':
        out.push(n.text);
        break;
      case 'action': {
        const v = await pipe(n.pipe, dot, scope, fns);
        if (n.pipe.decl.length === 0) out.push(show(v));
        break;
      }
      case 'if': {
        const inner: Scope = [...scope, new Map()];
        const v = await pipe(n.pipe, dot, inner, fns);
        await run(truthy(v) ? n.body : n.else, dot, truthy(v) ? inner : scope, fns, out);
        break;
      }
      case 'with': {
        const inner: Scope = [...scope, new Map()];
        const v = await pipe(n.pipe, dot, inner, fns);
        if (truthy(v)) await run(n.body, v, inner, fns, out);
        else await run(n.else, dot, scope, fns, out);
        break;
      }
      case 'range': {
        const inner: Scope = [...scope, new Map()];
        const decl = n.pipe.decl;
        const v = await pipe({ ...n.pipe, decl: [] }, dot, inner, fns);
        const items = rangeItems(v, n.pos);
        if (items.length === 0) {
          await run(n.else, dot, scope, fns, out);
          break;
        }
        for (const [key, value] of items) {
          const iter: Scope = [...inner, new Map()];
          const vars = iter[iter.length - 1]!;
          if (decl.length === 1) vars.set(decl[0]!, value);
          if (decl.length === 2) {
            vars.set(decl[0]!, key);
            vars.set(decl[1]!, value);
          }
          await run(n.body, value, iter, fns, out);
        }
        break;
      }
    }
  }
}

async function pipe(p: Pipeline, dot: unknown, scope: Scope, fns: Record<string, TemplateFn>): Promise<unknown> {
  let prev: unknown;
  let first = true;
  for (const cmd of p.cmds) {
    prev = await evalExpr(cmd, dot, scope, fns, first ? undefined : [prev]);
    first = false;
  }
  if (p.decl.length > 0) {
    if (p.assign) {
      const name = p.decl[0]!;
      const frame = [...scope].reverse().find((s) => s.has(name));
      if (!frame) throw new TemplateError(p.pos, `undefined variable: ${name}`);
      frame.set(name, prev);
    } else scope[scope.length - 1]!.set(p.decl[0]!, prev);
  }
  return prev;
}

async function evalExpr(
  e: Expr,
  dot: unknown,
  scope: Scope,
  fns: Record<string, TemplateFn>,
  piped: unknown[] | undefined,
): Promise<unknown> {
  switch (e.k) {
    case 'lit':
      if (piped) throw new TemplateError(e.pos, "can't give argument to non-function");
      return e.value;
    case 'field': {
      if (piped) throw new TemplateError(e.pos, "can't give argument to non-function");
      let v: unknown = dot;
      if (e.base) {
        const frame = [...scope].reverse().find((s) => s.has(e.base!));
        if (!frame) throw new TemplateError(e.pos, `undefined variable: ${e.base}`);
        v = frame.get(e.base);
      }
      for (const f of e.path) {
        if (v === null || v === undefined) throw new TemplateError(e.pos, `nil pointer evaluating .${f}`);
        if (typeof v !== 'object') throw new TemplateError(e.pos, `can't evaluate field ${f} in type ${typeof v}`);
        v = (v as Record<string, unknown>)[f];
      }
      return v;
    }
    case 'pipe':
      if (piped) throw new TemplateError(e.pos, "can't give argument to non-function");
      return pipe(e.pipe, dot, scope, fns);
    case 'call': {
      const fn = fns[e.fn];
      if (!fn) throw new TemplateError(e.pos, `function "${e.fn}" not defined`);
      const args: unknown[] = [];
      for (const a of e.args) args.push(await evalExpr(a, dot, scope, fns, undefined));
      if (piped) args.push(...piped);
      try {
        return await fn(...args);
      } catch (err) {
        if (err instanceof TemplateError || (err as { code?: string }).code === 'TEMPLATE_WAIT') throw err;
        throw new TemplateError(e.pos, `error calling ${e.fn}: ${(err as Error).message}`);
      }
    }
  }
}

function rangeItems(v: unknown, at: Expr['pos']): [unknown, unknown][] {
  if (v === null || v === undefined) return [];
  if (Array.isArray(v)) return v.map((x, i) => [i, x]);
  if (typeof v === 'number' && Number.isInteger(v)) return Array.from({ length: Math.max(0, v) }, (_, i) => [i, i]);
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return Object.keys(o)
      .sort()
      .map((k) => [k, o[k]]);
  }
  throw new TemplateError(at, `range can't iterate over ${String(v)}`);
}
