import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const TLS_ENTRY = fileURLToPath(new URL('../dist/index.js', import.meta.url));

describe('@proconsul/tls: the certificate library loads on first use', () => {
  it('importing the package loads no @peculiar/tsyringe module; making a CA does', () => {
    // A fresh process: this test run may have made certificates already.
    const script = `
      import { createRequire } from 'node:module';
      const cache = createRequire(import.meta.url).cache;
      const x509Modules = () => Object.keys(cache).filter((k) => /[\\\\/](@peculiar|tsyringe)[\\\\/]/.test(k)).length;
      const tls = await import(${JSON.stringify(TLS_ENTRY)});
      const atImport = x509Modules();
      const ca = await tls.createCa();
      process.stdout.write(JSON.stringify({ atImport, afterCa: x509Modules(), pem: ca.cert.startsWith('-----BEGIN CERTIFICATE-----') }));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    const r = JSON.parse(out) as { atImport: number; afterCa: number; pem: boolean };
    expect(r.atImport).to.equal(0);
    expect(r.afterCa).to.be.greaterThan(0);
    expect(r.pem).to.equal(true);
  });
});
