import type { PeerCertificate, SecureContext, SecureContextOptions } from 'node:tls';

/**
 * The TLS settings of the server port at one moment (Consul's `tls.internal_rpc`). Read
 * afresh for every accepted or dialled connection, so a certificate reload applies to new
 * connections while established ones carry on.
 */
export interface ServerPortTlsState {
  /** Accepting: our certificate, key and CA bundle. Undefined: no certificate, TLS connections are refused. */
  readonly serverOptions: SecureContextOptions | undefined;
  /** Dialling: the CA bundle and, when we have one, our certificate and key. Undefined: we cannot dial TLS. */
  readonly clientContext: SecureContext | undefined;
  /** Refuse connections that do not start with TLS and present a certificate our CA signed. */
  readonly verifyIncoming: boolean;
  /** Dial servers with TLS, presenting our certificate and checking theirs against our CA. */
  readonly verifyOutgoing: boolean;
  /**
   * `server.<datacenter>.<domain>` with verify_server_hostname: servers we dial must hold a
   * certificate for this name, and only peers holding one may speak raft or server-only RPC.
   */
  readonly serverName: string | undefined;
  /**
   * Dialling for auto_encrypt's certificate request: open with PROTO_TLS_INSECURE, present
   * no certificate, and check the server's only when we already trust a CA (`verifyServer`).
   */
  readonly bootstrap?: { readonly verifyServer: boolean };
}

/** Where the server port reads its TLS settings; must not block (it runs per connection). */
export interface ServerPortTls {
  current(): ServerPortTlsState;
}

/** No TLS at all: the port speaks plain TCP only, as before TLS existed. */
export const NO_TLS: ServerPortTls = {
  current: () => ({
    serverOptions: undefined,
    clientContext: undefined,
    verifyIncoming: false,
    verifyOutgoing: false,
    serverName: undefined,
  }),
};

/** The DNS names of a peer certificate's subjectAltName ("DNS:a, IP Address:…, DNS:b"). */
export function dnsNames(cert: PeerCertificate | undefined): string[] {
  const san = cert?.subjectaltname;
  if (!san) return [];
  return san
    .split(/,\s*/)
    .filter((s) => s.startsWith('DNS:'))
    .map((s) => s.slice(4).toLowerCase());
}

/** True when the certificate names exactly `name` (no wildcards: Consul's server names are literal). */
export function certHasName(cert: PeerCertificate | undefined, name: string): boolean {
  return dnsNames(cert).includes(name.toLowerCase());
}

/** `server.<datacenter>.<domain>` without the domain's trailing dot. */
export function serverNameFor(datacenter: string, domain: string): string {
  return `server.${datacenter}.${domain.replace(/\.+$/, '')}`;
}
