import type { UserEvent } from '@proconsul/kernel';
import { compileGoRegexp } from '@proconsul/state';

/** A service registered on this agent, as event filters see it. */
export interface LocalServiceView {
  readonly ID: string;
  readonly Service: string;
  readonly Tags: readonly string[];
}

/**
 * Whether this agent should accept an event (Consul's shouldProcessUserEvent): the node
 * filter must match its node name; with a service filter some local service must match
 * (by ID, as Consul keys them, or by name) and, with a tag filter, carry a matching tag.
 * A filter that does not compile rejects the event.
 */
export function acceptsUserEvent(e: UserEvent, nodeName: string, services: readonly LocalServiceView[]): boolean {
  const re = (p: string) => {
    try {
      return compileGoRegexp(p);
    } catch {
      return undefined;
    }
  };
  if (e.NodeFilter) {
    const node = re(e.NodeFilter);
    if (!node || !node.test(nodeName)) return false;
  }
  if (!e.ServiceFilter) return true;
  const svc = re(e.ServiceFilter);
  if (!svc) return false;
  const tag = e.TagFilter ? re(e.TagFilter) : undefined;
  if (e.TagFilter && !tag) return false;
  return services.some((s) => (svc.test(s.ID) || svc.test(s.Service)) && (!tag || s.Tags.some((t) => tag.test(t))));
}
