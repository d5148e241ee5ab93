import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { createAgentCert, type AgentCertKind } from '@proconsul/tls';
import { defineCommand } from './support/define-command.js';
import { nextFreePair, writeCertAndKey } from './support/pem-files.js';

const SERVER_WARNING = `==> WARNING: Server Certificates grants authority to become a
    server and access all state in the cluster including root keys
    and all ACL tokens. Do not distribute them to production hosts
    that are not server nodes. Store them as securely as CA keys.`;

export const tlsCertCreateCommand = defineCommand({
  name: 'create',
  synopsis: 'Create a new certificate',
  usage: 'tls cert create [options]',
  description:
    'Creates a new certificate signed by the CA in the current directory: <dc>-<server|client|cli>-<domain>-<n>.pem\n' +
    'and its key, n being the first index not taken. Server certificates carry server.<dc>.<domain>,\n' +
    'localhost and 127.0.0.1, as verify_server_hostname expects.',
  http: 'none',
  flags: [
    { name: 'server', kind: 'bool', usage: 'Generate server certificate.', default: false },
    { name: 'client', kind: 'bool', usage: 'Generate client certificate.', default: false },
    { name: 'cli', kind: 'bool', usage: 'Generate cli certificate.', default: false },
    {
      name: 'dc',
      kind: 'string',
      usage: 'Provide the datacenter: part of the certificate name and of the file names.',
      default: 'dc1',
    },
    {
      name: 'domain',
      kind: 'string',
      usage: 'Provide the domain: part of the certificate name and of the file names.',
      default: 'consul',
    },
    { name: 'days', kind: 'int', usage: 'Provide number of days the certificate is valid for from now on.', default: 365 },
    {
      name: 'node',
      kind: 'string',
      usage:
        'When generating a server cert and this is set an additional dns name is included of the form <node>.server.<datacenter>.<domain>.',
    },
    {
      name: 'additional-dnsname',
      kind: 'list',
      usage: 'Provide an additional dnsname for Subject Alternative Names (repeatable).',
    },
    {
      name: 'additional-ipaddress',
      kind: 'list',
      usage: 'Provide an additional ipaddress for Subject Alternative Names (repeatable).',
    },
    {
      name: 'ca',
      kind: 'string',
      usage: 'Provide path to the ca. Defaults to #DOMAIN#-agent-ca.pem.',
      default: '#DOMAIN#-agent-ca.pem',
    },
    {
      name: 'key',
      kind: 'string',
      usage: 'Provide path to the key. Defaults to #DOMAIN#-agent-ca-key.pem.',
      default: '#DOMAIN#-agent-ca-key.pem',
    },
  ],
  async run({ flags, io }) {
    const kinds = (['server', 'client', 'cli'] as const).filter((k) => flags.bool(k));
    if (kinds.length !== 1) {
      io.err('==> Please provide either -server, -client, or -cli');
      return 1;
    }
    const kind: AgentCertKind = kinds[0]!;
    const days = flags.number('days');
    if (days <= 0) {
      io.err('==> -days must be a positive number of days');
      return 1;
    }
    const dc = flags.string('dc');
    const domain = flags.string('domain').replace(/^\.+|\.+$/g, '');
    const ips = flags.list('additional-ipaddress');
    const badIp = ips.find((ip) => !isIP(ip));
    if (badIp !== undefined) {
      io.err(`==> invalid value "${badIp}" for flag -additional-ipaddress: not an IP address`);
      return 1;
    }
    const caFile = flags.string('ca').replace('#DOMAIN#', domain);
    const keyFile = flags.string('key').replace('#DOMAIN#', domain);
    const ca = readCa(caFile, keyFile);
    if (typeof ca === 'string') {
      io.err(`==> ${ca}`);
      return 1;
    }
    const dnsNames = [...flags.list('additional-dnsname')];
    if (kind === 'server' && flags.string('node')) dnsNames.push(`${flags.string('node')}.server.${dc}.${domain}`);
    const pair = await createAgentCert({
      ca,
      kind,
      datacenter: dc,
      domain,
      days,
      additionalDnsNames: dnsNames,
      additionalIpAddresses: ips,
    });
    const files = nextFreePair(`${dc}-${kind}-${domain}`);
    if (kind === 'server') io.out(SERVER_WARNING);
    io.out(`==> Using ${caFile} and ${keyFile}`);
    writeCertAndKey(files.cert, pair.cert, files.key, pair.key);
    io.out(`==> Saved ${files.cert}`);
    io.out(`==> Saved ${files.key}`);
    return 0;
  },
});

/** The CA pair, or a message naming the file that is missing or unusable. */
function readCa(caFile: string, keyFile: string): { cert: string; key: string } | string {
  let cert: string;
  let key: string;
  try {
    cert = readFileSync(caFile, 'utf8');
  } catch (e) {
    return `CA certificate ${caFile} cannot be read: ${(e as NodeJS.ErrnoException).code ?? String(e)} (create one with "proconsul tls ca create", or pass -ca)`;
  }
  try {
    key = readFileSync(keyFile, 'utf8');
  } catch (e) {
    return `CA key ${keyFile} cannot be read: ${(e as NodeJS.ErrnoException).code ?? String(e)} (pass -key)`;
  }
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch {
    return `CA certificate ${caFile} is not a PEM certificate`;
  }
  try {
    if (!x509.checkPrivateKey(createPrivateKey(key))) return `CA key ${keyFile} does not belong to ${caFile}`;
  } catch {
    return `CA key ${keyFile} is not a PEM private key`;
  }
  if (!x509.ca) return `${caFile} is not a CA certificate`;
  return { cert, key };
}
