import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { nodeTls, type TlsInterfaceConfig } from '@proconsul/kernel';
import { TlsFileInvalid } from './tls-errors.js';

/** What one interface presents and trusts, all PEM, already validated. */
export interface LoadedMaterial {
  /** The certificate chain (leaf first), or undefined when the interface has none. */
  readonly cert?: string;
  readonly key?: string;
  readonly ca: readonly string[];
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Reads files once per load (interfaces often share them). Every failure is a
 * TLS_FILE_INVALID naming the config key and the file; the user's mistake, never a stack.
 */
export class MaterialLoader {
  private readonly files = new Map<string, string>();

  constructor(private readonly now: Date = new Date()) {}

  /** Load and check the files an interface's settings name; `prefix` is e.g. "tls.https". */
  load(prefix: string, s: TlsInterfaceConfig): LoadedMaterial {
    const key = (f: 'caFile' | 'caPath' | 'certFile' | 'keyFile', name: string) => s.sourceKeys?.[f] ?? `${prefix}.${name}`;
    const ca: string[] = [];
    if (s.caFile) ca.push(...this.certificates(key('caFile', 'ca_file'), s.caFile));
    if (s.caPath) ca.push(...this.caDirectory(key('caPath', 'ca_path'), s.caPath));
    if (!s.certFile) return { ca };
    const chain = this.certificates(key('certFile', 'cert_file'), s.certFile);
    const keyText = this.read(key('keyFile', 'key_file'), s.keyFile);
    checkKey(key('keyFile', 'key_file'), s.keyFile, keyText, chain[0]!, s.certFile);
    const cert = chain.join('\n') + '\n';
    try {
      nodeTls().createSecureContext({ cert, key: keyText, ca: ca.length ? ca : undefined });
    } catch (e) {
      throw TlsFileInvalid(key('certFile', 'cert_file'), s.certFile, `cannot be used: ${(e as Error).message}`);
    }
    return { cert, key: keyText, ca };
  }

  /** Check material handed over in memory (auto_encrypt) the way files are checked. */
  check(label: string, cert: string, key: string, ca: readonly string[]): LoadedMaterial {
    const chain = parseCertificates(label, 'certificate', cert, this.now);
    checkKey(label, 'key', key, chain[0]!, 'certificate');
    const cas = ca.flatMap((c, i) => parseCertificates(label, `CA ${i + 1}`, c, this.now));
    return { cert: chain.join('\n') + '\n', key, ca: cas };
  }

  private certificates(key: string, file: string): string[] {
    return parseCertificates(key, file, this.read(key, file), this.now);
  }

  /** Every regular file in the directory must hold PEM certificates (as Consul's ca_path loader demands). */
  private caDirectory(key: string, dir: string): string[] {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (e) {
      throw TlsFileInvalid(key, dir, `cannot read directory: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    const out: string[] = [];
    for (const n of names) {
      const file = join(dir, n);
      if (!statSync(file).isFile()) continue;
      out.push(...this.certificates(key, file));
    }
    if (out.length === 0) throw TlsFileInvalid(key, dir, 'contains no PEM certificates');
    return out;
  }

  private read(key: string, file: string): string {
    const cached = this.files.get(file);
    if (cached !== undefined) return cached;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw TlsFileInvalid(key, file, `cannot be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    this.files.set(file, text);
    return text;
  }
}

function parseCertificates(key: string, file: string, text: string, now: Date): string[] {
  const blocks = text.match(PEM_CERT) ?? [];
  if (blocks.length === 0) throw TlsFileInvalid(key, file, 'contains no PEM certificate (-----BEGIN CERTIFICATE-----)');
  for (const pem of blocks) {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(pem);
    } catch (e) {
      throw TlsFileInvalid(key, file, `holds a malformed certificate: ${(e as Error).message}`);
    }
    const notAfter = new Date(cert.validTo);
    if (notAfter.getTime() < now.getTime()) {
      throw TlsFileInvalid(key, file, `certificate "${cert.subject.split('\n')[0]}" expired on ${notAfter.toISOString()}`);
    }
  }
  return blocks;
}

function checkKey(key: string, file: string, text: string, leafPem: string, certFile: string): KeyObject {
  let k: KeyObject;
  try {
    k = createPrivateKey(text);
  } catch {
    // OpenSSL's decoder text ("DECODER routines::unsupported") tells an operator nothing more.
    throw TlsFileInvalid(key, file, 'is not a PEM private key');
  }
  if (!new X509Certificate(leafPem).checkPrivateKey(k)) {
    throw TlsFileInvalid(key, file, `does not match the certificate in ${certFile}`);
  }
  return k;
}
