import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { expect } from 'chai';
import {
  defineError,
  isCoded,
  NullLogger,
  type Authorization,
  type Authorizer,
  type RuntimeConfig,
  type TlsConfigurator,
  type TlsMaterial,
} from '@proconsul/kernel';
import { createAgentCert, createAgentCsr, createCa, type CertificateAndKey } from '@proconsul/tls';
import { ServerPort } from '../net/server-port.js';
import { TcpServerRpc } from '../net/tcp-server-rpc.js';
import { AUTO_ENCRYPT_SIGN } from '../net/framing.js';
import type { ServerPortTls, ServerPortTlsState } from '../net/server-tls.js';
import { AutoEncryptSigner } from './auto-encrypt-signer.js';
import { AutoEncryptClient } from './auto-encrypt-client.js';

const AclNotFound = defineError('ACL_NOT_FOUND', 403, () => 'ACL not found');

/** node:write on "c1" for the token "agent-secret" only. */
const authorizer: Authorizer = {
  async resolve(secret) {
    if (secret !== 'agent-secret' && secret !== 'read-only') throw AclNotFound();
    const a: Authorization = {
      accessorId: secret === 'agent-secret' ? 'acc-agent' : 'acc-ro',
      allowed: (resource, segment, access) =>
        resource === 'node' && segment === 'c1' && (access === 'read' || secret === 'agent-secret'),
    };
    return a;
  },
};

function state(ca: string, leaf: { cert: string; key: string } | undefined): ServerPortTls {
  const material = { ca, ...(leaf && { cert: leaf.cert, key: leaf.key }) };
  const s: ServerPortTlsState = {
    serverOptions: leaf && material,
    clientContext: createSecureContext(material),
    verifyIncoming: true,
    verifyOutgoing: true,
    serverName: 'server.dc1.consul',
  };
  return { current: () => s };
}

