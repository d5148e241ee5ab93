import { defineError } from '@proconsul/kernel';

export const GossipConfigInvalid = defineError(
  'GOSSIP_CONFIG_INVALID',
  400,
  (field: string, reason: string) => `gossip config ${field} ${reason}`,
);
export const GossipJoinFailed = defineError(
  'GOSSIP_JOIN_FAILED',
  500,
  (reasons: readonly string[]) => `failed to join any nodes: ${reasons.join('; ') || 'no addresses'}`,
);
export const GossipRefused = defineError('GOSSIP_REFUSED', 409, (reason: string) => `join refused: ${reason}`);
export const GossipShutdown = defineError('GOSSIP_SHUTDOWN', 500, () => 'gossip pool is shut down');
export const GossipTagsTooLarge = defineError(
  'GOSSIP_TAGS_TOO_LARGE',
  400,
  (size: number, limit: number) => `encoded tags are ${size} bytes, above the limit of ${limit}`,
);
export const UserEventTooLarge = defineError(
  'USER_EVENT_TOO_LARGE',
  400,
  (size: number, limit: number) => `user event exceeds configured limit of ${limit} bytes (${size})`,
);
export const QueryTooLarge = defineError(
  'QUERY_TOO_LARGE',
  400,
  (size: number, limit: number) => `query exceeds limit of ${limit} bytes (${size})`,
);
export const PoolUnavailable = defineError(
  'GOSSIP_POOL_UNAVAILABLE',
  400,
  (pool: string) => `no ${pool} gossip pool on this agent`,
);
export const GossipNotStarted = defineError('GOSSIP_NOT_STARTED', 500, () => 'gossip has not been started');
export const GossipNotEncrypted = defineError(
  'GOSSIP_NOT_ENCRYPTED',
  400,
  () => 'Gossip encryption is not enabled on this agent (set encrypt, and load the gossip-keyring plugin)',
);
