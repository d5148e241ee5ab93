import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, chmodSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerModule } from 'inversify';
import { AS_SERVER, Kernel, NullLogger, type RuntimeConfig } from '@proconsul/kernel';
import { buildRuntimeConfig } from '@proconsul/config';
import { encodeUserEvent, UserEvents, watchesModule, WatchOptions } from '@proconsul/agent';
import { ClusterRpc, serverModule } from '@proconsul/server';
import { directConsensusPlugin } from '@proconsul/kernel/testing';

async function startAgent(watches: Record<string, unknown>[]): Promise<Kernel> {
  const base = buildRuntimeConfig({ dev: true, sources: [], warn: () => {} });
  const config: RuntimeConfig = { ...base, nodeName: 'w1', ports: { ...base.ports, http: -1, dns: -1 }, watches };
  const kernel = Kernel.fromPlugins([{ plugin: directConsensusPlugin }], {
    config,
    logger: new NullLogger(),
    coreModules: [serverModule()],
    agentModules: [
      new ContainerModule(({ bind }) => {
        bind<WatchOptions>(WatchOptions).toConstantValue({ minIntervalMs: 10, waitMs: 5_000 });
      }),
      watchesModule(),
    ],
  });
  await kernel.start();
  return kernel;
}

async function until<T>(what: string, fn: () => T | undefined, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const put = (k: Kernel, key: string, value: string) =>
  k.container.get(ClusterRpc).write({ v: 1, type: 'kv-set', Key: key, Value: new Uint8Array(Buffer.from(value)) }, AS_SERVER);

describe('agent config watches', function () {
  this.timeout(15_000);
  let dir: string;
  let kernel: Kernel | undefined;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'proconsul-watch-'))));
  afterEach(async () => {
    await kernel?.stop();
    kernel = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('a key watch runs its script (no shell) with the JSON on stdin and CONSUL_INDEX, once per change', async () => {
    const script = join(dir, 'handler.sh');
    const out = join(dir, 'calls');
    writeFileSync(script, '#!/bin/sh\n{ echo "INDEX=$CONSUL_INDEX"; cat; echo; } >> "$1"\n');
    chmodSync(script, 0o755);
    kernel = await startAgent([{ type: 'key', key: 'app/flag', args: [script, out] }]);
    // Consul runs the handler once at start with the current value: none yet.
    const first = await until('first run', () =>
      existsSync(out) && readFileSync(out, 'utf8').split('\n').length >= 3 ? readFileSync(out, 'utf8') : undefined,
    );
    expect(first).to.match(/^INDEX=\d+\nnull\n$/);
    await put(kernel, 'app/flag', 'on');
    const calls = await until('run after the write', () => {
      const lines = readFileSync(out, 'utf8').trim().split('\n');
      return lines.length >= 4 ? lines : undefined;
    });
    const entry = JSON.parse(calls[3]!) as { Key: string; Value: string; ModifyIndex: number };
    expect(entry.Key).to.equal('app/flag');
    expect(Buffer.from(entry.Value, 'base64').toString()).to.equal('on');
    expect(calls[2]).to.equal(`INDEX=${entry.ModifyIndex}`);
    // A write to another key is no change for this watch: the handler does not run again.
    await put(kernel, 'other', 'x');
    await new Promise((r) => setTimeout(r, 200));
    expect(readFileSync(out, 'utf8').trim().split('\n')).to.have.length(4);
  });

  it('an http watch POSTs the JSON with X-Consul-Index and the configured headers', async () => {
    const got: { method: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        got.push({ method: req.method ?? '', headers: req.headers, body });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      kernel = await startAgent([
        {
          type: 'keyprefix',
          prefix: 'cfg/',
          handler_type: 'http',
          http_handler_config: {
            path: `http://127.0.0.1:${port}/hook`,
            method: 'PUT',
            header: { 'X-Team': ['ops'] },
            timeout: '2s',
          },
        },
      ]);
      await until('first request', () => got[0]);
      expect(got[0]!.body).to.equal('[]');
      await put(kernel, 'cfg/a', '1');
      const second = await until('request after the write', () => got[1]);
      expect(second.method).to.equal('PUT');
      expect(second.headers['content-type']).to.equal('application/json');
      expect(second.headers['x-team']).to.equal('ops');
      const list = JSON.parse(second.body) as { Key: string; ModifyIndex: number }[];
      expect(list.map((e) => e.Key)).to.deep.equal(['cfg/a']);
      expect(second.headers['x-consul-index']).to.equal(String(list[0]!.ModifyIndex));
    } finally {
      await kernel?.stop();
      kernel = undefined;
      await new Promise((r) => server.close(r));
    }
  });

  it('an event watch hands the handler only the events it has not seen, of its name', async () => {
    const bodies: string[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        bodies.push(body);
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      kernel = await startAgent([{ type: 'event', name: 'deploy', http_handler_config: { path: `http://127.0.0.1:${port}/` } }]);
      const events = kernel.container.get(UserEvents);
      const deliver = (id: string, name: string, lt: number) =>
        events.receive(
          encodeUserEvent({
            ID: id,
            Name: name,
            Payload: null,
            NodeFilter: '',
            ServiceFilter: '',
            TagFilter: '',
            Version: 1,
            LTime: 0,
          }),
          lt,
        );
      await until('first request', () => bodies[0]);
      expect(JSON.parse(bodies[0]!)).to.deep.equal([]);
      deliver('a0000001-0000-4000-8000-000000000001', 'deploy', 1);
      await until('first event', () => bodies[1]);
      deliver('a0000002-0000-4000-8000-000000000002', 'other', 2);
      deliver('a0000003-0000-4000-8000-000000000003', 'deploy', 3);
      await until('second event', () => bodies[2]);
      const second = JSON.parse(bodies[2]!) as { ID: string; LTime: number }[];
      expect(JSON.parse(bodies[1]!).map((e: { ID: string }) => e.ID)).to.deep.equal(['a0000001-0000-4000-8000-000000000001']);
      expect(second.map((e) => [e.ID, e.LTime])).to.deep.equal([['a0000003-0000-4000-8000-000000000003', 3]]);
    } finally {
      await kernel?.stop();
      kernel = undefined;
      await new Promise((r) => server.close(r));
    }
  });

  it('refuses to boot with a bad watch, naming it', async () => {
    let err: unknown;
    try {
      kernel = await startAgent([
        { type: 'key', key: 'k', args: ['/bin/true'] },
        { type: 'nope', args: ['/bin/true'] },
      ]);
    } catch (e) {
      err = e;
    }
    expect(String((err as Error)?.message)).to.match(/watches\[1\]: unsupported watch type "nope"/);
  });
});
