import {
  type AutoEncryptConfig,
  type InternalRpcTlsConfig,
  type TlsConfig,
  type TlsInterfaceConfig,
  type TlsMinVersion,
  TLS_CIPHER_SUITES,
} from '@proconsul/kernel';

/** Read access to the merged config, and the builder's error and warning channels. */
export interface TlsConfigInput {
  /** Value at a dotted key of the merged config, undefined when not given. */
  readonly get: (key: string) => unknown;
  /** Throws a coded config error naming the key (and the file it came from). */
  readonly fail: (key: string, reason: string) => never;
  readonly warn: (msg: string) => void;
  /** ports.https after validation; > 0 means the HTTPS listener will start. */
  readonly httpsPort: number;
}

type Iface = 'internal_rpc' | 'https' | 'grpc';
type Field = keyof typeof FIELD_KEYS;

const FIELD_KEYS = {
  caFile: 'ca_file',
  caPath: 'ca_path',
  certFile: 'cert_file',
  keyFile: 'key_file',
  verifyIncoming: 'verify_incoming',
  verifyOutgoing: 'verify_outgoing',
  tlsMinVersion: 'tls_min_version',
  tlsCipherSuites: 'tls_cipher_suites',
} as const;

/**
 * Consul's pre-1.12 top-level keys and where they land in the `tls {}` block. A legacy key
 * fills its new place only when the new key is not given, as Consul's builder does.
 */
const LEGACY_KEYS: Readonly<Record<string, string>> = {
  ca_file: 'tls.defaults.ca_file',
  ca_path: 'tls.defaults.ca_path',
  cert_file: 'tls.defaults.cert_file',
  key_file: 'tls.defaults.key_file',
  verify_incoming: 'tls.defaults.verify_incoming',
  verify_outgoing: 'tls.defaults.verify_outgoing',
  tls_min_version: 'tls.defaults.tls_min_version',
  tls_cipher_suites: 'tls.defaults.tls_cipher_suites',
  verify_incoming_rpc: 'tls.internal_rpc.verify_incoming',
  verify_incoming_https: 'tls.https.verify_incoming',
  verify_server_hostname: 'tls.internal_rpc.verify_server_hostname',
};

const MIN_VERSIONS: Readonly<Record<string, TlsMinVersion>> = {
  TLSv1_0: 'TLSv1_0',
  TLSv1_1: 'TLSv1_1',
  TLSv1_2: 'TLSv1_2',
  TLSv1_3: 'TLSv1_3',
  // The spellings of the deprecated top-level key.
  tls10: 'TLSv1_0',
  tls11: 'TLSv1_1',
  tls12: 'TLSv1_2',
  tls13: 'TLSv1_3',
};

/** Consul's default minimum (since 1.12). */
export const DEFAULT_TLS_MIN_VERSION: TlsMinVersion = 'TLSv1_2';

