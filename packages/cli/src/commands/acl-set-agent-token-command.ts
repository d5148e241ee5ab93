import { errorText } from '../http-client.js';
import { defineCommand } from './support/define-command.js';

/** Consul's CLI names for the agent's token kinds, and the API path segment each one sets. */
const TYPES: Readonly<Record<string, string>> = {
  default: 'default',
  agent: 'agent',
  recovery: 'agent_recovery',
  agent_recovery: 'agent_recovery',
  replication: 'replication',
  config_file_service_registration: 'config_file_service_registration',
  dns: 'dns',
};

export const aclSetAgentTokenCommand = defineCommand({
  name: 'set-agent-token',
  synopsis: 'Assign tokens for the Proconsul agent’s usage',
  usage: 'acl set-agent-token [options] TYPE TOKEN',
  description: `Updates the ACL tokens currently in use by the agent. Types:
  default   the token used when a request carries none (and for DNS without a dns token)
  agent     the token the agent uses for its own catalog updates (anti-entropy)
  recovery  the token that may use agent endpoints when the servers are unreachable
  replication, config_file_service_registration, dns
Tokens set this way are lost on restart unless acl.enable_token_persistence is on.`,
  http: 'client',
  flags: [],
  async run({ args, io, client }) {
    if (args.length !== 2) {
      io.err(`Missing TYPE and TOKEN arguments (expected 2, got ${args.length})`);
      return 1;
    }
    const [type, token] = args as [string, string];
    const path = TYPES[type];
    if (!path) {
      io.err(`Unknown token type "${type}": expected one of ${Object.keys(TYPES).join(', ')}`);
      return 1;
    }
    try {
      await client().put(`/v1/agent/token/${path}`, { body: { Token: token } });
      io.out(`ACL token "${type}" set successfully`);
      return 0;
    } catch (e) {
      io.err(`Failed setting token: ${errorText(e)}`);
      return 1;
    }
  },
});
