import { AS_SERVER, DEFAULT_QUERY, type AclToken, type ClusterRpcPort } from '@proconsul/kernel';

/** How often the leader looks for expired tokens (they are refused from the moment they expire). */
export const REAP_INTERVAL_MS = 60_000;

/** Leader only: deletes tokens past their ExpirationTime; resolves with how many. */
export async function reapExpiredTokens(rpc: ClusterRpcPort, now = Date.now()): Promise<number> {
  const tokens = await rpc.read<AclToken[]>('ACL.TokenList', {}, { ...DEFAULT_QUERY, allowStale: true }, AS_SERVER);
  let n = 0;
  for (const t of tokens.value) {
    if (!t.ExpirationTime || Date.parse(t.ExpirationTime) > now) continue;
    await rpc.write({ v: 1, type: 'acl-token-delete', AccessorID: t.AccessorID }, AS_SERVER);
    n++;
  }
  return n;
}
