import {
  AllowAllAuthorizer,
  isServerCaller,
  PermissionDenied,
  type Authorization,
  type Authorizer,
  type Command,
  type QueryName,
  type RpcCaller,
} from '@proconsul/kernel';
import type { StateReaders } from '@proconsul/state';
import type { HandlerAccess } from '../server-handler.js';
import { authorizeCommand } from './command-access.js';
import { QUERY_ACCESS, resultsFiltered, TOKEN_ONLY_QUERIES } from './query-access.js';

/** Reads whose rule depends on the arguments alone: checked before a blocking wait, not after it. */
const ARGS_ONLY_QUERIES: ReadonlySet<QueryName> = new Set([
  'KVS.Get',
  'System.Get',
  'ACL.ResolveSecret',
  'ACL.TokenRead',
  'ACL.PolicyRead',
  'ACL.PolicyByName',
  'ACL.RoleRead',
  'ACL.RoleByName',
]);

/**
 * Authorizes what a server runs for a caller: reads (checked and filtered), writes
 * (checked against the leader's state) and server handlers. Used by ClusterRpc at the
 * one place each call actually runs, so the decision holds whichever agent or port the
 * call came through. `AS_SERVER` skips it. Resolving a token may block on the state
 * store (servers) — never on the network here, since only servers run calls.
 */
export class RpcGuard {
  private authorizer: Authorizer = new AllowAllAuthorizer();

  use(authorizer: Authorizer): void {
    this.authorizer = authorizer;
  }

  /** The caller's authorization, or undefined for the server itself. */
  async resolve(caller: RpcCaller): Promise<Authorization | undefined> {
    if (isServerCaller(caller)) return undefined;
    return this.authorizer.resolve(caller.token, { fromRpc: caller.remote === true });
  }

  /** Before running a read: deny early what the arguments alone forbid. Returns the authorization to filter with. */
  async beforeRead(query: QueryName, args: unknown, caller: RpcCaller): Promise<Authorization | undefined> {
    if (isServerCaller(caller)) return undefined;
    const authz = TOKEN_ONLY_QUERIES.has(query) ? NO_RIGHTS : await this.resolve(caller);
    if (authz && ARGS_ONLY_QUERIES.has(query)) QUERY_ACCESS[query](authz, args, null, caller.token);
    return authz;
  }

  /** After a read: what of `value` the caller may see, and whether anything was left out. */
  afterRead<T>(
    query: QueryName,
    args: unknown,
    value: T,
    caller: RpcCaller,
    authz: Authorization | undefined,
  ): { value: T; filtered: boolean } {
    if (!authz || isServerCaller(caller)) return { value, filtered: false };
    const seen = QUERY_ACCESS[query](authz, args, value, caller.token) as T;
    return { value: seen, filtered: resultsFiltered(query, value, seen) };
  }

  async write(command: Command, caller: RpcCaller, state: StateReaders): Promise<void> {
    const authz = await this.resolve(caller);
    if (authz) authorizeCommand(authz, state, command);
  }

  async call(name: string, access: HandlerAccess, caller: RpcCaller, args?: unknown): Promise<void> {
    if (!access) return;
    const authz = await this.resolve(caller);
    const segment = access.segment?.(args) ?? '';
    if (authz && !authz.allowed(access.resource, segment, access.access))
      throw PermissionDenied(`token lacks '${access.resource}:${access.access}'${segment ? ` on "${segment}"` : ''} for ${name}`);
  }

  /** `session:write` on the node the session belongs to. */
  async renewSession(node: string, caller: RpcCaller): Promise<void> {
    const authz = await this.resolve(caller);
    if (authz && !authz.allowed('session', node, 'write')) throw PermissionDenied(`token lacks 'session:write' on "${node}"`);
  }
}

/** For reads decided by the token itself (resolve-your-own-token, bootstrap status): no resolution needed. */
const NO_RIGHTS: Authorization = { accessorId: '', allowed: () => false };
