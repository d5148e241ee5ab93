import { webcrypto } from 'node:crypto';

type X509 = typeof import('@peculiar/x509');
type Asn1X509 = typeof import('@peculiar/asn1-x509');
type Asn1Schema = typeof import('@peculiar/asn1-schema');

export interface X509Library {
  readonly x509: X509;
  readonly asn1: Asn1X509;
  readonly AsnConvert: Asn1Schema['AsnConvert'];
}

let loading: Promise<X509Library> | undefined;

/**
 * @peculiar/x509 with its ASN.1 packages: ~220 modules that load on the first certificate
 * operation rather than with the tls plugin, since most agents (and every test agent) never
 * make or sign a certificate.
 */
export function x509Library(): Promise<X509Library> {
  return (loading ??= (async () => {
    // @peculiar/x509 resolves its ASN.1 schemas through tsyringe, which needs the Reflect polyfill first.
    await import('reflect-metadata');
    const [x509, asn1, schema] = await Promise.all([
      import('@peculiar/x509'),
      import('@peculiar/asn1-x509'),
      import('@peculiar/asn1-schema'),
    ]);
    // Node's own WebCrypto; the DOM lib (and its global key types) is not part of this build.
    x509.cryptoProvider.set(webcrypto);
    return { x509, asn1, AsnConvert: schema.AsnConvert };
  })());
}
