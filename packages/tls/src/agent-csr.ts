import { createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import type * as x509 from '@peculiar/x509';
import { x509Library } from './x509-library.js';
import type { CertificateAndKey } from './cert-authority.js';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

/**
 * auto_encrypt, client side: a fresh EC P-256 key and a PKCS#10 request for it. The key
 * never leaves the agent; the servers sign the request. A few ms of CPU.
 */
export async function createAgentCsr(nodeName: string): Promise<{ csr: string; key: string }> {
  const { x509 } = await x509Library();
  const keys = (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
  const req = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${nodeName.replace(/([,+"\\<>;=])/g, '\\$1')}`,
    keys,
    signingAlgorithm: EC,
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey as CryptoKey));
  const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ type: 'sec1', format: 'pem' }) as string;
  return { csr: req.toString('pem'), key };
}

export interface SignAgentCsrOptions {
  readonly datacenter: string;
  /** Without its trailing dot, e.g. "consul". */
  readonly domain: string;
  /** Extra names the client asked for (its auto_encrypt.dns_san / ip_san). */
  readonly dnsSan?: readonly string[];
  readonly ipSan?: readonly string[];
  readonly days?: number;
}

/**
 * auto_encrypt, server side: sign a client agent's request with `ca`. The names are the
 * server's choice — `client.<dc>.<domain>`, "localhost", 127.0.0.1 and the extra SANs —
 * never the request's, and a name under `server.` is refused, so a client can never obtain
 * a certificate that passes verify_server_hostname. Throws TypeError on a bad request.
 */
export async function signAgentCsr(ca: CertificateAndKey, csrPem: string, o: SignAgentCsrOptions): Promise<string> {
  const { x509 } = await x509Library();
  let req: x509.Pkcs10CertificateRequest;
  try {
    req = new x509.Pkcs10CertificateRequest(csrPem);
  } catch (e) {
    throw new TypeError(`not a PEM certificate request: ${(e as Error).message}`);
  }
  if (!(await req.verify())) throw new TypeError('the certificate request is not signed by its own key');
  const dnsNames = [`client.${o.datacenter}.${o.domain}`, 'localhost', ...(o.dnsSan ?? [])];
  for (const n of o.dnsSan ?? []) {
    if (!/^[a-z0-9*]([a-z0-9.-]*[a-z0-9])?$/i.test(n)) throw new TypeError(`"${n}" is not a DNS name`);
    if (/^server\./i.test(n)) throw new TypeError(`"${n}" is a server name; client agents cannot be given one`);
  }
  const ips = ['127.0.0.1', ...(o.ipSan ?? [])];
  for (const ip of ips) if (!isIP(ip)) throw new TypeError(`"${ip}" is not an IP address`);
  const caCert = new x509.X509Certificate(ca.cert);
  const caKey = await webcrypto.subtle.importKey(
    'pkcs8',
    createPrivateKey(ca.key).export({ type: 'pkcs8', format: 'der' }),
    EC,
    false,
    ['sign'],
  );
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  const notBefore = new Date(Date.now() - 60_000);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial.toString('hex'),
    subject: `CN=client.${o.datacenter}.${o.domain}`,
    issuer: caCert.subject,
    notBefore,
    notAfter: new Date(notBefore.getTime() + (o.days ?? 365) * DAY_MS),
    publicKey: req.publicKey,
    signingKey: caKey as CryptoKey,
    signingAlgorithm: EC,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...dnsNames.map((value) => ({ type: 'dns' as const, value })),
        ...ips.map((value) => ({ type: 'ip' as const, value })),
      ]),
      await x509.SubjectKeyIdentifierExtension.create(req.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return cert.toString('pem') + '\n';
}
