import { defineError } from '@proconsul/kernel';

// The server port's coded errors: the codes cross the wire, so they never change.

export const RpcTimeout = defineError(
  'RPC_TIMEOUT',
  500,
  (address: string, method: string, ms: number) => `rpc ${method} to ${address} timed out after ${ms}ms`,
);
/** The caller aborted the call; 499 as the HTTP request behind it is usually gone (nginx's "client closed request"). */
export const RpcCancelled = defineError(
  'RPC_CANCELLED',
  499,
  (address: string, method: string) => `rpc ${method} to ${address} cancelled`,
);
export const RpcConnectFailed = defineError(
  'RPC_CONNECT_FAILED',
  500,
  (address: string, reason: string) => `cannot reach ${address}: ${reason}`,
);
export const RpcNoHandler = defineError('RPC_NO_HANDLER', 500, () => 'this agent does not serve RPC (not a server)');
export const RpcTlsRequired = defineError(
  'RPC_TLS_REQUIRED',
  403,
  (peer: string) =>
    `server refused plaintext connection from ${peer}: verify_incoming requires TLS (set tls.internal_rpc.verify_outgoing)`,
);
export const RpcServerOnly = defineError(
  'RPC_SERVER_ONLY',
  403,
  (call: string) => `${call} may only be called by a server (verify_server_hostname: no server certificate presented)`,
);
export const TlsHandshakeFailed = defineError(
  'RPC_TLS_HANDSHAKE_FAILED',
  500,
  (address: string, reason: string) => `TLS handshake with ${address} failed: ${reason}`,
);
export const AutoEncryptDisabled = defineError(
  'AUTO_ENCRYPT_DISABLED',
  403,
  () => 'auto_encrypt.allow_tls is not enabled on this server',
);
export const AutoEncryptOnly = defineError(
  'AUTO_ENCRYPT_ONLY',
  403,
  (method: string) => `${method} refused: a connection without a client certificate may only ask for one (AutoEncrypt.Sign)`,
);
export const AutoEncryptBadRequest = defineError(
  'AUTO_ENCRYPT_BAD_REQUEST',
  400,
  (reason: string) => `auto_encrypt certificate request refused: ${reason}`,
);
export const AutoEncryptCaInvalid = defineError(
  'AUTO_ENCRYPT_CA_INVALID',
  500,
  (file: string, reason: string) => `auto_encrypt: cannot sign with ${file}: ${reason}`,
);
