import { networkInterfaces } from 'node:os';

/**
 * The address peers should use: advertise_addr if set, else the bind address unless it
 * is a wildcard, else the first private IPv4 (Consul does the same and refuses to guess
 * between several; we take the first and the operator can pin it).
 */
export function advertiseAddress(bindAddr: string, advertise: string): string {
  if (advertise) return advertise;
  if (bindAddr && bindAddr !== '0.0.0.0' && bindAddr !== '::') return bindAddr;
  for (const list of Object.values(networkInterfaces())) {
    for (const i of list ?? []) {
      if (i.family === 'IPv4' && !i.internal) return i.address;
    }
  }
  return '127.0.0.1';
}
