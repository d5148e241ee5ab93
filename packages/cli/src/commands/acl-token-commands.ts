import { errorText } from '../http-client.js';
import { FORMAT, links, render } from './acl-cli-support.js';
import { formatToken, type TokenView } from './acl-format.js';
import { commandGroup } from './support/command-group.js';
import { defineCommand } from './support/define-command.js';

const tokenCreate = defineCommand({
  name: 'create',
  synopsis: 'Create an ACL token',
  usage: 'acl token create [options]',
  description: 'Creates a token linked to policies, roles and service or node identities.',
  http: 'server',
  flags: [
    { name: 'accessor', kind: 'string', value: '<uuid>', usage: 'Create the token with this AccessorID.' },
    { name: 'description', kind: 'string', value: '<text>', usage: 'A description of the token.' },
    {
      name: 'expires-ttl',
      kind: 'string',
      value: '<duration>',
      usage: 'Duration (1m to 24h) after which the token expires; no expiration when not given.',
    },
    { name: 'local', kind: 'bool', usage: 'Create this as a datacenter local token.' },
    {
      name: 'node-identity',
      kind: 'list',
      value: '<node:dc>',
      usage: 'Name of a node identity, as NODENAME:DATACENTER. May be repeated.',
    },
    { name: 'policy-id', kind: 'list', value: '<id>', usage: 'ID of a policy to link. May be repeated.' },
    { name: 'policy-name', kind: 'list', value: '<name>', usage: 'Name of a policy to link. May be repeated.' },
    { name: 'role-id', kind: 'list', value: '<id>', usage: 'ID of a role to link. May be repeated.' },
    { name: 'role-name', kind: 'list', value: '<name>', usage: 'Name of a role to link. May be repeated.' },
    { name: 'secret', kind: 'string', value: '<uuid>', usage: 'Create the token with this SecretID.' },
    { name: 'service-identity', kind: 'list', value: '<name>', usage: 'Name of a service identity. May be repeated.' },
    FORMAT,
  ],
  async run({ flags, io, client }) {
    const nodes = flags.list('node-identity').map((n) => n.split(':'));
    const bad = nodes.find((n) => n.length !== 2 || !n[0] || !n[1]);
    if (bad) {
      io.err(`Malformed -node-identity argument: "${bad.join(':')}" (want NODENAME:DATACENTER)`);
      return 1;
    }
    const body = {
      AccessorID: flags.string('accessor') || undefined,
      SecretID: flags.string('secret') || undefined,
      Description: flags.string('description'),
      Local: flags.bool('local'),
      ExpirationTTL: flags.string('expires-ttl') || undefined,
      Policies: links(flags.list('policy-id'), flags.list('policy-name')),
      Roles: links(flags.list('role-id'), flags.list('role-name')),
      ServiceIdentities: flags.list('service-identity').map((ServiceName) => ({ ServiceName })),
      NodeIdentities: nodes.map(([NodeName, Datacenter]) => ({ NodeName, Datacenter })),
    };
    try {
      const t = (await client().put('/v1/acl/token', { body })).json<TokenView>();
      io.out(render(flags.string('format'), t, formatToken));
      return 0;
    } catch (e) {
      io.err(`Failed to create new token: ${errorText(e)}`);
      return 1;
    }
  },
});

const tokenRead = defineCommand({
  name: 'read',
  synopsis: 'Read an ACL token',
  usage: 'acl token read [options] -id TOKENID',
  description: 'Shows one token, by AccessorID, or the token this command authenticates with (-self).',
  http: 'server',
  flags: [
    { name: 'id', kind: 'string', value: '<accessor>', usage: 'The AccessorID of the token to read.' },
    { name: 'self', kind: 'bool', usage: 'Read the token this command is using.' },
    FORMAT,
  ],
  async run({ flags, io, client }) {
    const id = flags.string('id');
    if (!id && !flags.bool('self')) {
      io.err('Must specify the -id parameter');
      return 1;
    }
    try {
      const t = (await client().get(flags.bool('self') ? '/v1/acl/token/self' : `/v1/acl/token/${id}`)).json<TokenView>();
      io.out(render(flags.string('format'), t, formatToken));
      return 0;
    } catch (e) {
      io.err(`Error reading token "${id || 'self'}": ${errorText(e)}`);
      return 1;
    }
  },
});

const tokenList = defineCommand({
  name: 'list',
  synopsis: 'List ACL tokens',
  usage: 'acl token list [options]',
  description: 'Lists all tokens.',
  http: 'server',
  flags: [FORMAT],
  async run({ flags, io, client }) {
    try {
      const list = (await client().get('/v1/acl/tokens')).json<TokenView[]>();
      io.out(flags.string('format') === 'json' ? JSON.stringify(list, null, 4) : list.map(formatToken).join('\n\n'));
      return 0;
    } catch (e) {
      io.err(`Failed to retrieve the token list: ${errorText(e)}`);
      return 1;
    }
  },
});

