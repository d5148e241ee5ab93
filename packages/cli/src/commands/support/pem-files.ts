import { existsSync, writeFileSync } from 'node:fs';

/**
 * Write a certificate (0644) and its key (0600) without overwriting anything: `wx` fails
 * if a file appeared since we looked, so two runs never clobber each other's keys.
 */
export function writeCertAndKey(certFile: string, cert: string, keyFile: string, key: string): void {
  writeFileSync(certFile, cert, { flag: 'wx', mode: 0o644 });
  writeFileSync(keyFile, key, { flag: 'wx', mode: 0o600 });
}

/** The first `<prefix>-<n>.pem` / `<prefix>-<n>-key.pem` pair where neither file exists (Consul's numbering). */
export function nextFreePair(prefix: string): { cert: string; key: string } {
  for (let i = 0; ; i++) {
    const cert = `${prefix}-${i}.pem`;
    const key = `${prefix}-${i}-key.pem`;
    if (!existsSync(cert) && !existsSync(key)) return { cert, key };
  }
}