describe('auto_encrypt: servers sign client agents certificates over the server port', function () {
  this.timeout(20_000);
  let dir: string;
  let ca: CertificateAndKey;
  let server: CertificateAndKey;
  let port: ServerPort;
  let addr: string;
  let runtime: RuntimeConfig;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pc-auto-encrypt-'));
    ca = await createCa();
    server = await createAgentCert({ ca, kind: 'server', datacenter: 'dc1' });
    writeFileSync(join(dir, 'ca.pem'), ca.cert);
    writeFileSync(join(dir, 'ca-key.pem'), ca.key, { mode: 0o600 });
    runtime = {
      nodeName: 'c1',
      datacenter: 'dc1',
      domain: 'consul.',
      retryJoin: [],
      startJoin: [],
      ports: { server: 0 },
      acl: { tokens: { agent: 'agent-secret' } },
      tls: { internalRpc: { caFile: join(dir, 'ca.pem'), verifyServerHostname: true } },
      autoEncrypt: { tls: true, allowTls: true, dnsSan: [], ipSan: [], caKeyFile: join(dir, 'ca-key.pem') },
    } as unknown as RuntimeConfig;
    port = new ServerPort(new NullLogger());
    port.tls = state(ca.cert, server);
    const rpc = new TcpServerRpc(port, new NullLogger());
    rpc.setHandler(async (method, body) => ({ method, body }));
    const signer = new AutoEncryptSigner(runtime, authorizer, new NullLogger());
    port.autoEncryptSigner = (body) => signer.sign(body);
    addr = `127.0.0.1:${await port.listen('127.0.0.1', 0)}`;
  });
  after(async () => {
    await port.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A TlsConfigurator as a client agent with only the CA file has it. */
  function clientConfigurator(installed: TlsMaterial[], withCa = true): TlsConfigurator {
    return {
      internalRpcClient: () => (withCa ? { ca: [ca.cert] } : {}),
      internalRpcServerName: () => 'server.dc1.consul',
      useInternalRpcCertificate: (m: TlsMaterial) => void installed.push(m),
    } as unknown as TlsConfigurator;
  }

  it('a client with the agent token gets a client certificate that then passes verify_incoming', async () => {
    const installed: TlsMaterial[] = [];
    // retry_join names gossip addresses; the client dials their hosts at ports.server, here the test port.
    const ports = { ...runtime.ports, server: Number(addr.split(':')[1]) };
    const client = new AutoEncryptClient(
      { ...runtime, ports, retryJoin: ['127.0.0.1:8301'] } as RuntimeConfig,
      clientConfigurator(installed),
      new NullLogger(),
    );
    await client.start();
    const deadline = Date.now() + 5000;
    while (installed.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    client.stop();
    expect(installed).to.have.length(1);
    const got = installed[0]!;
    const x = new X509Certificate(got.cert);
    expect(x.subjectAltName).to.contain('DNS:client.dc1.consul');
    expect(x.subjectAltName).to.not.contain('server.');
    expect(x.checkIssued(new X509Certificate(ca.cert))).to.equal(true);
    expect(got.ca).to.deep.equal([ca.cert.trim() + '\n']);

    const rpc = new TcpServerRpc(undefined, new NullLogger());
    rpc.tls = state(got.ca[0]!, got);
    try {
      expect(await rpc.call(addr, 'Read', 1, 3000)).to.deep.equal({ method: 'Read', body: 1 });
      const so = await rpc.call(addr, 'Call', { name: 'Operator.ServerStats', args: {} }, 3000).catch((e: unknown) => e);
      expect(isCoded(so, 'RPC_SERVER_ONLY'), 'a signed client certificate is not a server certificate').to.equal(true);
    } finally {
      rpc.close();
    }
  });

  it('refuses a token without node:write on the node, an unknown token, and a server name in the SANs', async () => {
    const signer = new AutoEncryptSigner(runtime, authorizer, new NullLogger());
    const { csr } = await createAgentCsr('c1');
    const ro = await signer.sign({ nodeName: 'c1', token: 'read-only', csr }).catch((e: unknown) => e);
    expect(isCoded(ro, 'PERMISSION_DENIED'), String(ro)).to.equal(true);
    const other = await signer.sign({ nodeName: 'c2', token: 'agent-secret', csr }).catch((e: unknown) => e);
    expect(isCoded(other, 'PERMISSION_DENIED')).to.equal(true);
    const unknown = await signer.sign({ nodeName: 'c1', token: 'nope', csr }).catch((e: unknown) => e);
    expect(isCoded(unknown, 'PERMISSION_DENIED')).to.equal(true);
    const escalate = await signer
      .sign({ nodeName: 'c1', token: 'agent-secret', csr, dnsSan: ['server.dc1.consul'] })
      .catch((e: unknown) => e);
    expect(isCoded(escalate, 'AUTO_ENCRYPT_BAD_REQUEST')).to.equal(true);
    expect((escalate as Error).message).to.contain('server name');
    const garbage = await signer.sign({ nodeName: 'c1', token: 'agent-secret', csr: 'x' }).catch((e: unknown) => e);
    expect(isCoded(garbage, 'AUTO_ENCRYPT_BAD_REQUEST')).to.equal(true);
  });

  it('a connection without a certificate may only ask for one', async () => {
    const rpc = new TcpServerRpc(undefined, new NullLogger());
    const s: ServerPortTlsState = {
      serverOptions: undefined,
      clientContext: createSecureContext({ ca: ca.cert }),
      verifyIncoming: false,
      verifyOutgoing: true,
      serverName: 'server.dc1.consul',
      bootstrap: { verifyServer: true },
    };
    rpc.tls = { current: () => s };
    try {
      const read = await rpc.call(addr, 'Read', 1, 3000).catch((e: unknown) => e);
      expect(isCoded(read, 'AUTO_ENCRYPT_ONLY'), String(read)).to.equal(true);
      const bad = await rpc
        .call(addr, AUTO_ENCRYPT_SIGN, { nodeName: 'c1', token: 'nope', csr: 'x' }, 3000)
        .catch((e: unknown) => e);
      expect(isCoded(bad, 'PERMISSION_DENIED'), String(bad)).to.equal(true);
    } finally {
      rpc.close();
    }
  });

  it('a server without auto_encrypt.allow_tls refuses such connections', async () => {
    const plainServer = new ServerPort(new NullLogger());
    plainServer.tls = state(ca.cert, server);
    const a = `127.0.0.1:${await plainServer.listen('127.0.0.1', 0)}`;
    const installed: TlsMaterial[] = [];
    const logs: string[] = [];
    const logger = {
      ...new NullLogger(),
      warn: (m: string, f?: Record<string, unknown>) => logs.push(`${m} ${String(f?.['error'])}`),
    };
    const client = new AutoEncryptClient(
      { ...runtime, ports: { ...runtime.ports, server: Number(a.split(':')[1]) }, retryJoin: ['127.0.0.1'] } as RuntimeConfig,
      clientConfigurator(installed),
      logger as unknown as NullLogger,
      50,
    );
    await client.start();
    const deadline = Date.now() + 3000;
    while (logs.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    client.stop();
    await plainServer.close();
    expect(installed).to.deep.equal([]);
    expect(logs[0]).to.contain('auto_encrypt: certificate request failed');
  });
});
