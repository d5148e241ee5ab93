import { defineError } from '@proconsul/kernel';

/** A UDP target that can never be dialled is a registration mistake, not a failing service. */
export const UdpAddressInvalid = defineError(
  'UDP_ADDRESS_INVALID',
  400,
  (reason: string) => `Invalid check: UDP must be "host:port" (or "[ipv6]:port"): ${reason}`,
);
