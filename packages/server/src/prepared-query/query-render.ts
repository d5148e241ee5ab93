import type { PreparedQuery } from '@proconsul/kernel';
import { PreparedQueryInvalid } from './prepared-query-errors.js';

/** What a template's `${...}` may name, besides `match(N)`. */
export interface RenderContext {
  /** The name the query was looked up by. */
  readonly name: string;
  /** The requesting agent's network segment ('' for the default one). */
  readonly segment: string;
}

const VARIABLE = /\$\{\s*([^}]*?)\s*\}/g;
const MATCH = /^match\(\s*(\d+)\s*\)$/;

/**
 * A template query rendered for `ctx.name` (Consul's template interpolation): every string
 * of the Service part may use `${name.full}`, `${name.prefix}` (the template's name),
 * `${name.suffix}`, `${match(N)}` (groups of the template's Regexp against the full
 * name; "" when it does not match) and `${agent.segment}`. A plain query comes back as is.
 * Throws PreparedQueryInvalid for an unknown variable.
 */
export function renderQuery(q: PreparedQuery, ctx: RenderContext): PreparedQuery {
  if (!q.Template.Type) return q;
  const groups = q.Template.Regexp ? (new RegExp(q.Template.Regexp).exec(ctx.name) ?? []) : [];
  const prefix = q.Name;
  const suffix = ctx.name.slice(prefix.length);
  const value = (v: string): string => {
    if (v === 'name.full') return ctx.name;
    if (v === 'name.prefix') return prefix;
    if (v === 'name.suffix') return suffix;
    if (v === 'agent.segment') return ctx.segment;
    const m = MATCH.exec(v);
    if (m) return groups[Number(m[1])] ?? '';
    throw PreparedQueryInvalid(`Failed to render template: unknown variable '${v}'`);
  };
  const s = (text: string) => text.replace(VARIABLE, (_all, v: string) => value(v));
  const map = (r: Record<string, string>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [s(k), s(v)]));
  const svc = q.Service;
  let tags = svc.Tags.map(s);
  if (q.Template.RemoveEmptyTags) tags = tags.filter((t) => t !== '');
  return {
    ...q,
    Service: {
      ...svc,
      Service: s(svc.Service),
      Near: s(svc.Near),
      Tags: tags,
      IgnoreCheckIDs: svc.IgnoreCheckIDs.map(s),
      NodeMeta: map(svc.NodeMeta),
      ServiceMeta: map(svc.ServiceMeta),
      Failover: { ...svc.Failover, Datacenters: svc.Failover.Datacenters.map(s) },
    },
  };
}
