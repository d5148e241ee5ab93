import { defineError } from '@proconsul/kernel';

// Command-line usage. Messages follow Go's flag package, which Consul's CLI uses, so scripts
// grepping Consul's wording keep working.
export const FlagUndefined = defineError('CLI_FLAG_UNDEFINED', 400, (flag: string) => `flag provided but not defined: -${flag}`);
export const FlagNeedsArgument = defineError(
  'CLI_FLAG_NEEDS_ARGUMENT',
  400,
  (flag: string) => `flag needs an argument: -${flag}`,
);
export const FlagValueInvalid = defineError(
  'CLI_FLAG_VALUE_INVALID',
  400,
  (flag: string, value: string, reason: string) => `invalid value "${value}" for flag -${flag}: ${reason}`,
);

// Talking to the agent. Wording follows Consul's Go API client.
export const HttpConnectFailed = defineError(
  'CLI_HTTP_CONNECT_FAILED',
  503,
  (method: string, url: string, reason: string) => `${method} "${url}": ${reason}`,
);
export const HttpUnexpectedStatus = defineError(
  'CLI_HTTP_UNEXPECTED_STATUS',
  502,
  (status: number, body: string) => `Unexpected response code: ${status} (${body})`,
);
export const HttpAddressInvalid = defineError(
  'CLI_HTTP_ADDRESS_INVALID',
  400,
  (addr: string, reason: string) => `invalid HTTP address "${addr}": ${reason}`,
);

// TLS files named by -ca-file, -client-cert, … or their CONSUL_* variables.
export const TlsFileInvalid = defineError(
  'CLI_TLS_FILE_INVALID',
  400,
  (source: string, file: string, reason: string) => `${source} ${file}: ${reason}`,
);
