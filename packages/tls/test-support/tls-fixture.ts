import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAgentCert, createCa, type CertificateAndKey, type LeafOptions } from '@proconsul/tls';

/** A CA with server, client and CLI certificates on disk, as `proconsul tls` would write them. */
export interface TlsFixture {
  readonly dir: string;
  readonly ca: CertificateAndKey;
  readonly caFile: string;
  readonly server: CertificateAndKey;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
  readonly cliCert: string;
  readonly cliKey: string;
}

/** Write a fresh CA and certificates (keys 0600) to a new temp directory. A few ms of CPU. */
export async function writeTlsFixture(
  opts: { datacenter?: string; additionalIpAddresses?: readonly string[]; dir?: string } = {},
): Promise<TlsFixture> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'pc-tls-'));
  const ca = await createCa();
  const leaf = (kind: LeafOptions['kind']) =>
    createAgentCert({ ca, kind, datacenter: opts.datacenter, additionalIpAddresses: opts.additionalIpAddresses });
  const [server, client, cli] = await Promise.all([leaf('server'), leaf('client'), leaf('cli')]);
  const dc = opts.datacenter ?? 'dc1';
  const files = {
    caFile: writePem(dir, 'consul-agent-ca.pem', ca.cert),
    serverCert: writePem(dir, `${dc}-server-consul-0.pem`, server.cert),
    serverKey: writePem(dir, `${dc}-server-consul-0-key.pem`, server.key, 0o600),
    clientCert: writePem(dir, `${dc}-client-consul-0.pem`, client.cert),
    clientKey: writePem(dir, `${dc}-client-consul-0-key.pem`, client.key, 0o600),
    cliCert: writePem(dir, `${dc}-cli-consul-0.pem`, cli.cert),
    cliKey: writePem(dir, `${dc}-cli-consul-0-key.pem`, cli.key, 0o600),
  };
  return { dir, ca, server, ...files };
}

/** Write a PEM file and return its path. */
export function writePem(dir: string, name: string, pem: string, mode = 0o644): string {
  const path = join(dir, name);
  writeFileSync(path, pem, { mode });
  return path;
}
