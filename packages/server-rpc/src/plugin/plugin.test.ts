import { expect } from 'chai';
import { createServer, connect } from 'node:net';
import { Container } from 'inversify';
import { Lifecycle, NullLogger, RaftStreamPort, ServerRpc, type RuntimeConfig } from '@proconsul/kernel';
import plugin from '../index.js';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function runtime(server: boolean, port: number): RuntimeConfig {
  // Only the fields the plugin reads; there is no TLS configurator in a bare container.
  return { server, bindAddr: '127.0.0.1', ports: { server: port } } as unknown as RuntimeConfig;
}

function load(rc: RuntimeConfig) {
  const c = new Container();
  c.load(plugin.createModule({}, { config: rc, logger: new NullLogger() }));
  return { c, lifecycle: c.get<Lifecycle>(Lifecycle) };
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });

describe('server-rpc plugin', function () {
  this.timeout(10_000);

  it('declares the server port and raft streams, and needs nothing', () => {
    expect(plugin.manifest).to.deep.include({ name: 'server-rpc', provides: ['server-rpc', 'raft-streams'], requires: [] });
  });

  it('on a server: listens on ports.server while started, serves ServerRpc and binds RaftStreamPort', async () => {
    const port = await freePort();
    const { c, lifecycle } = load(runtime(true, port));
    expect(c.isBound(RaftStreamPort)).to.equal(true);
    await lifecycle.start!();
    try {
      expect(await listening(port)).to.equal(true);
      const rpc = c.get<ServerRpc>(ServerRpc);
      rpc.setHandler(async (method, body) => ({ method, body }));
      expect(await rpc.call(`127.0.0.1:${port}`, 'Status.Ping', 1)).to.deep.equal({ method: 'Status.Ping', body: 1 });
    } finally {
      await lifecycle.stop!();
    }
    expect(await listening(port)).to.equal(false);
  });

  it('on a client: calls servers but opens no listener and offers no raft streams', async () => {
    const port = await freePort();
    const server = load(runtime(true, port));
    await server.lifecycle.start!();
    server.c.get<ServerRpc>(ServerRpc).setHandler(async () => 'pong');
    const clientPort = await freePort();
    const client = load(runtime(false, clientPort));
    expect(client.c.isBound(RaftStreamPort)).to.equal(false);
    await client.lifecycle.start!();
    try {
      expect(await listening(clientPort)).to.equal(false);
      expect(await client.c.get<ServerRpc>(ServerRpc).call(`127.0.0.1:${port}`, 'Status.Ping', null)).to.equal('pong');
    } finally {
      await client.lifecycle.stop!();
      await server.lifecycle.stop!();
    }
  });
});
