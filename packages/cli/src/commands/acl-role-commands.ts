import { errorText } from '../http-client.js';
import { FORMAT, links, render } from './acl-cli-support.js';
import { commandGroup } from './support/command-group.js';
import { namedObjectCommands } from './acl-named-object-commands.js';
import { defineCommand } from './support/define-command.js';

interface RoleView {
  readonly ID: string;
  readonly Name: string;
  readonly Description: string;
  readonly Policies?: readonly { ID: string; Name: string }[];
  readonly ServiceIdentities?: readonly { ServiceName: string }[];
}

function formatRole(r: RoleView): string {
  const lines = [`ID:           ${r.ID}`, `Name:         ${r.Name}`, `Description:  ${r.Description}`];
  if (r.Policies?.length) lines.push('Policies:', ...r.Policies.map((p) => `   ${p.ID} - ${p.Name}`));
  if (r.ServiceIdentities?.length) lines.push('Service Identities:', ...r.ServiceIdentities.map((s) => `   ${s.ServiceName}`));
  return lines.join('\n');
}

const roleCreate = defineCommand({
  name: 'create',
  synopsis: 'Create an ACL role',
  usage: 'acl role create -name NAME [options]',
  description: 'Creates a role: a named set of policies and service identities tokens can link to.',
  http: 'server',
  flags: [
    { name: 'description', kind: 'string', value: '<text>', usage: 'A description of the role.' },
    { name: 'name', kind: 'string', value: '<name>', usage: 'The new role’s name. Required.' },
    { name: 'policy-id', kind: 'list', value: '<id>', usage: 'ID of a policy to link. May be repeated.' },
    { name: 'policy-name', kind: 'list', value: '<name>', usage: 'Name of a policy to link. May be repeated.' },
    { name: 'service-identity', kind: 'list', value: '<name>', usage: 'Name of a service identity. May be repeated.' },
    FORMAT,
  ],
  async run({ flags, io, client }) {
    if (!flags.string('name')) {
      io.err('Missing required -name flag');
      return 1;
    }
    const body = {
      Name: flags.string('name'),
      Description: flags.string('description'),
      Policies: links(flags.list('policy-id'), flags.list('policy-name')),
      ServiceIdentities: flags.list('service-identity').map((ServiceName) => ({ ServiceName })),
    };
    try {
      const r = (await client().put('/v1/acl/role', { body })).json<RoleView>();
      io.out(render(flags.string('format'), r, formatRole));
      return 0;
    } catch (e) {
      io.err(`Failed to create new role: ${errorText(e)}`);
      return 1;
    }
  },
});

export const aclRoleCommand = commandGroup('role', 'Manage ACL roles', 'acl role', [
  roleCreate,
  ...namedObjectCommands<RoleView>({ kind: 'role', plural: 'roles', format: formatRole }),
]);
