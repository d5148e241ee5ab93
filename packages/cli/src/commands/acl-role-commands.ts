import { errorText } from '../http-client.js';
import { FORMAT, links, render } from './acl-cli-support.js';
import { commandGroup } from './support/command-group.js';
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

const roleById = (flags: { string(n: string): string }) =>
  flags.string('id') ? `/v1/acl/role/${flags.string('id')}` : `/v1/acl/role/name/${flags.string('name')}`;

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

const roleRead = defineCommand({
  name: 'read',
  synopsis: 'Read an ACL role',
  usage: 'acl role read [options] -id ROLEID | -name NAME',
  description: 'Shows one role.',
  http: 'server',
  flags: [
    { name: 'id', kind: 'string', value: '<id>', usage: 'The ID of the role to read.' },
    { name: 'name', kind: 'string', value: '<name>', usage: 'The name of the role to read.' },
    FORMAT,
  ],
  async run({ flags, io, client }) {
    if (!flags.string('id') && !flags.string('name')) {
      io.err('Must specify either the -id or -name parameters');
      return 1;
    }
    try {
      const r = (await client().get(roleById(flags))).json<RoleView>();
      io.out(render(flags.string('format'), r, formatRole));
      return 0;
    } catch (e) {
      io.err(`Error reading role: ${errorText(e)}`);
      return 1;
    }
  },
});

const roleList = defineCommand({
  name: 'list',
  synopsis: 'List ACL roles',
  usage: 'acl role list [options]',
  description: 'Lists all roles.',
  http: 'server',
  flags: [FORMAT],
  async run({ flags, io, client }) {
    try {
      const list = (await client().get('/v1/acl/roles')).json<RoleView[]>();
      io.out(
        flags.string('format') === 'json'
          ? JSON.stringify(list, null, 4)
          : list.map((r) => `${r.Name}:\n${formatRole(r).replace(/^/gm, '   ')}`).join('\n'),
      );
      return 0;
    } catch (e) {
      io.err(`Failed to retrieve the role list: ${errorText(e)}`);
      return 1;
    }
  },
});

const roleDelete = defineCommand({
  name: 'delete',
  synopsis: 'Delete an ACL role',
  usage: 'acl role delete [options] -id ROLEID | -name NAME',
  description: 'Deletes a role by ID or name.',
  http: 'server',
  flags: [
    { name: 'id', kind: 'string', value: '<id>', usage: 'The ID of the role to delete.' },
    { name: 'name', kind: 'string', value: '<name>', usage: 'The name of the role to delete.' },
  ],
  async run({ flags, io, client }) {
    if (!flags.string('id') && !flags.string('name')) {
      io.err('Must specify either the -id or -name parameters');
      return 1;
    }
    try {
      const id = flags.string('id') || (await client().get(roleById(flags))).json<RoleView>().ID;
      await client().delete(`/v1/acl/role/${id}`);
      io.out(`Role "${id}" deleted successfully`);
      return 0;
    } catch (e) {
      io.err(`Error deleting role: ${errorText(e)}`);
      return 1;
    }
  },
});

export const aclRoleCommand = commandGroup('role', 'Manage ACL roles', 'acl role', [roleCreate, roleDelete, roleList, roleRead]);
