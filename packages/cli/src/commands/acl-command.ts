import { errorText } from '../http-client.js';
import { formatPolicy, formatToken, type PolicyView, type TokenView } from './acl-format.js';
import { commandGroup } from './support/command-group.js';
import { loadDataArgument } from './support/data-argument.js';
import { defineCommand } from './support/define-command.js';
import type { FlagSpec } from './support/flag-set.js';

const FORMAT: FlagSpec = {
  name: 'format',
  kind: 'string',
  value: '<pretty|json>',
  default: 'pretty',
  usage: 'Output format: pretty or json.',
};

function render(format: string, value: unknown, pretty: (v: never) => string): string {
  return format === 'json' ? JSON.stringify(value, null, 4) : pretty(value as never);
}

const bootstrap = defineCommand({
  name: 'bootstrap',
  synopsis: 'Bootstrap Consul’s ACL system',
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

const links = (ids: string[], names: string[]) => [...ids.map((ID) => ({ ID })), ...names.map((Name) => ({ Name }))];

const tokenCreate = defineCommand({
  name: 'create',
  synopsis: 'Create an ACL token',
  usage: 'acl token create [options]',
  description: 'Creates a token linked to policies, roles and service or node identities.',
  http: 'server',
  flags: [
    { name: 'accessor', kind: 'string', value: '<uuid>', usage: 'Create the token with this AccessorID.' },
    { name: 'description', kind: 'string', value: '<text>', usage: 'A description of the token.' },
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

const policyCreate = defineCommand({
  name: 'create',
  synopsis: 'Create an ACL policy',
  usage: 'acl policy create -name NAME [options]',
  description: 'Creates a policy. -rules takes the rules text, @file to read a file, or - for stdin.',
  http: 'server',
  flags: [
    { name: 'valid-datacenter', kind: 'list', value: '<dc>', usage: 'Datacenter the policy is valid in. May be repeated.' },
    { name: 'description', kind: 'string', value: '<text>', usage: 'A description of the policy.' },
    { name: 'name', kind: 'string', value: '<name>', usage: 'The new policy’s name. Required.' },
    { name: 'rules', kind: 'string', value: '<rules>', usage: 'The policy rules (HCL or JSON), @file or - for stdin.' },
    FORMAT,
  ],
  async run({ flags, io, client }) {
    const name = flags.string('name');
    if (!name) {
      io.err('Missing required -name flag');
      return 1;
    }
    let rules = '';
    try {
      rules = flags.string('rules') ? (await loadDataArgument(io, flags.string('rules'))).toString('utf8') : '';
    } catch (e) {
      io.err(`Error loading the -rules argument: ${(e as Error).message}`);
      return 1;
    }
    const body = {
      Name: name,
      Description: flags.string('description'),
      Rules: rules,
      Datacenters: flags.list('valid-datacenter'),
    };
    try {
      const p = (await client().put('/v1/acl/policy', { body })).json<PolicyView>();
      io.out(render(flags.string('format'), p, formatPolicy));
      return 0;
    } catch (e) {
      io.err(`Failed to create new policy: ${errorText(e)}`);
      return 1;
    }
  },
});

const policyById = (flags: { string(n: string): string }) =>
  flags.string('id') ? `/v1/acl/policy/${flags.string('id')}` : `/v1/acl/policy/name/${flags.string('name')}`;

const policyRead = defineCommand({
  name: 'read',
  synopsis: 'Read an ACL policy',
  usage: 'acl policy read [options] -id POLICYID | -name NAME',
  description: 'Shows one policy with its rules.',
  http: 'server',
  flags: [
    { name: 'id', kind: 'string', value: '<id>', usage: 'The ID of the policy to read.' },
    { name: 'name', kind: 'string', value: '<name>', usage: 'The name of the policy to read.' },
    FORMAT,
  ],
  async run({ flags, io, client }) {
    if (!flags.string('id') && !flags.string('name')) {
      io.err('Must specify either the -id or -name parameters');
      return 1;
    }
    try {
      const p = (await client().get(policyById(flags))).json<PolicyView>();
      io.out(render(flags.string('format'), p, formatPolicy));
      return 0;
    } catch (e) {
      io.err(`Error reading policy: ${errorText(e)}`);
      return 1;
    }
  },
});

const policyList = defineCommand({
  name: 'list',
  synopsis: 'List ACL policies',
  usage: 'acl policy list [options]',
  description: 'Lists all policies (without their rules).',
  http: 'server',
  flags: [FORMAT],
  async run({ flags, io, client }) {
    try {
      const list = (await client().get('/v1/acl/policies')).json<PolicyView[]>();
      io.out(
        flags.string('format') === 'json'
          ? JSON.stringify(list, null, 4)
          : list.map((p) => `${p.Name}:\n${formatPolicy(p).replace(/^/gm, '   ')}`).join('\n'),
      );
      return 0;
    } catch (e) {
      io.err(`Failed to retrieve the policy list: ${errorText(e)}`);
      return 1;
    }
  },
});

const policyDelete = defineCommand({
  name: 'delete',
  synopsis: 'Delete an ACL policy',
  usage: 'acl policy delete [options] -id POLICYID | -name NAME',
  description: 'Deletes a policy by ID or name.',
  http: 'server',
  flags: [
    { name: 'id', kind: 'string', value: '<id>', usage: 'The ID of the policy to delete.' },
    { name: 'name', kind: 'string', value: '<name>', usage: 'The name of the policy to delete.' },
  ],
  async run({ flags, io, client }) {
    if (!flags.string('id') && !flags.string('name')) {
      io.err('Must specify either the -id or -name parameters');
      return 1;
    }
    try {
      const id = flags.string('id') || (await client().get(policyById(flags))).json<PolicyView>().ID;
      await client().delete(`/v1/acl/policy/${id}`);
      io.out(`Policy "${id}" deleted successfully`);
      return 0;
    } catch (e) {
      io.err(`Error deleting policy: ${errorText(e)}`);
      return 1;
    }
  },
});

export const aclCommand = commandGroup('acl', 'Interact with Consul’s ACLs', 'acl', [
  bootstrap,
  commandGroup('policy', 'Manage ACL policies', 'acl policy', [policyCreate, policyDelete, policyList, policyRead]),
  commandGroup('token', 'Manage ACL tokens', 'acl token', [tokenCreate, tokenDelete, tokenList, tokenRead]),
]);
