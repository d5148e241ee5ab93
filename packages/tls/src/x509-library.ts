import { webcrypto } from 'node:crypto';

/** The X.509 toolkit, loaded on first use. */
export interface X509Library {
  readonly x509: typeof import('@peculiar/x509');
  readonly asn1: typeof import('@peculiar/asn1-x509');
  readonly AsnConvert: typeof import('@peculiar/asn1-schema').AsnConvert;
}

let loading: Promise<X509Library> | undefined;

/**
 * @peculiar/x509 and its ASN.1 schemas are ~170 modules that only certificate work needs
 * (`proconsul tls`, auto_encrypt): importing them with this package would load them into
 * every agent, most of which never touch a certificate. Loaded once, on first call.
 */
export function x509Library(): Promise<X509Library> {
  loading ??= (async () => {
    // @peculiar/x509 resolves its ASN.1 schemas through tsyringe, which needs the Reflect polyfill first.
    await import('reflect-metadata');
    const [x509, asn1, schema] = await Promise.all([
      import('@peculiar/x509'),
      import('@peculiar/asn1-x509'),
      import('@peculiar/asn1-schema'),
    ]);
    x509.cryptoProvider.set(webcrypto);
    return { x509, asn1, AsnConvert: schema.AsnConvert };
  })();
  return loading;
}
