import { errorText } from '../http-client.js';
import { FORMAT, render } from './acl-cli-support.js';
import { formatToken, type TokenView } from './acl-format.js';
import { aclPolicyCommand } from './acl-policy-commands.js';
import { aclRoleCommand } from './acl-role-commands.js';
import { aclSetAgentTokenCommand } from './acl-set-agent-token-command.js';
import { aclTokenCommand } from './acl-token-commands.js';
import { commandGroup } from './support/command-group.js';
import { defineCommand } from './support/define-command.js';

const bootstrap = defineCommand({
  name: 'bootstrap',
  synopsis: 'Bootstrap Proconsul’s ACL system',
  usage: 'acl bootstrap [options]',
  description: 'Creates the initial management token. Works once per cluster.',
  http: 'server',
  flags: [FORMAT],
  async run({ flags, io, client }) {
    try {
      const t = (await client().put('/v1/acl/bootstrap')).json<TokenView>();
      io.out(render(flags.string('format'), t, formatToken));
      return 0;
    } catch (e) {
      io.err(`Failed ACL bootstrapping: ${errorText(e)}`);
      return 1;
    }
  },
});

export const aclCommand = commandGroup('acl', 'Interact with Proconsul’s ACLs', 'acl', [
  bootstrap,
  aclPolicyCommand,
  aclRoleCommand,
  aclSetAgentTokenCommand,
  aclTokenCommand,
]);
