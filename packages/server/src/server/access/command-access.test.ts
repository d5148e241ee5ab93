import { expect } from 'chai';
import {
  COMMAND_FIELDS,
  isCoded,
  type AclAccess,
  type AclResource,
  type Authorization,
  type Command,
  type CommandType,
} from '@proconsul/kernel';
import type { StateStore } from '@proconsul/state';
import { DB_QUERY, storeWith } from './access-test-fixtures.js';
import { authorizeCommand } from './command-access.js';

/** An Authorization granting exactly `grants` ("resource:segment:access", segment "*" = any). */
function rights(...grants: string[]): Authorization {
  return {
    accessorId: 'test',
    allowed: (resource: AclResource, segment: string, access: AclAccess) =>
      grants.some((g) => {
        const [r, s, a] = g.split(':');
        // write implies read, as in Consul's rules.
        return r === resource && (s === '*' || s === segment) && (a === access || (a === 'write' && access === 'read'));
      }),
  };
}
const NONE = rights();

function store(): StateStore {
  return storeWith([
    { v: 1, type: 'register', Node: 'n1', Address: '10.0.0.1', Service: { ID: 'db-1', Service: 'db' }, now: 1 },
    {
      v: 1,
      type: 'register',
      Node: 'n1',
      Address: '10.0.0.1',
      SkipNodeUpdate: true,
      Check: { CheckID: 'db-check', Name: 'db', ServiceID: 'db-1', Status: 'passing' },
      now: 1,
    },
    { v: 1, type: 'session-create', Session: { ID: 's1', Node: 'n1', NodeChecks: [] }, now: 1 },
    { v: 1, type: 'prepared-query-set', Create: true, Query: DB_QUERY },
  ]);
}

const denied = (fn: () => void) => {
  try {
    fn();
  } catch (e) {
    expect(isCoded(e, 'PERMISSION_DENIED'), String(e)).to.equal(true);
    return;
  }
  expect.fail('expected PERMISSION_DENIED');
};

/** One example of every command type, with the least rights that allow it. */
const CASES: Record<CommandType, { cmd: Command; needs: string[] }> = {
  register: { cmd: { v: 1, type: 'register', Node: 'n2', Address: '10.0.0.2', now: 0 }, needs: ['node:n2:write'] },
  deregister: { cmd: { v: 1, type: 'deregister', Node: 'n1', ServiceID: 'db-1', now: 0 }, needs: ['service:db:write'] },
  'kv-set': { cmd: { v: 1, type: 'kv-set', Key: 'a/b', Value: null }, needs: ['key:a/b:write'] },
  'kv-cas': { cmd: { v: 1, type: 'kv-cas', Key: 'a/b', Value: null, Index: 0 }, needs: ['key:a/b:write'] },
  'kv-delete': { cmd: { v: 1, type: 'kv-delete', Key: 'a/b' }, needs: ['key:a/b:write'] },
  'kv-delete-cas': { cmd: { v: 1, type: 'kv-delete-cas', Key: 'a/b', Index: 1 }, needs: ['key:a/b:write'] },
  'kv-delete-tree': { cmd: { v: 1, type: 'kv-delete-tree', Prefix: 'a/' }, needs: ['key:a/:write'] },
  'kv-lock': { cmd: { v: 1, type: 'kv-lock', Key: 'a/b', Value: null, Session: 's1', now: 0 }, needs: ['key:a/b:write'] },
  'kv-unlock': { cmd: { v: 1, type: 'kv-unlock', Key: 'a/b', Value: null, Session: 's1' }, needs: ['key:a/b:write'] },
  'tombstone-reap': { cmd: { v: 1, type: 'tombstone-reap', Index: 1 }, needs: ['never'] },
  'config-entry-set': {
    cmd: { v: 1, type: 'config-entry-set', Entry: { Kind: 'service-defaults', Name: 'db', Protocol: 'http' } },
    needs: ['service:db:write'],
  },
  'config-entry-delete': {
    cmd: { v: 1, type: 'config-entry-delete', Kind: 'proxy-defaults', Name: 'global' },
    needs: ['operator::write'],
  },
  request: {
    cmd: { v: 1, type: 'request', ID: 'r1', now: 0, Command: { v: 1, type: 'kv-set', Key: 'a/b', Value: null } },
    needs: ['never'],
  },
  'session-create': {
    cmd: { v: 1, type: 'session-create', Session: { ID: '', Node: 'n1' }, now: 0 },
    needs: ['session:n1:write'],
  },
  'session-destroy': { cmd: { v: 1, type: 'session-destroy', ID: 's1', now: 0 }, needs: ['session:n1:write'] },
  txn: { cmd: { v: 1, type: 'txn', Ops: [{ KV: { Verb: 'get', Key: 'k' } }], now: 0 }, needs: ['key:k:read'] },
  'acl-token-set': { cmd: { v: 1, type: 'acl-token-set', Token: {} as never }, needs: ['acl:*:write'] },
  'acl-token-delete': { cmd: { v: 1, type: 'acl-token-delete', AccessorID: 'x' }, needs: ['acl:*:write'] },
  'acl-policy-set': { cmd: { v: 1, type: 'acl-policy-set', Policy: {} as never }, needs: ['acl:*:write'] },
  'acl-policy-delete': { cmd: { v: 1, type: 'acl-policy-delete', ID: 'x' }, needs: ['acl:*:write'] },
  'acl-role-set': { cmd: { v: 1, type: 'acl-role-set', Role: {} as never }, needs: ['acl:*:write'] },
  'acl-role-delete': { cmd: { v: 1, type: 'acl-role-delete', ID: 'x' }, needs: ['acl:*:write'] },
  'acl-bootstrap': { cmd: { v: 1, type: 'acl-bootstrap', Token: {} as never }, needs: [] },
  'coordinate-batch': { cmd: { v: 1, type: 'coordinate-batch', Updates: [{ Node: 'n1' } as never] }, needs: ['node:n1:write'] },
  'system-meta-set': { cmd: { v: 1, type: 'system-meta-set', Key: 'k', Value: 1 }, needs: ['operator:*:write'] },
  'prepared-query-set': {
    cmd: { v: 1, type: 'prepared-query-set', Create: false, Query: { ...DB_QUERY, Name: 'renamed' } },
    needs: ['query:renamed:write', 'query:db-query:write'],
  },
  'prepared-query-delete': { cmd: { v: 1, type: 'prepared-query-delete', ID: 'q1' }, needs: ['query:db-query:write'] },
};

