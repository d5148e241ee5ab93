import type { ConnectionOptions, TlsOptions } from 'node:tls';
import {
  nodeTls,
  type Logger,
  type RuntimeConfig,
  type TlsConfig,
  type TlsConfigurator,
  type TlsMaterial,
} from '@proconsul/kernel';
import { contextOptions } from './tls-options.js';
import { type LoadedMaterial, MaterialLoader } from './tls-material.js';

interface Loaded {
  readonly internalRpc: LoadedMaterial;
  readonly https: LoadedMaterial;
  readonly grpc: LoadedMaterial;
}

/** The kernel's TlsConfigurator: material from the files the `tls {}` config names. See the interface for blocking rules. */
export class FileTlsConfigurator implements TlsConfigurator {
  private current: TlsConfig;
  private loaded: Loaded;
  /** auto_encrypt's certificate, overriding the internal-RPC files while set. */
  private auto: LoadedMaterial | undefined;
  private readonly listeners = new Set<() => void>();

  /** Loads every file now, so a bad one stops the agent at start with the file named. */
  constructor(
    private readonly agent: Pick<RuntimeConfig, 'datacenter' | 'domain' | 'tls'>,
    private readonly log?: Logger,
  ) {
    // Hand-built configs in tests may lack the block: that is "no TLS".
    this.current = agent.tls ?? NO_TLS;
    this.loaded = load(this.current);
  }

  settings(): TlsConfig {
    return this.current;
  }

  httpsServer(): TlsOptions | undefined {
    const s = this.current.https;
    const m = this.loaded.https;
    if (!m.cert) return undefined;
    return { ...contextOptions(m, s), requestCert: s.verifyIncoming, rejectUnauthorized: s.verifyIncoming };
  }

  internalRpcServer(): TlsOptions | undefined {
    const s = this.current.internalRpc;
    const m = this.rpcMaterial();
    if (!m.cert) return undefined;
    return { ...contextOptions(m, s), requestCert: s.verifyIncoming, rejectUnauthorized: s.verifyIncoming };
  }

  internalRpcClient(serverName?: string): ConnectionOptions {
    const s = this.current.internalRpc;
    const opts: ConnectionOptions = { ...contextOptions(this.rpcMaterial(), s), rejectUnauthorized: true };
    if (s.verifyServerHostname) {
      const expected = serverName ?? this.internalRpcServerName();
      opts.servername = expected;
      opts.checkServerIdentity = (_host, cert) => nodeTls().checkServerIdentity(expected, cert);
    } else {
      // Consul checks only the chain without verify_server_hostname; servers are dialled by IP.
      opts.checkServerIdentity = () => undefined;
    }
    return opts;
  }

  checkClient(): ConnectionOptions {
    return contextOptions(this.rpcMaterial(), this.current.internalRpc);
  }

  internalRpcServerName(datacenter?: string): string {
    return `server.${datacenter ?? this.agent.datacenter}.${this.agent.domain.replace(/\.$/, '')}`;
  }

  internalRpcVerifyIncoming(): boolean {
    return this.current.internalRpc.verifyIncoming;
  }

  internalRpcVerifyOutgoing(): boolean {
    return this.current.internalRpc.verifyOutgoing;
  }

  useInternalRpcCertificate(material: TlsMaterial): void {
    this.auto = new MaterialLoader().check('auto_encrypt', material.cert, material.key, material.ca);
    this.notify();
  }

  reload(next?: TlsConfig): void {
    const settings = next ?? this.current;
    const loaded = load(settings);
    this.current = settings;
    this.loaded = loaded;
    this.notify();
  }

  onReload(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private rpcMaterial(): LoadedMaterial {
    return this.auto ?? this.loaded.internalRpc;
  }

  private notify(): void {
    for (const l of [...this.listeners]) {
      try {
        l();
      } catch (e) {
        this.log?.error('applying reloaded TLS material failed', { error: (e as Error).message });
      }
    }
  }
}

const NO_FILES = {
  caFile: '',
  caPath: '',
  certFile: '',
  keyFile: '',
  verifyIncoming: false,
  verifyOutgoing: false,
  tlsMinVersion: 'TLSv1_2',
  tlsCipherSuites: [],
} as const;
const NO_TLS: TlsConfig = { internalRpc: { ...NO_FILES, verifyServerHostname: false }, https: NO_FILES, grpc: NO_FILES };

function load(s: TlsConfig): Loaded {
  const loader = new MaterialLoader();
  return {
    internalRpc: loader.load('tls.internal_rpc', s.internalRpc),
    https: loader.load('tls.https', s.https),
    grpc: loader.load('tls.grpc', s.grpc),
  };
}
