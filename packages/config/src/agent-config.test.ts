import { expect } from 'chai';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCoded } from '@proconsul/kernel';
import { loadAgentConfig } from './agent-config.js';
import { parseAgentFlags } from './agent-flags.js';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'pc-config-'));
}

function fails(args: string[]): { code?: string; message: string } {
  try {
    loadAgentConfig(args, () => {});
  } catch (e) {
    return { code: isCoded(e) ? e.code : undefined, message: (e as Error).message };
  }
  throw new Error('expected an error');
}

describe('agent configuration', () => {
  describe('flags', () => {
    it('accepts -flag value, -flag=value and --flag', () => {
      const f = parseAgentFlags(['-datacenter', 'east', '-node=web-1', '--http-port', '8501', '-server']);
      expect(f.data).to.deep.equal({ datacenter: 'east', node_name: 'web-1', ports: { http: 8501 }, server: true });
    });

    it('collects repeatable flags in order', () => {
      const f = parseAgentFlags(['-retry-join', 'a', '-retry-join=b', '-node-meta', 'rack:r1', '-node-meta=zone:z:2']);
      expect(f.data).to.deep.equal({ retry_join: ['a', 'b'], node_meta: { rack: 'r1', zone: 'z:2' } });
    });

    it('takes -server=false', () => {
      expect(parseAgentFlags(['-server=false']).data).to.deep.equal({ server: false });
    });

    it('names an unknown flag, a missing value and a bad integer', () => {
      expect(fails(['-nope'])).to.deep.include({ code: 'FLAG_INVALID' });
      expect(fails(['-nope']).message).to.contain('-nope');
      expect(fails(['-dev', '-datacenter']).message)
        .to.contain('-datacenter')
        .and.to.contain('value');
      expect(fails(['-dev', '-http-port', 'eighty']).message).to.contain('-http-port');
      expect(fails(['-dev', '-node-meta', 'novalue']).message).to.contain('key:value');
    });
  });

  describe('files and directories', () => {
    it('merges -config-dir *.json in lexical order, files before flags; arrays append', () => {
      const dir = tmp();
      writeFileSync(join(dir, '20-b.json'), JSON.stringify({ datacenter: 'b', retry_join: ['y'], ports: { dns: 9600 } }));
      writeFileSync(join(dir, '10-a.json'), JSON.stringify({ datacenter: 'a', retry_join: ['x'], node_name: 'n1' }));
      writeFileSync(join(dir, 'notes.txt'), 'ignored');
      const c = loadAgentConfig(['-config-dir', dir, '-data-dir', dir, '-retry-join', 'z'], () => {});
      expect(c.datacenter).to.equal('b');
      expect(c.nodeName).to.equal('n1');
      expect(c.retryJoin).to.deep.equal(['x', 'y', 'z']);
      expect(c.ports.dns).to.equal(9600);
      expect(c.ports.http).to.equal(8500);
    });

    it('carries raft_snapshot_threshold, raft_snapshot_interval and raft_trailing_logs only when set, and refuses bad ones', () => {
      const dir = tmp();
      const f = join(dir, 'c.hcl');
      writeFileSync(
        f,
        `data_dir = "${dir}"\nraft_snapshot_threshold = 4096\nraft_snapshot_interval = "2m"\nraft_trailing_logs = 500\n`,
      );
      expect(loadAgentConfig(['-config-file', f], () => {}).raftSnapshot).to.deep.equal({
        threshold: 4096,
        intervalMs: 120_000,
        trailingLogs: 500,
      });
      expect(loadAgentConfig(['-data-dir', dir], () => {}).raftSnapshot).to.equal(undefined);
      const bad = join(dir, 'bad.json');
      writeFileSync(bad, JSON.stringify({ data_dir: dir, raft_snapshot_threshold: 0 }));
      expect(fails(['-config-file', bad]).message).to.contain('raft_snapshot_threshold');
      writeFileSync(bad, JSON.stringify({ data_dir: dir, raft_snapshot_interval: '0s' }));
      expect(fails(['-config-file', bad]).message).to.contain('raft_snapshot_interval');
    });

    it('treats null as unset, as Consul does', () => {
      const dir = tmp();
      const f = join(dir, 'c.json');
      writeFileSync(f, JSON.stringify({ datacenter: null, ports: { http: null }, data_dir: dir }));
      const c = loadAgentConfig(['-config-file', f], () => {});
      expect(c.datacenter).to.equal('dc1');
      expect(c.ports.http).to.equal(8500);
    });

    it('refuses an unknown key, naming file, line and key; warns about keys not implemented yet', () => {
      const dir = tmp();
      const f = join(dir, 'c.json');
      writeFileSync(f, JSON.stringify({ data_dir: dir, telemetry: {}, ports: { nope: 1 }, bogus_key: 1 }, null, 2));
      const err = fails(['-config-file', f]);
      expect(err.code).to.equal('CONFIG_KEY_UNKNOWN');
      expect(err.message).to.equal(`${f}:5:5: unknown config key "ports.nope" (and "bogus_key")`);
      writeFileSync(f, JSON.stringify({ data_dir: dir, telemetry: { statsite_address: 'x:1' } }));
      const warnings: string[] = [];
      loadAgentConfig(['-config-file', f], (w) => warnings.push(w));
      expect(warnings.join('\n')).to.contain('"telemetry.statsite_address"').and.to.contain('not implemented by Proconsul yet');
    });

    it('names file and key on a wrong type', () => {
      const dir = tmp();
      const f = join(dir, 'c.json');
      writeFileSync(f, JSON.stringify({ data_dir: dir, ports: { http: 'eighty' } }));
      const err = fails(['-config-file', f]);
      expect(err.code).to.equal('CONFIG_INVALID');
      expect(err.message).to.contain(f).and.to.contain('ports.http');
    });

    it('names the file on invalid JSON, a missing file and HCL', () => {
      const dir = tmp();
      const f = join(dir, 'c.json');
      writeFileSync(f, '{ "datacenter": ');
      expect(fails(['-config-file', f]).message)
        .to.contain(f)
        .and.to.contain('JSON');
      expect(fails(['-config-file', join(dir, 'missing.json')]).message).to.contain('missing.json');
      expect(fails(['-config-file', join(dir, 'x.hcl')]).message).to.contain('x.hcl');
      expect(fails(['-config-file', join(dir, 'x.conf')]).message).to.contain('-config-format');
      expect(fails(['-config-dir', join(dir, 'nodir')]).message).to.contain('nodir');
    });

    it('reads service and check definitions in either form', () => {
      const dir = tmp();
      mkdirSync(join(dir, 'd'));
      writeFileSync(
        join(dir, 'd', 'a.json'),
        JSON.stringify({ service: { name: 'web', port: 80 }, checks: [{ id: 'c1', ttl: '10s' }] }),
      );
      writeFileSync(join(dir, 'd', 'b.json'), JSON.stringify({ services: [{ Name: 'db' }], check: { id: 'c2', ttl: '5s' } }));
      const c = loadAgentConfig(['-config-dir', join(dir, 'd'), '-data-dir', dir], () => {});
      expect(c.services.map((s) => s['name'] ?? s['Name'])).to.deep.equal(['web', 'db']);
      expect(c.checks.map((s) => s['id'])).to.deep.equal(['c1', 'c2']);
    });

    it('keeps a `service` from each of several files as separate definitions', () => {
      const dir = tmp();
      writeFileSync(join(dir, 'a.json'), JSON.stringify({ service: { name: 'web', port: 80 } }));
      writeFileSync(join(dir, 'b.json'), JSON.stringify({ service: { name: 'db', port: 5432 } }));
      const c = loadAgentConfig(['-config-dir', dir, '-data-dir', dir], () => {});
      expect(c.services.map((s) => s['name'])).to.deep.equal(['web', 'db']);
    });
  });

  describe('semantics', () => {
    it('-dev is a bootstrapped server on loopback with fast raft timing', () => {
      const c = loadAgentConfig(['-dev'], () => {});
      expect(c).to.deep.include({ dev: true, server: true, bootstrap: true, bindAddr: '127.0.0.1', raftMultiplier: 1 });
      expect(c.clientAddrs).to.deep.equal(['127.0.0.1']);
      expect(c.ports).to.deep.include({ http: 8500, dns: 8600, serfLan: 8301, serfWan: 8302, server: 8300 });
      expect(c.enableScriptChecks).to.equal(false);
    });

    it('-dev -bootstrap-expect 1 is bootstrap mode, with a warning (as Consul)', () => {
      const warnings: string[] = [];
      const c = loadAgentConfig(['-dev', '-bootstrap-expect', '1'], (w) => warnings.push(w));
      expect(c).to.deep.include({ dev: true, server: true, bootstrap: true, bootstrapExpect: 0 });
      expect(warnings.join('\n')).to.contain('bootstrap_expect = 1');
      const dir = tmp();
      const s = loadAgentConfig(['-server', '-data-dir', dir, '-bootstrap-expect', '1'], () => {});
      expect(s).to.deep.include({ bootstrap: true, bootstrapExpect: 0 });
    });

    it('requires data_dir outside -dev', () => {
      expect(fails([]).message).to.contain('data_dir');
    });

    it('refuses inconsistent bootstrap settings and bad values, naming the key', () => {
      expect(fails(['-dev', '-bootstrap-expect', '3']).message).to.contain('bootstrap_expect');
      expect(fails(['-data-dir', tmp(), '-bootstrap']).message).to.contain('server');
      expect(fails(['-dev', '-node-id', 'not-a-uuid']).message).to.contain('node_id');
      expect(fails(['-dev', '-http-port', '70000']).message).to.contain('ports.http');
      expect(fails(['-dev', '-log-level', 'loud']).message).to.contain('log_level');
      expect(fails(['-dev', '-datacenter', 'bad dc']).message).to.contain('datacenter');
    });

    it('parses durations and takes Consul defaults for leave behaviour', () => {
      const server = loadAgentConfig(['-dev', '-retry-interval', '1m30s'], () => {});
      expect(server.retryIntervalMs).to.equal(90_000);
      expect(server.skipLeaveOnInterrupt).to.equal(true);
      expect(server.leaveOnTerminate).to.equal(false);
      const client = loadAgentConfig(['-data-dir', tmp()], () => {});
      expect(client.skipLeaveOnInterrupt).to.equal(false);
      expect(client.leaveOnTerminate).to.equal(true);
      expect(fails(['-dev', '-retry-interval', 'soon']).message).to.contain('retry_interval');
    });

    it('reads the autopilot block (only the keys given) and names a bad value', () => {
      const dir = tmp();
      const file = join(dir, 'a.json');
      writeFileSync(
        file,
        JSON.stringify({ autopilot: { cleanup_dead_servers: false, server_stabilization_time: '30s', min_quorum: 3 } }),
      );
      const c = loadAgentConfig(['-dev', '-config-file', file], () => {});
      expect(c.autopilot).to.deep.equal({ cleanupDeadServers: false, serverStabilizationTimeMs: 30_000, minQuorum: 3 });
      expect(loadAgentConfig(['-dev'], () => {}).autopilot).to.deep.equal({});
      writeFileSync(file, JSON.stringify({ autopilot: { max_trailing_logs: -1 } }));
      expect(fails(['-dev', '-config-file', file]).message).to.contain('autopilot.max_trailing_logs');
      writeFileSync(file, JSON.stringify({ autopilot: { last_contact_threshold: 'soon' } }));
      expect(fails(['-dev', '-config-file', file]).message).to.contain('autopilot.last_contact_threshold');
    });

    it("maps Consul's legacy ACL keys to the modern ones with a deprecation warning; a modern key wins", () => {
      const dir = tmp();
      const file = join(dir, 'legacy.json');
      writeFileSync(
        file,
        JSON.stringify({
          acl_datacenter: 'dc1',
          acl_master_token: 'm-secret',
          acl_default_policy: 'deny',
          acl_down_policy: 'deny',
          acl_agent_token: 'a-secret',
          acl_token: 'd-secret',
        }),
      );
      const warnings: string[] = [];
      const c = loadAgentConfig(['-dev', '-config-file', file], (w) => warnings.push(w));
      expect(c.primaryDatacenter).to.equal('dc1');
      expect(c.acl).to.deep.include({ enabled: true, defaultPolicy: 'deny', downPolicy: 'deny' });
      expect(c.acl.tokens).to.deep.include({ initial_management: 'm-secret', agent: 'a-secret', default: 'd-secret' });
      const text = warnings.join('\n');
      for (const [k, modern] of [
        ['acl_datacenter', 'primary_datacenter'],
        ['acl_master_token', 'acl.tokens.initial_management'],
        ['acl_default_policy', 'acl.default_policy'],
        ['acl_agent_token', 'acl.tokens.agent'],
        ['acl_token', 'acl.tokens.default'],
      ])
        expect(text).to.contain(`"${k}" is deprecated; use "${modern}" instead`);
      expect(text).to.not.contain('unknown config key');
      expect(text).to.not.contain('secret');
      writeFileSync(file, JSON.stringify({ acl_default_policy: 'deny', acl: { default_policy: 'allow', enabled: false } }));
      expect(loadAgentConfig(['-dev', '-config-file', file], () => {}).acl).to.deep.include({
        enabled: false,
        defaultPolicy: 'allow',
      });
      writeFileSync(file, JSON.stringify({ acl_default_policy: 'sometimes' }));
      expect(fails(['-dev', '-config-file', file]).message).to.contain('default_policy');
    });

    it('splits a space-separated client address list', () => {
      expect(loadAgentConfig(['-dev', '-client', '127.0.0.1 127.0.0.2'], () => {}).clientAddrs).to.deep.equal([
        '127.0.0.1',
        '127.0.0.2',
      ]);
    });
  });
});
