import { defineError } from '../errors/proconsul-error.js';

export const NoServers = defineError('RPC_NO_SERVERS', 500, () => 'No known Consul servers');
export const UnknownRpc = defineError('RPC_UNKNOWN_METHOD', 500, (m: string) => `unknown RPC method ${m}`);
