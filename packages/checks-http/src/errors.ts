import { defineError } from '@proconsul/kernel';

/** An h2ping target that can never be dialled is a registration mistake, not a failing service. */
export const H2PingAddressInvalid = defineError(
  'H2PING_ADDRESS_INVALID',
  400,
  (reason: string) => `Invalid check: H2PING must be "host:port" (or "[ipv6]:port"), not a URL: ${reason}`,
);
