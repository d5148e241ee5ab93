import { createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import type * as x509 from '@peculiar/x509';
import { x509Library, type X509Library } from './x509-library.js';

// Node's own WebCrypto; the DOM lib (and its global key types) is not part of this build.
type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

/** A certificate and its private key, both PEM (the key in SEC1 "EC PRIVATE KEY" form, as Consul writes it). */
export interface CertificateAndKey {
  readonly cert: string;
  readonly key: string;
}

export interface CaOptions {
  /** Validity in days (Consul's default for a CA: 1825). */
  readonly days?: number;
  /** Common name; Consul's default is "Consul Agent CA <serial>". */
  readonly commonName?: string;
  /** With nameConstraint: the domain leaf certificates must be under (default "consul"). */
  readonly domain?: string;
  /** Add a name constraint permitting only `domain`, "localhost" and `additionalNameConstraints` (Consul's -name-constraint). */
  readonly nameConstraint?: boolean;
  readonly additionalNameConstraints?: readonly string[];
  /** Tests: backdate or expire a CA. */
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

/** The three kinds of `consul tls cert create`. */
export type AgentCertKind = 'server' | 'client' | 'cli';

export interface LeafOptions {
  readonly ca: CertificateAndKey;
  readonly kind: AgentCertKind;
  readonly datacenter?: string;
  readonly domain?: string;
  /** Validity in days (Consul's default: 365). */
  readonly days?: number;
  readonly additionalDnsNames?: readonly string[];
  readonly additionalIpAddresses?: readonly string[];
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

/** Consul's CA subject fields (its `tls ca create` writes the same). */
const CA_SUBJECT = 'C=US, ST=CA, L=San Francisco, 2.5.4.9=101 Second Street, 2.5.4.17=94105, O=HashiCorp Inc.';

/** A new self-signed CA with an EC P-256 key, as `consul tls ca create` makes. CPU-bound, a few ms. */
export async function createCa(opts: CaOptions = {}): Promise<CertificateAndKey> {
  const lib = await x509Library();
  const { x509 } = lib;
  const keys = await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
  const serial = serialNumber();
  const cn = opts.commonName ?? `Consul Agent CA ${BigInt('0x' + serial).toString()}`;
  const domain = trimDot(opts.domain ?? 'consul');
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(true, undefined, true),
    new x509.KeyUsagesExtension(
      x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
      true,
    ),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as CryptoKey),
    await x509.AuthorityKeyIdentifierExtension.create(keys.publicKey as CryptoKey),
  ];
  if (opts.nameConstraint) {
    const permitted = [domain, 'localhost', ...(opts.additionalNameConstraints ?? [])];
    extensions.push(nameConstraints(lib, permitted));
  }
  const { notBefore, notAfter } = validity(opts.days ?? 1825, opts.notBefore, opts.notAfter);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial,
    name: `CN=${escapeDn(cn)}, ${CA_SUBJECT}`,
    notBefore,
    notAfter,
    keys: keys as CryptoKeyPair,
    signingAlgorithm: EC,
    extensions,
  });
  return { cert: cert.toString('pem') + '\n', key: await exportKey(keys.privateKey as CryptoKey) };
}

/**
 * A server, client or CLI certificate signed by `ca`, with Consul's names: CN and DNS SAN
 * `<kind>.<datacenter>.<domain>`, plus "localhost" (and 127.0.0.1 for servers and clients).
 */
export async function createAgentCert(opts: LeafOptions): Promise<CertificateAndKey> {
  const dc = opts.datacenter ?? 'dc1';
  const domain = trimDot(opts.domain ?? 'consul');
  const name = `${opts.kind}.${dc}.${domain}`;
  const dnsNames = [name, 'localhost', ...(opts.additionalDnsNames ?? [])];
  const ips = [...(opts.kind === 'cli' ? [] : ['127.0.0.1']), ...(opts.additionalIpAddresses ?? [])];
  for (const ip of ips) if (!isIP(ip)) throw new TypeError(`"${ip}" is not an IP address`);
  const { x509 } = await x509Library();
  const usages =
    opts.kind === 'cli'
      ? [x509.ExtendedKeyUsage.clientAuth]
      : [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth];
  return signLeaf(
    opts.ca,
    `CN=${escapeDn(name)}`,
    dnsNames,
    ips,
    usages,
    validity(opts.days ?? 365, opts.notBefore, opts.notAfter),
  );
}

/** A leaf with arbitrary names; for auto_encrypt-style signing and tests. */
export async function signLeaf(
  ca: CertificateAndKey,
  subject: string,
  dnsNames: readonly string[],
  ipAddresses: readonly string[],
  extendedUsages: readonly string[],
  period: { notBefore: Date; notAfter: Date },
): Promise<CertificateAndKey> {
  const { x509 } = await x509Library();
  const caCert = new x509.X509Certificate(ca.cert);
  const caKey = await webcrypto.subtle.importKey(
    'pkcs8',
    createPrivateKey(ca.key).export({ type: 'pkcs8', format: 'der' }),
    EC,
    false,
    ['sign'],
  );
  const keys = await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
  const san = [
    ...dnsNames.map((v) => ({ type: 'dns' as const, value: v })),
    ...ipAddresses.map((v) => ({ type: 'ip' as const, value: v })),
  ];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject,
    issuer: caCert.subject,
    notBefore: period.notBefore,
    notAfter: period.notAfter,
    publicKey: keys.publicKey as CryptoKey,
    signingKey: caKey as CryptoKey,
    signingAlgorithm: EC,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([...extendedUsages]),
      new x509.SubjectAlternativeNameExtension(san),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as CryptoKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return { cert: cert.toString('pem') + '\n', key: await exportKey(keys.privateKey as CryptoKey) };
}

function nameConstraints({ x509, asn1, AsnConvert }: X509Library, permitted: readonly string[]): x509.Extension {
  const value = new asn1.NameConstraints({
    permittedSubtrees: new asn1.GeneralSubtrees(
      permitted.map((d) => new asn1.GeneralSubtree({ base: new asn1.GeneralName({ dNSName: d }) })),
    ),
  });
  return new x509.Extension(asn1.id_ce_nameConstraints, true, AsnConvert.serialize(value));
}

function validity(days: number, notBefore?: Date, notAfter?: Date): { notBefore: Date; notAfter: Date } {
  if (!Number.isInteger(days) || days <= 0) throw new TypeError(`days must be a positive integer, got ${days}`);
  // A minute of back-dating tolerates small clock differences between hosts.
  const start = notBefore ?? new Date(Date.now() - 60_000);
  return { notBefore: start, notAfter: notAfter ?? new Date(start.getTime() + days * DAY_MS) };
}

function serialNumber(): string {
  const b = randomBytes(16);
  b[0]! &= 0x7f; // positive
  return b.toString('hex');
}

async function exportKey(k: CryptoKey): Promise<string> {
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', k));
  return createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ type: 'sec1', format: 'pem' }) as string;
}

function trimDot(d: string): string {
  return d.replace(/^\.+|\.+$/g, '');
}

function escapeDn(v: string): string {
  return v.replace(/([,+"\\<>;=])/g, '\\$1');
}
