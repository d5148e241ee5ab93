import { expect } from 'chai';
import { isCoded } from '@proconsul/kernel';
import { buildRuntimeConfig } from './config-builder.js';
import { checkConfigData } from './config-files.js';

const build = (data: Record<string, unknown>) =>
  buildRuntimeConfig({ dev: true, sources: [checkConfigData('server.json', data)], warn: () => {} });

describe('auto_encrypt.allow_tls configuration', () => {
  it('needs the CA key and its CA, naming the key when one is missing', () => {
    for (const data of [
      { auto_encrypt: { allow_tls: true } },
      { auto_encrypt: { allow_tls: true, ca_key_file: '/ca-key.pem' } },
    ]) {
      let err: unknown;
      try {
        build(data);
      } catch (e) {
        err = e;
      }
      expect(isCoded(err, 'CONFIG_INVALID'), JSON.stringify(data)).to.equal(true);
      expect((err as Error).message)
        .to.contain('auto_encrypt.allow_tls')
        .and.to.contain('ca_key_file');
    }
  });

  it('takes ca_key_file with the internal-RPC CA file', () => {
    const c = build({
      auto_encrypt: { allow_tls: true, ca_key_file: '/ca-key.pem' },
      tls: { internal_rpc: { ca_file: '/ca.pem' } },
    });
    expect(c.autoEncrypt).to.deep.include({ allowTls: true, caKeyFile: '/ca-key.pem' });
  });
});
