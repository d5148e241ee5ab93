import type { Session } from '@proconsul/kernel';
import { compareStrings, SortedMap } from '@proconsul/collections';
import { key2, key3, scanPrefix, SEP } from './table-keys.js';

/** The check IDs (on the session's node) a session is linked to. */
export function linkedChecks(s: Session): string[] {
  return [...s.NodeChecks, ...(s.ServiceChecks ?? []).map((c) => c.ID)];
}

/** Sessions with their by-node index and the check -> sessions link index. */
export class SessionTable {
  constructor(
    readonly sessions = new SortedMap<string, Session>(compareStrings),
    /** node\0sessionID */
    readonly byNode = new SortedMap<string, true>(compareStrings),
    /** node\0checkID\0sessionID */
    readonly byCheck = new SortedMap<string, true>(compareStrings),
  ) {}

  clone(): SessionTable {
    return new SessionTable(this.sessions.clone(), this.byNode.clone(), this.byCheck.clone());
  }

  get(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  put(s: Session): void {
    this.remove(s.ID);
    this.sessions.set(s.ID, s);
    this.byNode.set(key2(s.Node, s.ID), true);
    for (const c of linkedChecks(s)) this.byCheck.set(key3(s.Node, c, s.ID), true);
  }

  remove(id: string): Session | undefined {
    const s = this.sessions.get(id);
    if (!s) return undefined;
    this.sessions.delete(id);
    this.byNode.delete(key2(s.Node, id));
    for (const c of linkedChecks(s)) this.byCheck.delete(key3(s.Node, c, id));
    return s;
  }

  idsOfNode(node: string): string[] {
    const out: string[] = [];
    for (const [k] of scanPrefix(this.byNode, node + SEP)) out.push(k.slice(node.length + 1));
    return out;
  }

  idsLinkedTo(node: string, checkId: string): string[] {
    const prefix = key2(node, checkId) + SEP;
    const out: string[] = [];
    for (const [k] of scanPrefix(this.byCheck, prefix)) out.push(k.slice(prefix.length));
    return out;
  }
}
