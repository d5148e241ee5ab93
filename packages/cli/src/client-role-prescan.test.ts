import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCertainlyClient } from './client-role-prescan.js';

describe('deciding before loading that `proconsul agent` is a client', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'pc-prescan-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('flags alone without -dev or -server: a client', () => {
    expect(isCertainlyClient([])).to.equal(true);
    expect(
      isCertainlyClient(['-data-dir', '/tmp/x', '-bind', '127.0.0.1', '-retry-join', '10.0.0.1', '-server-port', '8300']),
    ).to.equal(true);
    expect(isCertainlyClient(['-node', 'server-7', '-retry-join=my-server.example.com'])).to.equal(true);
  });

  it('every spelling of -server and -dev (even =false): not certain', () => {
    for (const f of [
      '-server',
      '--server',
      '-server=true',
      '-server=false',
      '--server=1',
      '-dev',
      '--dev',
      '-dev=true',
      '-Server',
    ]) {
      expect(isCertainlyClient(['-data-dir', '/tmp/x', f]), f).to.equal(false);
    }
    // A token spelled like the flag, even where the parser would take it as a value.
    expect(isCertainlyClient(['-node', '-server'])).to.equal(false);
  });

  it('a JSON or HCL config file without a server key: a client', () => {
    const json = file('c.json', JSON.stringify({ retry_join: ['consul-server-1'], ports: { https: 8501 }, server_name: 'x' }));
    const hcl = file('c.hcl', 'data_dir = "/var/x"\n# joins consul-server.example.com\nretry_join = ["10.0.0.1"]\n');
    expect(isCertainlyClient(['-config-file', json])).to.equal(true);
    expect(isCertainlyClient([`-config-file=${hcl}`, '--config-file', json])).to.equal(true);
  });

  it('a config file that sets server, in JSON or HCL, true or false: not certain', () => {
    const texts = [
      '{"server": true}',
      '{ "datacenter": "dc1",\n  "server"\n  : false }',
      'server = true',
      'data_dir = "/x"\nserver=true',
      '"server" = true',
      'SERVER = true',
      'server /* comment */ = true',
      '{"\\u0073erver": true}',
    ];
    texts.forEach((t, i) => {
      const path = file(`s${i}.${t.startsWith('{') ? 'json' : 'hcl'}`, t);
      expect(isCertainlyClient(['-config-file', path]), t).to.equal(false);
    });
  });

  it('a config dir: every regular file is read; one server key in any of them makes it uncertain', () => {
    const d = join(dir, 'conf.d');
    mkdirSync(d);
    writeFileSync(join(d, '10-base.json'), '{"datacenter": "dc1"}');
    writeFileSync(join(d, '20-join.hcl'), 'retry_join = ["10.0.0.1"]');
    mkdirSync(join(d, 'sub.hcl'));
    writeFileSync(join(d, 'sub.hcl', 'server.hcl'), 'server = true'); // the loader does not descend
    expect(isCertainlyClient(['-config-dir', d])).to.equal(true);
    // Any file counts, whatever its extension (-config-format reads them all).
    writeFileSync(join(d, '30-role.conf'), 'server = true');
    expect(isCertainlyClient(['-config-dir', d])).to.equal(false);
  });

  it('a config file or dir that cannot be read, or a flag without its value: not certain', () => {
    expect(isCertainlyClient(['-config-file', join(dir, 'missing.json')])).to.equal(false);
    expect(isCertainlyClient(['-config-dir', join(dir, 'missing')])).to.equal(false);
    expect(isCertainlyClient(['-config-file', dir])).to.equal(false);
    expect(isCertainlyClient(['-config-file'])).to.equal(false);
  });
});