describe('authorizeCommand: every command a server applies is vetted against the caller', () => {
  const s = store();

  it('covers every command type', () => {
    expect(Object.keys(CASES).sort()).to.deep.equal(Object.keys(COMMAND_FIELDS).sort());
  });

  for (const [type, { cmd, needs }] of Object.entries(CASES)) {
    const title =
      needs[0] === 'never'
        ? 'refused to every token: internal to the servers'
        : `allowed with ${needs.join(', ') || 'no rights'}`;
    it(`${type}: refused without rights, ${title}`, () => {
      if (needs.length === 0) return authorizeCommand(NONE, s, cmd);
      denied(() => authorizeCommand(NONE, s, cmd));
      if (needs[0] === 'never') return denied(() => authorizeCommand(rights('operator:*:write', 'acl:*:write'), s, cmd));
      authorizeCommand(rights(...needs), s, cmd);
    });
  }

  it('register: an existing unchanged node needs only service write; a changed node needs node write', () => {
    const svc = {
      v: 1,
      type: 'register',
      Node: 'n1',
      Address: '10.0.0.1',
      SkipNodeUpdate: true,
      Service: { Service: 'web' },
      now: 0,
    } as const;
    authorizeCommand(rights('service:web:write'), s, svc);
    denied(() => authorizeCommand(rights('service:web:write'), s, { ...svc, SkipNodeUpdate: false, Address: '10.6.6.6' }));
    // Replacing service ID db-1 (service "db") under another name needs write on "db" too.
    denied(() => authorizeCommand(rights('service:web:write'), s, { ...svc, Service: { ID: 'db-1', Service: 'web' } }));
    authorizeCommand(rights('service:web:write', 'service:db:write'), s, { ...svc, Service: { ID: 'db-1', Service: 'web' } });
    // A node check needs node write; a check on an existing service, that service's write.
    denied(() => authorizeCommand(rights('service:web:write'), s, { ...svc, Service: undefined, Check: { Name: 'c' } }));
    authorizeCommand(rights('service:db:write'), s, { ...svc, Service: undefined, Check: { Name: 'c', ServiceID: 'db-1' } });
  });

  it('deregister: node write allows anything on the node; a check on a service needs that service', () => {
    const node = { v: 1, type: 'deregister', Node: 'n1', now: 0 } as const;
    denied(() => authorizeCommand(rights('service:db:write'), s, node));
    authorizeCommand(rights('node:n1:write'), s, node);
    authorizeCommand(rights('service:db:write'), s, { ...node, CheckID: 'db-check' });
    denied(() => authorizeCommand(rights('service:web:write'), s, { ...node, CheckID: 'db-check' }));
  });

  it('txn: every op is vetted, including catalog checks and sessions', () => {
    const txn = (op: object) => ({ v: 1, type: 'txn', Ops: [{ KV: { Verb: 'set', Key: 'ok' } }, op], now: 0 }) as Command;
    const base = ['key:ok:write'];
    denied(() => authorizeCommand(rights(...base), s, txn({ KV: { Verb: 'delete', Key: 'secret' } })));
    denied(() =>
      authorizeCommand(
        rights(...base),
        s,
        txn({ Check: { Verb: 'delete', Check: { Node: 'n1', CheckID: 'db-check', ServiceID: 'db-1' } } }),
      ),
    );
    authorizeCommand(
      rights(...base, 'service:db:write'),
      s,
      txn({ Check: { Verb: 'delete', Check: { Node: 'n1', CheckID: 'db-check', ServiceID: 'db-1' } } }),
    );
    denied(() => authorizeCommand(rights(...base), s, txn({ Session: { Verb: 'delete', Session: { ID: 's1' } } })));
    authorizeCommand(rights(...base, 'session:n1:write'), s, txn({ Session: { Verb: 'delete', Session: { ID: 's1' } } }));
    denied(() => authorizeCommand(rights(...base), s, txn({ Node: { Verb: 'set', Node: { Node: 'n9', Address: '1.2.3.4' } } })));
  });
});
