import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isCoded, PermissionDenied, type Authorizer, type Logger, type RuntimeConfig } from '@proconsul/kernel';
import { signAgentCsr, type CertificateAndKey } from '@proconsul/tls';
import { AutoEncryptBadRequest, AutoEncryptCaInvalid } from '../errors.js';

/** What a client agent sends to ask for its certificate (AutoEncrypt.Sign). */
export interface AutoEncryptSignRequest {
  readonly nodeName: string;
  /** The agent token; the request needs node:write on nodeName, as Consul's. */
  readonly token: string;
  /** PEM PKCS#10 request for the agent's own key. */
  readonly csr: string;
  readonly dnsSan?: readonly string[];
  readonly ipSan?: readonly string[];
}

export interface AutoEncryptSignReply {
  readonly cert: string;
  /** Every CA the agent should trust for the server port (the whole ca_file). */
  readonly ca: readonly string[];
}

/**
 * auto_encrypt on a server (`auto_encrypt.allow_tls`): signs client agents' certificate
 * requests with the internal-RPC CA whose key is `auto_encrypt.ca_key_file`. The files are
 * read once at start; a key matching none of ca_file's certificates stops the agent.
 * Signing is a few ms of CPU; authorization may wait on the state store.
 */
export class AutoEncryptSigner {
  private readonly ca: CertificateAndKey;
  private readonly bundle: readonly string[];
  private readonly domain: string;

  constructor(
    private readonly runtime: RuntimeConfig,
    private readonly authorizer: Authorizer,
    private readonly logger: Logger,
  ) {
    const caFile = runtime.tls.internalRpc.caFile;
    const keyFile = runtime.autoEncrypt.caKeyFile ?? '';
    const read = (f: string) => {
      try {
        return readFileSync(f, 'utf8');
      } catch (e) {
        throw AutoEncryptCaInvalid(f, (e as Error).message);
      }
    };
    this.bundle = splitPem(read(caFile));
    const keyPem = read(keyFile);
    let key;
    try {
      key = createPrivateKey(keyPem);
    } catch (e) {
      throw AutoEncryptCaInvalid(keyFile, `not a private key: ${(e as Error).message}`);
    }
    const cert = this.bundle.find((c) => new X509Certificate(c).checkPrivateKey(key));
    if (!cert) throw AutoEncryptCaInvalid(keyFile, `matches no CA certificate in ${caFile}`);
    this.ca = { cert, key: keyPem };
    this.domain = runtime.domain.replace(/\.+$/, '');
  }

  async sign(body: unknown): Promise<AutoEncryptSignReply> {
    const req = parse(body);
    let authz;
    try {
      authz = await this.authorizer.resolve(req.token || undefined);
    } catch (e) {
      if (isCoded(e, 'ACL_NOT_FOUND')) throw PermissionDenied(`token not found; node:write on "${req.nodeName}" is required`);
      throw e;
    }
    if (!authz.allowed('node', req.nodeName, 'write')) throw PermissionDenied(`node:write on "${req.nodeName}" is required`);
    let cert: string;
    try {
      cert = await signAgentCsr(this.ca, req.csr, {
        datacenter: this.runtime.datacenter,
        domain: this.domain,
        dnsSan: req.dnsSan,
        ipSan: req.ipSan,
      });
    } catch (e) {
      if (e instanceof TypeError) throw AutoEncryptBadRequest(e.message);
      throw e;
    }
    this.logger.info('auto_encrypt: signed a client certificate', { node: req.nodeName, accessor: authz.accessorId });
    return { cert, ca: this.bundle };
  }
}

function parse(body: unknown): AutoEncryptSignRequest {
  const b = body as Partial<Record<keyof AutoEncryptSignRequest, unknown>> | null;
  if (!b || typeof b !== 'object') throw AutoEncryptBadRequest('expected an object');
  if (typeof b.nodeName !== 'string' || !b.nodeName) throw AutoEncryptBadRequest('nodeName is required');
  if (typeof b.csr !== 'string') throw AutoEncryptBadRequest('csr is required');
  if (b.token !== undefined && typeof b.token !== 'string') throw AutoEncryptBadRequest('token must be a string');
  const strings = (v: unknown, name: string): string[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw AutoEncryptBadRequest(`${name} must be strings`);
    return v as string[];
  };
  return {
    nodeName: b.nodeName,
    token: (b.token as string | undefined) ?? '',
    csr: b.csr,
    dnsSan: strings(b.dnsSan, 'dnsSan'),
    ipSan: strings(b.ipSan, 'ipSan'),
  };
}

function splitPem(text: string): string[] {
  return (text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map((c) => c + '\n');
}
