import { existsSync } from 'node:fs';
import { createCa } from '@proconsul/tls';
import { defineCommand } from './support/define-command.js';
import { writeCertAndKey } from './support/pem-files.js';

export const tlsCaCreateCommand = defineCommand({
  name: 'create',
  synopsis: 'Create a new Proconsul CA',
  usage: 'tls ca create [options]',
  description:
    'Creates a new certificate authority (EC P-256) in the current directory:\n' +
    '<domain>-agent-ca.pem and <domain>-agent-ca-key.pem (the key readable by its owner only).',
  http: 'none',
  flags: [
    { name: 'days', kind: 'int', usage: 'Provide number of days the CA is valid for from now on.', default: 1825 },
    {
      name: 'domain',
      kind: 'string',
      usage: 'Domain of the Proconsul cluster. Only used in combination with -name-constraint.',
      default: 'consul',
    },
    { name: 'common-name', kind: 'string', usage: 'Common Name of CA. Defaults to "Consul Agent CA <serial>".' },
    {
      name: 'name-constraint',
      kind: 'bool',
      usage: 'Add name constraints for the CA: only the domain, "localhost" and -additional-name-constraint are permitted.',
      default: false,
    },
    { name: 'additional-name-constraint', kind: 'list', usage: 'Add name constraints for the CA (repeatable).' },
  ],
  async run({ flags, io }) {
    const days = flags.number('days');
    if (days <= 0) {
      io.err('==> -days must be a positive number of days');
      return 1;
    }
    const domain = flags.string('domain').replace(/^\.+|\.+$/g, '');
    const certFile = `${domain}-agent-ca.pem`;
    const keyFile = `${domain}-agent-ca-key.pem`;
    for (const f of [certFile, keyFile]) {
      if (existsSync(f)) {
        io.err(`==> ${f} already exists; not overwriting it`);
        return 1;
      }
    }
    const ca = await createCa({
      days,
      domain,
      ...(flags.given.has('common-name') && { commonName: flags.string('common-name') }),
      nameConstraint: flags.bool('name-constraint'),
      additionalNameConstraints: flags.list('additional-name-constraint'),
    });
    writeCertAndKey(certFile, ca.cert, keyFile, ca.key);
    io.out(`==> Saved ${certFile}`);
    io.out(`==> Saved ${keyFile}`);
    return 0;
  },
});
