import type { ConnectionOptions, TlsOptions } from 'node:tls';
import type { TlsConfig } from '../config/runtime-config.js';

/**
 * The agent's TLS material and the Node `tls` options built from it, for every listener and
 * outgoing connection (Consul's tlsutil.Configurator). The kernel binds a file-based one
 * for every agent, loading the certificates, keys and CAs the `tls {}` config names; a
 * plugin may bind its own first.
 *
 * Blocking and concurrency: construction and {@link reload} read files synchronously (a
 * few small files, at start and on SIGHUP/`agent/reload` only). Every other method is
 * cheap and non-blocking and may be called per connection: it returns a new options
 * object over the current material, so callers may mutate it. Material changes only
 * between event-loop turns (reload or {@link useInternalRpcCertificate}); the listeners
 * registered with {@link onReload} run synchronously right after, in registration order.
 * PEM strings and Buffers in returned options are shared and must not be mutated.
 */
export const TlsConfigurator = Symbol.for('proconsul.TlsConfigurator');

/** A certificate chain and key (PEM) with the CA certificates (PEM) to trust, e.g. from auto_encrypt. */
export interface TlsMaterial {
  readonly cert: string;
  readonly key: string;
  readonly ca: readonly string[];
}

export interface TlsConfigurator {
  /** The merged `tls {}` settings in force (Consul's keys, see RuntimeConfig.tls). */
  settings(): TlsConfig;

  /**
   * Options for the HTTPS API listener (`https.createServer`): certificate, key, CA, minimum
   * version, ciphers, and with `tls.https.verify_incoming` a required client certificate
   * (`requestCert` and `rejectUnauthorized`). Undefined when tls.https has no certificate.
   */
  httpsServer(): TlsOptions | undefined;

  /**
   * Options for TLS on the server port (8300). `requestCert`/`rejectUnauthorized` follow
   * `tls.internal_rpc.verify_incoming`. Undefined when there is no certificate for
   * internal RPC (neither from files nor from {@link useInternalRpcCertificate}).
   */
  internalRpcServer(): TlsOptions | undefined;

  /**
   * Options for `tls.connect` to a server's RPC port: the CA, this agent's certificate and
   * key for mutual authentication when it has them, minimum version and ciphers, and
   * `rejectUnauthorized: true`. With `verify_server_hostname` the peer must present a
   * certificate for `serverName` (default {@link internalRpcServerName} of the local
   * datacenter), set as SNI `servername` and checked by `checkServerIdentity`; without it
   * only the chain is checked (the address is not, as in Consul).
   */
  internalRpcClient(serverName?: string): ConnectionOptions;

  /**
   * TLS options for health checks under `enable_agent_tls_for_checks` (as Consul: the
   * internal-RPC material): this agent's certificate and key, presented when the checked
   * service asks for one, and its CA as the roots to trust (Node's defaults when it has
   * none). Checks add rejectUnauthorized (tls_skip_verify) and servername themselves.
   */
  checkClient(): ConnectionOptions;

  /** `server.<datacenter>.<domain>` (domain without its trailing dot), what verify_server_hostname expects. */
  internalRpcServerName(datacenter?: string): string;

  /** Incoming RPC must be TLS with a client certificate signed by the CA (verify_incoming). */
  internalRpcVerifyIncoming(): boolean;

  /** Outgoing RPC must use TLS and check the server (verify_outgoing, implied by verify_server_hostname). */
  internalRpcVerifyOutgoing(): boolean;

  /**
   * Replace the internal-RPC certificate, key and CAs in memory (auto_encrypt: a client's
   * certificate signed by the servers). Validated like files; throws TLS_FILE_INVALID
   * (naming "auto_encrypt") and keeps the old material on error. Fires the reload listeners.
   * Survives later {@link reload}s until replaced again.
   */
  useInternalRpcCertificate(material: TlsMaterial): void;

  /**
   * Re-read every file (SIGHUP, `PUT /v1/agent/reload`), with `next` settings when given.
   * All-or-nothing: on any error the old material and settings stay in force and the coded
   * error (TLS_FILE_INVALID naming key and file) is thrown; on success the listeners run.
   */
  reload(next?: TlsConfig): void;

  /**
   * Call `listener` after every successful change of material, e.g. to
   * `server.setSecureContext(configurator.httpsServer()!)`, which keeps existing connections.
   * A listener that throws is logged and does not stop the others. Returns an unsubscribe.
   */
  onReload(listener: () => void): () => void;
}