/** Merge `tls {}`, the legacy keys and `auto_encrypt {}`, and check them the way Consul does. */
export function buildTlsConfig(input: TlsConfigInput): { tls: TlsConfig; autoEncrypt: AutoEncryptConfig } {
  const { get, fail, warn } = input;
  const given = (key: string) => get(key) !== undefined;
  for (const [legacy, modern] of Object.entries(LEGACY_KEYS)) {
    if (given(legacy)) warn(`config key "${legacy}" is deprecated; use "${modern}" instead`);
  }
  if (given('tls_prefer_server_cipher_suites'))
    warn('config key "tls_prefer_server_cipher_suites" has no effect (as in Consul ≥ 1.12)');

  /** The key a field of an interface comes from, most specific first; undefined when none is given. */
  const sourceKey = (iface: Iface, field: string): string | undefined => {
    const candidates = [`tls.${iface}.${field}`];
    for (const [legacy, modern] of Object.entries(LEGACY_KEYS)) if (modern === `tls.${iface}.${field}`) candidates.push(legacy);
    candidates.push(`tls.defaults.${field}`);
    for (const [legacy, modern] of Object.entries(LEGACY_KEYS)) if (modern === `tls.defaults.${field}`) candidates.push(legacy);
    return candidates.find(given);
  };
  const autoEncrypt: AutoEncryptConfig = {
    tls: (get('auto_encrypt.tls') as boolean | undefined) ?? false,
    allowTls: (get('auto_encrypt.allow_tls') as boolean | undefined) ?? false,
    dnsSan: (get('auto_encrypt.dns_san') as string[] | undefined) ?? [],
    ipSan: (get('auto_encrypt.ip_san') as string[] | undefined) ?? [],
    ...(given('auto_encrypt.ca_key_file') && { caKeyFile: get('auto_encrypt.ca_key_file') as string }),
  };

  const iface = (name: Iface): TlsInterfaceConfig & { keyOf: (f: Field) => string } => {
    const keyOf = (f: Field) => sourceKey(name, FIELD_KEYS[f]) ?? `tls.${name}.${FIELD_KEYS[f]}`;
    const value = (f: Field): unknown => {
      const k = sourceKey(name, FIELD_KEYS[f]);
      return k === undefined ? undefined : get(k);
    };
    const str = (f: Field) => (value(f) as string | undefined) ?? '';
    const rawVersion = (value('tlsMinVersion') as string | undefined) ?? DEFAULT_TLS_MIN_VERSION;
    const tlsMinVersion = MIN_VERSIONS[rawVersion];
    if (!tlsMinVersion) {
      fail(keyOf('tlsMinVersion'), `unknown TLS version "${rawVersion}"; use one of TLSv1_0, TLSv1_1, TLSv1_2, TLSv1_3`);
    }
    const suites = str('tlsCipherSuites')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    for (const s of suites) {
      if (!TLS_CIPHER_SUITES[s]) fail(keyOf('tlsCipherSuites'), `unsupported cipher suite "${s}"`);
    }
    if (suites.length > 0 && tlsMinVersion === 'TLSv1_3') {
      fail(keyOf('tlsCipherSuites'), 'cannot be set with tls_min_version TLSv1_3 (TLS 1.3 suites are not configurable)');
    }
    const out = {
      caFile: str('caFile'),
      caPath: str('caPath'),
      certFile: str('certFile'),
      keyFile: str('keyFile'),
      verifyIncoming: (value('verifyIncoming') as boolean | undefined) ?? false,
      verifyOutgoing: (value('verifyOutgoing') as boolean | undefined) ?? false,
      tlsMinVersion: tlsMinVersion!,
      tlsCipherSuites: suites,
      sourceKeys: {
        caFile: keyOf('caFile'),
        caPath: keyOf('caPath'),
        certFile: keyOf('certFile'),
        keyFile: keyOf('keyFile'),
      },
      keyOf,
    };
    if (out.certFile && !out.keyFile) fail(keyOf('certFile'), `is set for tls.${name} but key_file is not`);
    if (out.keyFile && !out.certFile) fail(keyOf('keyFile'), `is set for tls.${name} but cert_file is not`);
    // With auto_encrypt the agent's RPC certificate and CA come from the servers at run time.
    const autoCert = name === 'internal_rpc' && autoEncrypt.tls;
    if (out.verifyIncoming && !autoCert && !out.caFile && !out.caPath) {
      fail(keyOf('verifyIncoming'), `is set for tls.${name} but neither ca_file nor ca_path is`);
    }
    if (out.verifyIncoming && !autoCert && !out.certFile) {
      fail(keyOf('verifyIncoming'), `is set for tls.${name} but no cert_file and key_file are`);
    }
    return out;
  };

  const rpc = iface('internal_rpc');
  const https = iface('https');
  const grpc = iface('grpc');
  const vshKey = sourceKey('internal_rpc', 'verify_server_hostname');
  const verifyServerHostname = vshKey ? (get(vshKey) as boolean) : false;
  // Consul (since 1.4.1): verify_server_hostname implies verify_outgoing.
  const rpcVerifyOutgoing = rpc.verifyOutgoing || verifyServerHostname;
  if (rpcVerifyOutgoing && !rpc.caFile && !rpc.caPath && !autoEncrypt.tls) {
    fail(
      rpc.verifyOutgoing ? rpc.keyOf('verifyOutgoing') : vshKey!,
      'is set for tls.internal_rpc but neither ca_file nor ca_path is (nor auto_encrypt.tls)',
    );
  }
  if (autoEncrypt.allowTls && (!autoEncrypt.caKeyFile || !rpc.caFile)) {
    fail('auto_encrypt.allow_tls', 'needs auto_encrypt.ca_key_file and the CA it belongs to in tls.internal_rpc ca_file');
  }
  if (input.httpsPort > 0 && !https.certFile) {
    fail(
      'ports.https',
      'is set but the HTTPS listener has no certificate: set tls.https (or tls.defaults) cert_file and key_file',
    );
  }
  const strip = <T extends { keyOf: unknown }>({ keyOf: _k, ...rest }: T): Omit<T, 'keyOf'> => rest;
  const internalRpc: InternalRpcTlsConfig = { ...strip(rpc), verifyOutgoing: rpcVerifyOutgoing, verifyServerHostname };
  return { tls: { internalRpc, https: strip(https), grpc: strip(grpc) }, autoEncrypt };
}