const tokenDelete = defineCommand({
  name: 'delete',
  synopsis: 'Delete an ACL token',
  usage: 'acl token delete [options] -id TOKENID',
  description: 'Deletes a token by AccessorID.',
  http: 'server',
  flags: [{ name: 'id', kind: 'string', value: '<accessor>', usage: 'The AccessorID of the token to delete.' }],
  async run({ flags, io, client }) {
    const id = flags.string('id');
    if (!id) {
      io.err('Must specify the -id parameter');
      return 1;
    }
    try {
      await client().delete(`/v1/acl/token/${id}`);
      io.out(`Token "${id}" deleted successfully`);
      return 0;
    } catch (e) {
      io.err(`Error deleting token "${id}": ${errorText(e)}`);
      return 1;
    }
  },
});

const tokenUpdate = defineCommand({
  name: 'update',
  synopsis: 'Update an ACL token',
  usage: 'acl token update [options] -id TOKENID',
  description: `Changes a token's description and links. Given -policy-*/-role-*/-service-identity
flags replace the token's current ones unless -merge-policies, -merge-roles or
-merge-service-identities is set.`,
  http: 'server',
  flags: [
    { name: 'id', kind: 'string', value: '<accessor>', usage: 'The AccessorID of the token to update. Required.' },
    { name: 'description', kind: 'string', value: '<text>', usage: 'A new description.' },
    { name: 'merge-policies', kind: 'bool', usage: 'Add the given policies to the current ones.' },
    { name: 'merge-roles', kind: 'bool', usage: 'Add the given roles to the current ones.' },
    { name: 'merge-service-identities', kind: 'bool', usage: 'Add the given service identities to the current ones.' },
    { name: 'policy-id', kind: 'list', value: '<id>', usage: 'ID of a policy to link. May be repeated.' },
    { name: 'policy-name', kind: 'list', value: '<name>', usage: 'Name of a policy to link. May be repeated.' },
    { name: 'role-id', kind: 'list', value: '<id>', usage: 'ID of a role to link. May be repeated.' },
    { name: 'role-name', kind: 'list', value: '<name>', usage: 'Name of a role to link. May be repeated.' },
    { name: 'service-identity', kind: 'list', value: '<name>', usage: 'Name of a service identity. May be repeated.' },
    FORMAT,
  ],
  async run({ flags, io, client }) {
    const id = flags.string('id');
    if (!id) {
      io.err('Cannot update a token without specifying the -id parameter');
      return 1;
    }
    try {
      const cur = (await client().get(`/v1/acl/token/${id}`)).json<
        TokenView & { Policies: { ID: string }[]; Roles: { ID: string }[] }
      >();
      const pick = <T>(given: boolean, merge: boolean, current: readonly T[], next: T[]): T[] =>
        !given ? [...current] : merge ? [...current, ...next] : next;
      const policies = links(flags.list('policy-id'), flags.list('policy-name'));
      const roles = links(flags.list('role-id'), flags.list('role-name'));
      const services = flags.list('service-identity').map((ServiceName) => ({ ServiceName }));
      const body = {
        Description: flags.given.has('description') ? flags.string('description') : cur.Description,
        Policies: pick(
          policies.length > 0,
          flags.bool('merge-policies'),
          cur.Policies.map((p) => ({ ID: p.ID })),
          policies,
        ),
        Roles: pick(
          roles.length > 0,
          flags.bool('merge-roles'),
          cur.Roles.map((r) => ({ ID: r.ID })),
          roles,
        ),
        ServiceIdentities: pick(
          services.length > 0,
          flags.bool('merge-service-identities'),
          cur.ServiceIdentities ?? [],
          services,
        ),
        NodeIdentities: cur.NodeIdentities ?? [],
        Local: cur.Local,
      };
      const t = (await client().put(`/v1/acl/token/${id}`, { body })).json<TokenView>();
      io.out(`Token updated successfully.\n${render(flags.string('format'), t, formatToken)}`);
      return 0;
    } catch (e) {
      io.err(`Failed to update token ${id}: ${errorText(e)}`);
      return 1;
    }
  },
});

const tokenClone = defineCommand({
  name: 'clone',
  synopsis: 'Clone an ACL token',
  usage: 'acl token clone [options] -id TOKENID',
  description: 'Creates a new token with the same policies, roles and identities as an existing one.',
  http: 'server',
  flags: [
    { name: 'id', kind: 'string', value: '<accessor>', usage: 'The AccessorID of the token to clone. Required.' },
    { name: 'description', kind: 'string', value: '<text>', usage: 'A description of the new token.' },
    FORMAT,
  ],
  async run({ flags, io, client }) {
    const id = flags.string('id');
    if (!id) {
      io.err('Cannot clone a token without specifying the -id parameter');
      return 1;
    }
    try {
      const body = { Description: flags.string('description') };
      const t = (await client().put(`/v1/acl/token/${id}/clone`, { body })).json<TokenView>();
      io.out(render(flags.string('format'), t, formatToken));
      return 0;
    } catch (e) {
      io.err(`Error cloning token: ${errorText(e)}`);
      return 1;
    }
  },
});

export const aclTokenCommand = commandGroup('token', 'Manage ACL tokens', 'acl token', [
  tokenClone,
  tokenCreate,
  tokenDelete,
  tokenList,
  tokenRead,
  tokenUpdate,
]);
