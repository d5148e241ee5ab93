import { expect } from 'chai';
import { MEMORY_PLUGINS, TestCluster, type ClusterNode, type PortSet, suiteFailed } from './cluster-harness.js';
import { http, pollUntil } from './cluster-poll.js';
import { runCaptured } from './run-command.js';

// 127.0.7.x belongs to this file.
const PORTS: PortSet = { http: 30500, dns: -1, serfLan: 30301, serfWan: 30302, server: 30300 };
const ROOT = '3f9c2a4b-5d6e-4f70-8a91-b2c3d4e5f607';

describe('ACLs across a server and a client agent (real processes)', function () {
  this.timeout(120_000);
  let cluster: TestCluster;
  let server: ClusterNode;
  let client: ClusterNode;
  const cli = (node: ClusterNode, token: string | undefined, ...args: string[]) =>
    runCaptured(args, { env: { CONSUL_HTTP_ADDR: `${node.ip}:${PORTS.http}`, CONSUL_HTTP_TOKEN: token } });

  before(async () => {
    cluster = new TestCluster({
      label: 'acl',
      ports: PORTS,
      plugins: MEMORY_PLUGINS,
      config: { acl: { enabled: true, default_policy: 'deny', tokens: { initial_management: ROOT } } },
    });
    server = cluster.add({ name: 'acl-server', ip: '127.0.7.1', args: ['-server', '-bootstrap'] });
    client = cluster.add({
      name: 'acl-client',
      ip: '127.0.7.2',
      args: ['-retry-join', `127.0.7.1:${PORTS.serfLan}`, '-retry-interval', '1s'],
    });
    server.start();
    client.start();
    await cluster.waitForHttp([server, client]);
    // The leader creates the initial management token once it leads.
    await pollUntil(async () => ((await cli(client, ROOT, 'acl', 'token', 'read', '-self')).code === 0 ? true : undefined), {
      timeoutMs: 30_000,
      intervalMs: 300,
      what: 'the initial management token to work through the client agent',
    });
  });
  after(async function () {
    await cluster?.cleanup(suiteFailed(this), 'acl');
  });

  it('default deny refuses anonymous requests on the client agent', async () => {
    const r = await http('PUT', `${client.url}/v1/kv/app/x`, 'v');
    expect(r.status).to.equal(403);
    const get = await cli(client, undefined, 'kv', 'get', 'app/x');
    expect(get.code).to.equal(1);
    expect(get.err).to.contain('403');
  });

  it('a policy and token made with the CLI grant exactly their prefix, through the client agent', async () => {
    const policy = await cli(
      client,
      ROOT,
      'acl',
      'policy',
      'create',
      '-name',
      'app',
      '-rules',
      'key_prefix "app/" { policy = "write" }',
    );
    expect(policy.code, policy.err).to.equal(0);
    expect(policy.out).to.contain('Name:         app');
    const token = await cli(
      client,
      ROOT,
      'acl',
      'token',
      'create',
      '-policy-name',
      'app',
      '-description',
      'app token',
      '-expires-ttl',
      '1h',
      '-format',
      'json',
    );
    expect(token.code, token.err).to.equal(0);
    const created = JSON.parse(token.out) as { SecretID: string; ExpirationTime: string };
    const secret = created.SecretID;
    expect(Date.parse(created.ExpirationTime), token.out).to.be.greaterThan(Date.now() + 50 * 60_000);

    expect((await cli(client, secret, 'kv', 'put', 'app/config', 'on')).code).to.equal(0);
    expect((await cli(client, secret, 'kv', 'get', 'app/config')).out.trim()).to.equal('on');
    const outside = await cli(client, secret, 'kv', 'put', 'other', 'x');
    expect(outside.code).to.equal(1);
    expect(outside.err).to.contain('Permission denied');
    const list = await cli(server, ROOT, 'acl', 'token', 'list');
    expect(list.out).to.contain('app token').and.contain('Initial Management Token');
    expect((await cli(client, secret, 'acl', 'token', 'list')).code).to.equal(1);
  });

  it('roles and updates: a token gains a role, then more policies with -merge-policies', async () => {
    const mk = (name: string, prefix: string) =>
      cli(client, ROOT, 'acl', 'policy', 'create', '-name', name, '-rules', `key_prefix "${prefix}" { policy = "write" }`);
    expect((await mk('red', 'red/')).code).to.equal(0);
    expect((await mk('blue', 'blue/')).code).to.equal(0);
    const role = await cli(client, ROOT, 'acl', 'role', 'create', '-name', 'painter', '-policy-name', 'red');
    expect(role.code, role.err).to.equal(0);
    const created = await cli(client, ROOT, 'acl', 'token', 'create', '-role-name', 'painter', '-format', 'json');
    const { AccessorID, SecretID } = JSON.parse(created.out) as { AccessorID: string; SecretID: string };
    expect((await cli(server, SecretID, 'kv', 'put', 'red/1', 'x')).code).to.equal(0);
    expect((await cli(server, SecretID, 'kv', 'put', 'blue/1', 'x')).code).to.equal(1);
    const upd = await cli(server, ROOT, 'acl', 'token', 'update', '-id', AccessorID, '-policy-name', 'blue', '-merge-policies');
    expect(upd.code, upd.err).to.equal(0);
    expect(upd.out).to.contain('blue').and.contain('painter');
    // Asked through the server: it resolves tokens from its replica on every request.
    expect((await cli(server, SecretID, 'kv', 'put', 'blue/1', 'x')).code).to.equal(0);
    const pol = await cli(
      server,
      ROOT,
      'acl',
      'policy',
      'update',
      '-name',
      'red',
      '-rules',
      'key_prefix "red/" { policy = "read" }',
    );
    expect(pol.code, pol.err).to.equal(0);
    expect((await cli(server, SecretID, 'kv', 'put', 'red/2', 'x')).code).to.equal(1);
    expect((await cli(server, ROOT, 'acl', 'role', 'list')).out).to.contain('painter:');
    const clone = await cli(server, ROOT, 'acl', 'token', 'clone', '-id', AccessorID, '-description', 'copy', '-format', 'json');
    expect(clone.code, clone.err).to.equal(0);
    const copy = JSON.parse(clone.out) as { SecretID: string };
    expect((await cli(server, copy.SecretID, 'kv', 'put', 'blue/2', 'x')).code).to.equal(0);
  });

  it('bad rules are refused with the reason; bootstrap is closed because the initial management token exists', async () => {
    const bad = await cli(
      client,
      ROOT,
      'acl',
      'policy',
      'create',
      '-name',
      'broken',
      '-rules',
      'key_prefix "x" { policy = "all" }',
    );
    expect(bad.code).to.equal(1);
    expect(bad.err).to.contain('Failed to parse ACL rules').and.contain('"all"');
    const boot = await cli(server, undefined, 'acl', 'bootstrap');
    expect(boot.code).to.equal(1);
    expect(boot.err).to.contain('ACL bootstrap no longer allowed');
  });
});
