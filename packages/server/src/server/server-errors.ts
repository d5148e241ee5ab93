import { defineError } from '@proconsul/kernel';

export const NoServers = defineError('RPC_NO_SERVERS', 500, () => 'No known Consul servers');
export const UnknownRpc = defineError('RPC_UNKNOWN_METHOD', 500, (m: string) => `unknown RPC method ${m}`);
/** The caller gave up while a forwarded request was held waiting for a leader (499 as for a cancelled RPC). */
export const ForwardCancelled = defineError(
  'RPC_CANCELLED',
  499,
  (method: string) => `rpc ${method} cancelled while waiting for a leader`,
);
/** Consul's ErrDCNotAvailable: the datacenter is federated but none of its servers answers. */
export const DatacenterUnavailable = defineError('DC_NOT_AVAILABLE', 500, () => 'Remote DC has no server currently reachable');
/** Consul's text when more nodes are pending than a batch period can write. */
export const CoordinateRateLimited = defineError(
  'COORDINATE_RATE_LIMITED',
  500,
  () => 'Coordinate update rate limit exceeded, increase SyncCoordinateRateTarget',
);
/** A coordinate update whose body is not a coordinate (plain-text reason, 400). */
export const InvalidCoordinate = defineError('COORDINATE_INVALID', 400, (reason: string) => reason);
