import type { SecureContextOptions } from 'node:tls';
import { TLS_CIPHER_SUITES, type TlsInterfaceConfig, type TlsMinVersion } from '@proconsul/kernel';
import type { LoadedMaterial } from './tls-material.js';

const NODE_VERSIONS: Readonly<Record<TlsMinVersion, SecureContextOptions['minVersion']>> = {
  TLSv1_0: 'TLSv1',
  TLSv1_1: 'TLSv1.1',
  TLSv1_2: 'TLSv1.2',
  TLSv1_3: 'TLSv1.3',
};

/**
 * TLS 1.3 suites stay enabled when the user restricts the 1.2 ones: Node takes both from
 * one `ciphers` string, while Consul (Go) leaves 1.3 suites out of tls_cipher_suites.
 */
const TLS13_SUITES = 'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256';

/** The secure-context part common to servers and clients: material, minimum version, ciphers. */
export function contextOptions(m: LoadedMaterial, s: TlsInterfaceConfig): SecureContextOptions {
  return {
    ...(m.cert && { cert: m.cert, key: m.key }),
    ...(m.ca.length > 0 && { ca: [...m.ca] }),
    minVersion: NODE_VERSIONS[s.tlsMinVersion],
    ...(s.tlsCipherSuites.length > 0 && {
      ciphers: [TLS13_SUITES, ...s.tlsCipherSuites.map((c) => TLS_CIPHER_SUITES[c]!)].join(':'),
    }),
  };
}
