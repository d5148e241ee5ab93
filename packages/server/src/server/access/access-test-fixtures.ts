import type { Command, PreparedQueryInput } from '@proconsul/kernel';
import { encodeCommand, StateFsm, StateStore } from '@proconsul/state';

/** Test support for the access tables: a store filled through the FSM, as replicated commands fill it. */
export function storeWith(commands: readonly Command[]): StateStore {
  const s = new StateStore();
  const fsm = new StateFsm(s);
  commands.forEach((c, i) => fsm.apply(i + 1, encodeCommand(c)));
  return s;
}

/** A prepared query for service `db` whose captured token is `captured`. */
export const DB_QUERY: PreparedQueryInput = {
  ID: 'q1',
  Name: 'db-query',
  Session: '',
  Token: 'captured',
  Template: { Type: '', Regexp: '', RemoveEmptyTags: false },
  Service: {
    Service: 'db',
    Failover: { NearestN: 0, Datacenters: [] },
    OnlyPassing: false,
    IgnoreCheckIDs: [],
    Near: '',
    Tags: [],
    NodeMeta: {},
    ServiceMeta: {},
  },
  DNS: { TTL: '' },
};
