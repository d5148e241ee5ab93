import { commandGroup } from './support/command-group.js';
import { tlsCaCreateCommand } from './tls-ca-create-command.js';
import { tlsCertCreateCommand } from './tls-cert-create-command.js';

const ca = commandGroup('ca', 'Helpers for CAs', 'tls ca', [tlsCaCreateCommand]);
const cert = commandGroup('cert', 'Helpers for certificates', 'tls cert', [tlsCertCreateCommand]);

export const tlsCommand = commandGroup('tls', 'Builtin helpers for creating CAs and certificates', 'tls', [ca, cert]);
