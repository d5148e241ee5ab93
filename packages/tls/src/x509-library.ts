import { webcrypto } from 'node:crypto';
import { commonJsExports } from '@proconsul/kernel';

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
    // CommonJS packages: in the CLI's bundle their namespaces hold only `default`.
    const [x509ns, asn1ns, schemaNs] = await Promise.all([
      import('@peculiar/x509'),
      import('@peculiar/asn1-x509'),
      import('@peculiar/asn1-schema'),
    ]);
    const x509 = commonJsExports<X509>(x509ns);
    const asn1 = commonJsExports<Asn1X509>(asn1ns);
    const schema = commonJsExports<Asn1Schema>(schemaNs);
    // Node's own WebCrypto; the DOM lib (and its global key types) is not part of this build.
    x509.cryptoProvider.set(webcrypto);
    return { x509, asn1, AsnConvert: schema.AsnConvert };
  })());
}
