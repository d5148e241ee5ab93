import { errorText } from '../http-client.js';
import { FORMAT, render } from './acl-cli-support.js';
import { formatPolicy, type PolicyView } from './acl-format.js';
import { commandGroup } from './support/command-group.js';
import { loadDataArgument } from './support/data-argument.js';
import { byIdOrName, namedObjectCommands } from './acl-named-object-commands.js';
import { defineCommand } from './support/define-command.js';

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

const policyUpdate = defineCommand({
  name: 'update',
  synopsis: 'Update an ACL policy',
  usage: 'acl policy update [options] -id POLICYID | -name NAME',
  description: 'Changes a policy’s name, description or rules; what is not given stays.',
  http: 'server',
  flags: [
    { name: 'description', kind: 'string', value: '<text>', usage: 'A new description.' },
    { name: 'id', kind: 'string', value: '<id>', usage: 'The ID of the policy to update.' },
    { name: 'name', kind: 'string', value: '<name>', usage: 'The name of the policy to update.' },
    { name: 'new-name', kind: 'string', value: '<name>', usage: 'A new name for the policy.' },
    { name: 'rules', kind: 'string', value: '<rules>', usage: 'New rules (HCL or JSON), @file or - for stdin.' },
    FORMAT,
  ],
  async run({ flags, io, client }) {
    if (!flags.string('id') && !flags.string('name')) {
      io.err('Must specify either the -id or -name parameters');
      return 1;
    }
    try {
      const cur = (await client().get(byIdOrName('policy', flags))).json<PolicyView & { Rules: string }>();
      const rules = flags.string('rules') ? (await loadDataArgument(io, flags.string('rules'))).toString('utf8') : cur.Rules;
      const body = {
        Name: flags.string('new-name') || cur.Name,
        Description: flags.given.has('description') ? flags.string('description') : cur.Description,
        Rules: rules,
        Datacenters: cur.Datacenters ?? [],
      };
      const p = (await client().put(`/v1/acl/policy/${cur.ID}`, { body })).json<PolicyView>();
      io.out(render(flags.string('format'), p, formatPolicy));
      return 0;
    } catch (e) {
      io.err(`Error updating policy: ${errorText(e) || (e as Error).message}`);
      return 1;
    }
  },
});

export const aclPolicyCommand = commandGroup('policy', 'Manage ACL policies', 'acl policy', [
  policyCreate,
  ...namedObjectCommands<PolicyView>({ kind: 'policy', plural: 'policies', format: formatPolicy }),
  policyUpdate,
]);
