import { expect } from 'chai';
import { isCoded, type RuntimeConfig } from '@proconsul/kernel';
import { buildRuntimeConfig } from './config-builder.js';
import { checkConfigData } from './config-files.js';
import { parseAgentFlags } from './agent-flags.js';

function build(data: Record<string, unknown>, warnings: string[] = []): RuntimeConfig {
  return buildRuntimeConfig({ dev: true, sources: [checkConfigData('tls.json', data)], warn: (w) => warnings.push(w) });
}

function failure(data: Record<string, unknown>): string {
  try {
    build(data);
  } catch (e) {
    expect(isCoded(e) && e.code).to.equal('CONFIG_INVALID');
    return (e as Error).message;
  }
  throw new Error('expected a config error');
}

describe('TLS configuration', () => {
  it('is off by default: no files, no verification, TLSv1_2 minimum, no HTTPS port', () => {
    const c = build({});
    expect(c.ports.https).to.equal(-1);
    expect(c.tls.https).to.deep.include({ certFile: '', verifyIncoming: false, tlsMinVersion: 'TLSv1_2' });
    expect(c.tls.internalRpc).to.deep.include({ verifyOutgoing: false, verifyServerHostname: false });
    expect(c.autoEncrypt).to.deep.equal({ tls: false, allowTls: false, dnsSan: [], ipSan: [] });
  });

  it('applies tls.defaults to every interface unless the interface overrides it', () => {
    const c = build({
      tls: {
        defaults: {
          ca_file: '/ca.pem',
          cert_file: '/a.pem',
          key_file: '/a-key.pem',
          verify_incoming: true,
          tls_min_version: 'TLSv1_3',
        },
        https: { verify_incoming: false, cert_file: '/h.pem', key_file: '/h-key.pem' },
        internal_rpc: { verify_server_hostname: true },
      },
    });
    expect(c.tls.internalRpc).to.deep.include({
      caFile: '/ca.pem',
      certFile: '/a.pem',
      verifyIncoming: true,
      verifyOutgoing: true, // implied by verify_server_hostname, as in Consul
      verifyServerHostname: true,
      tlsMinVersion: 'TLSv1_3',
    });
    expect(c.tls.https).to.deep.include({ caFile: '/ca.pem', certFile: '/h.pem', keyFile: '/h-key.pem', verifyIncoming: false });
    expect(c.tls.grpc).to.deep.include({ certFile: '/a.pem', verifyIncoming: true });
  });

  it('maps the legacy top-level keys onto the block, with a deprecation warning, the block winning', () => {
    const warnings: string[] = [];
    const c = build(
      {
        ca_file: '/old-ca.pem',
        cert_file: '/c.pem',
        key_file: '/k.pem',
        verify_incoming_https: true,
        verify_outgoing: true,
        verify_server_hostname: true,
        tls_min_version: 'tls13',
        tls: { internal_rpc: { ca_file: '/new-ca.pem' } },
      },
      warnings,
    );
    expect(c.tls.https).to.deep.include({ caFile: '/old-ca.pem', verifyIncoming: true, tlsMinVersion: 'TLSv1_3' });
    expect(c.tls.internalRpc).to.deep.include({ caFile: '/new-ca.pem', verifyIncoming: false, verifyServerHostname: true });
    expect(warnings.join('\n')).to.contain('"ca_file" is deprecated; use "tls.defaults.ca_file"');
    expect(warnings.join('\n')).to.contain('"verify_incoming_https" is deprecated; use "tls.https.verify_incoming"');
  });

  it('takes cipher suites as Consul names, comma-separated', () => {
    const c = build({
      tls: { https: { tls_cipher_suites: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384' } },
    });
    expect(c.tls.https.tlsCipherSuites).to.deep.equal([
      'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
      'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
    ]);
  });

  it('parses auto_encrypt, addresses.https and -https-port', () => {
    const c = build({
      auto_encrypt: { tls: true, dns_san: ['a.example'], ip_san: ['10.0.0.1'] },
      addresses: { https: '127.0.3.9' },
      ...parseAgentFlags(['-https-port', '8501']).data,
      tls: { https: { cert_file: '/c', key_file: '/k' } },
    });
    expect(c.autoEncrypt).to.deep.equal({ tls: true, allowTls: false, dnsSan: ['a.example'], ipSan: ['10.0.0.1'] });
    expect(c.ports.https).to.equal(8501);
    expect(c.httpsAddrs).to.deep.equal(['127.0.3.9']);
    expect(build({ client_addr: '127.0.3.1' }).httpsAddrs).to.deep.equal(['127.0.3.1']);
  });

  describe('refuses, naming the key', () => {
    it('an unknown minimum version', () => {
      expect(failure({ tls: { https: { tls_min_version: 'TLSv1_4' } } }))
        .to.contain('"tls.https.tls_min_version"')
        .and.contain('TLSv1_4');
      expect(failure({ tls_min_version: 'ssl3' })).to.contain('tls.json: key "tls_min_version"');
    });

    it('verify_incoming without a CA or without a certificate', () => {
      expect(failure({ tls: { defaults: { verify_incoming: true, cert_file: 'c', key_file: 'k' } } }))
        .to.contain('"tls.defaults.verify_incoming"')
        .and.contain('ca_file');
      expect(failure({ verify_incoming_rpc: true, ca_file: 'ca' }))
        .to.contain('"verify_incoming_rpc"')
        .and.contain('cert_file');
    });

    it('cert_file without key_file, and the reverse', () => {
      expect(failure({ tls: { https: { cert_file: 'c' } } }))
        .to.contain('"tls.https.cert_file"')
        .and.contain('key_file');
      expect(failure({ key_file: 'k' }))
        .to.contain('"key_file"')
        .and.contain('cert_file');
    });

    it('verify_outgoing or verify_server_hostname on RPC without a CA, unless auto_encrypt supplies one', () => {
      expect(failure({ tls: { internal_rpc: { verify_outgoing: true } } })).to.contain('"tls.internal_rpc.verify_outgoing"');
      expect(failure({ verify_server_hostname: true })).to.contain('"verify_server_hostname"');
      expect(build({ verify_outgoing: true, auto_encrypt: { tls: true } }).tls.internalRpc.verifyOutgoing).to.equal(true);
    });

    it('an unknown cipher suite, or suites with TLSv1_3', () => {
      expect(failure({ tls_cipher_suites: 'RC4' }))
        .to.contain('"tls_cipher_suites"')
        .and.contain('RC4');
      expect(
        failure({ tls: { https: { tls_min_version: 'TLSv1_3', tls_cipher_suites: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' } } }),
      ).to.contain('TLSv1_3');
    });

    it('an HTTPS port without a certificate', () => {
      expect(failure({ ports: { https: 8501 } }))
        .to.contain('"ports.https"')
        .and.contain('cert_file');
    });

    it('a wrongly typed key', () => {
      expect(() => checkConfigData('x.json', { tls: { https: { verify_incoming: 'yes' } } })).to.throw(
        /tls\.https\.verify_incoming/,
      );
    });
  });
});
