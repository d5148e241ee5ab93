import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TlsFileInvalid } from './errors.js';
import type { FlagSpec, ParsedFlags } from './commands/support/flag-set.js';
import type { ClientTls } from './http-transport.js';

/** Consul's TLS flags of every HTTP command (api.TLSConfig). */
export const TLS_CLIENT_FLAGS: readonly FlagSpec[] = [
  {
    name: 'ca-file',
    kind: 'string',
    value: '<value>',
    usage:
      'Path to a CA file to use for TLS when communicating with Proconsul. This can also be specified via the CONSUL_CACERT environment variable.',
  },
  {
    name: 'ca-path',
    kind: 'string',
    value: '<value>',
    usage:
      'Path to a directory of CA certificates to use for TLS when communicating with Proconsul. This can also be specified via the CONSUL_CAPATH environment variable.',
  },
  {
    name: 'client-cert',
    kind: 'string',
    value: '<value>',
    usage:
      'Path to a client cert file to use for TLS when verify_incoming is enabled. This can also be specified via the CONSUL_CLIENT_CERT environment variable.',
  },
  {
    name: 'client-key',
    kind: 'string',
    value: '<value>',
    usage:
      'Path to a client key file to use for TLS when verify_incoming is enabled. This can also be specified via the CONSUL_CLIENT_KEY environment variable.',
  },
  {
    name: 'tls-server-name',
    kind: 'string',
    value: '<value>',
    usage:
      'The server name to use as the SNI host when connecting via TLS. This can also be specified via the CONSUL_TLS_SERVER_NAME environment variable.',
  },
];

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Flag > environment, file by file. Every file is read and checked here, so a wrong path or
 * a key that does not match its certificate fails before any request, naming the flag (or
 * variable) and the file. Undefined when nothing TLS-related is set: system roots, verified.
 */
export function resolveClientTls(flags: ParsedFlags, env: Env): ClientTls | undefined {
  const pick = (flag: string, variable: string): { source: string; file: string } | undefined => {
    if (flags.values.has(flag) && flags.given.has(flag) && flags.string(flag))
      return { source: `-${flag}`, file: flags.string(flag) };
    const v = env[variable];
    return v ? { source: variable, file: v } : undefined;
  };
  const caFile = pick('ca-file', 'CONSUL_CACERT');
  const caPath = pick('ca-path', 'CONSUL_CAPATH');
  const certFile = pick('client-cert', 'CONSUL_CLIENT_CERT');
  const keyFile = pick('client-key', 'CONSUL_CLIENT_KEY');
  const serverName =
    (flags.values.has('tls-server-name') && flags.given.has('tls-server-name') && flags.string('tls-server-name')) ||
    env.CONSUL_TLS_SERVER_NAME ||
    undefined;
  const verifyEnv = env.CONSUL_HTTP_SSL_VERIFY;
  const verify = !(verifyEnv === 'false' || verifyEnv === '0');
  if (!caFile && !caPath && !certFile && !keyFile && !serverName && verify) return undefined;

  // Go's x509.CertPool: a CA file replaces the system roots, a CA path adds to that pool.
  let ca: string[] | undefined;
  if (caFile) ca = certificates(caFile.source, caFile.file, read(caFile.source, caFile.file));
  if (caPath) ca = [...(ca ?? []), ...caDirectory(caPath.source, caPath.file)];
  if (certFile && !keyFile)
    throw TlsFileInvalid(certFile.source, certFile.file, 'is set but no client key is (-client-key or CONSUL_CLIENT_KEY)');
  if (keyFile && !certFile)
    throw TlsFileInvalid(
      keyFile.source,
      keyFile.file,
      'is set but no client certificate is (-client-cert or CONSUL_CLIENT_CERT)',
    );
  let cert: string | undefined;
  let key: string | undefined;
  if (certFile && keyFile) {
    cert = read(certFile.source, certFile.file);
    const leaf = certificates(certFile.source, certFile.file, cert)[0]!;
    key = read(keyFile.source, keyFile.file);
    let k;
    try {
      k = createPrivateKey(key);
    } catch {
      throw TlsFileInvalid(keyFile.source, keyFile.file, 'is not a PEM private key');
    }
    if (!new X509Certificate(leaf).checkPrivateKey(k)) {
      throw TlsFileInvalid(keyFile.source, keyFile.file, `does not match the certificate in ${certFile.file}`);
    }
  }
  return { ca, cert, key, serverName, verify };
}

function read(source: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw TlsFileInvalid(source, file, `cannot be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

function certificates(source: string, file: string, text: string): string[] {
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw TlsFileInvalid(source, file, 'contains no PEM certificate');
  for (const b of blocks) {
    try {
      new X509Certificate(b);
    } catch {
      throw TlsFileInvalid(source, file, 'holds a malformed certificate');
    }
  }
  return blocks;
}

function caDirectory(source: string, dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (e) {
    throw TlsFileInvalid(source, dir, `cannot be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const files = names.map((n) => join(dir, n)).filter((f) => statSync(f).isFile());
  const out = files.flatMap((f) => certificates(source, f, read(source, f)));
  if (out.length === 0) throw TlsFileInvalid(source, dir, 'contains no PEM certificates');
  return out;
}
