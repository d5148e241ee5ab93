import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PKG = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(PKG, 'bin', 'proconsul.js');

describe('the proconsul bin and the CLI bundle', () => {
  it('the bundle holds the CLI and is no older than any file it was built from (else: npm run build)', () => {
    const built = statSync(join(PKG, 'dist-bundle', 'main.js')).mtimeMs;
    const inputs = JSON.parse(readFileSync(join(PKG, 'dist-bundle', 'inputs.json'), 'utf8')) as string[];
    expect(inputs).to.include.members(['dist/main.js', 'dist/bundled-plugins.js', 'dist/commands/agent-command.js']);
    const newer = inputs.filter((f) => statSync(join(PKG, f)).mtimeMs > built);
    expect(newer, 'changed since the bundle was built').to.deep.equal([]);
  });

  it('the bundle carries every plugin the standard plugin lists name', () => {
    // Without whitespace: the bundle is built compact (minifyWhitespace).
    const entry = readFileSync(join(PKG, 'dist-bundle', 'main.js'), 'utf8').replace(/\s+/g, '');
    for (const list of ['plugins.json', 'plugins.client.json', 'plugins.memory.json']) {
      const file = JSON.parse(readFileSync(join(PKG, list), 'utf8')) as { plugins: { package: string }[] };
      for (const p of file.plugins) expect(entry, `${list}: ${p.package}`).to.include(`"${p.package}":()=>import(`);
    }
  });

  describe('picks the bundle only while it is current', () => {
    // A copy of the bin in a package layout whose two builds each print which one ran.
    let dir: string;
    let record: string;
    const run = (env: NodeJS.ProcessEnv = {}) =>
      execFileSync(process.execPath, [join(dir, 'bin', 'proconsul.js')], {
        env: { ...process.env, PROCONSUL_NO_BUNDLE: '', ...env },
      })
        .toString()
        .trim();
    const age = (file: string, secondsAgo: number) => {
      const t = new Date(Date.now() - secondsAgo * 1000);
      utimesSync(file, t, t);
    };

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'pc-bin-'));
      for (const d of ['bin', 'dist', 'dist-bundle', 'other/dist']) mkdirSync(join(dir, d), { recursive: true });
      copyFileSync(BIN, join(dir, 'bin', 'proconsul.js'));
      writeFileSync(join(dir, 'dist', 'main.js'), "console.log('tsc');");
      writeFileSync(join(dir, 'dist-bundle', 'main.js'), "console.log('bundle');");
      record = join(dir, 'other', 'dist', '.tsbuildinfo');
      writeFileSync(record, '{}');
      writeFileSync(join(dir, 'dist-bundle', 'built-from.json'), JSON.stringify(['../other/dist/.tsbuildinfo']));
      age(record, 60);
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('runs the bundle when no build record is newer', () => {
      expect(run()).to.equal('bundle');
    });

    it('runs the tsc output when a package was rebuilt after the bundle', () => {
      age(join(dir, 'dist-bundle', 'main.js'), 120);
      expect(run()).to.equal('tsc');
    });

    it('runs the tsc output when there is no bundle, or PROCONSUL_NO_BUNDLE=1', () => {
      expect(run({ PROCONSUL_NO_BUNDLE: '1' })).to.equal('tsc');
      rmSync(join(dir, 'dist-bundle', 'main.js'));
      expect(run()).to.equal('tsc');
    });

    it('runs the bundle where the build records are not shipped (an installed package)', () => {
      rmSync(record);
      expect(run()).to.equal('bundle');
    });
  });

  it('`proconsul version` through the bin answers', () => {
    expect(execFileSync(process.execPath, [BIN, 'version']).toString()).to.match(/^Proconsul v\d/);
  });

  it('`proconsul tls ca create` through the bin writes a CA: lazily imported CommonJS packages (x509) work in the bundle', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-bundle-ca-'));
    try {
      const out = execFileSync(process.execPath, [BIN, 'tls', 'ca', 'create'], { cwd: dir }).toString();
      expect(out).to.include('Saved consul-agent-ca.pem');
      expect(readFileSync(join(dir, 'consul-agent-ca.pem'), 'utf8')).to.match(/^-----BEGIN CERTIFICATE-----/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
