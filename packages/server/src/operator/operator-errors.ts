import { defineError } from '@proconsul/kernel';

// Consul answers these operator mistakes from its RPC layer, hence 500 with its wording.
export const RaftPeerNotFound = defineError(
  'OPERATOR_PEER_NOT_FOUND',
  500,
  (kind: 'id' | 'address', value: string) => `${kind} ${JSON.stringify(value)} was not found in the Raft configuration`,
);
export const TransferTargetNotFound = defineError(
  'OPERATOR_TRANSFER_TARGET_NOT_FOUND',
  500,
  (id: string) => `Cannot find peer ${id}`,
);
export const NoConsensus = defineError('OPERATOR_NO_CONSENSUS', 500, () => 'raft is not running on this server');
export const AutopilotNotInitialized = defineError(
  'OPERATOR_AUTOPILOT_NOT_INITIALIZED',
  500,
  () => 'autopilot config not initialized yet',
);
