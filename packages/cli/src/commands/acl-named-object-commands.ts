import type { Command } from '../command.js';
import { errorText } from '../http-client.js';
import { FORMAT, render } from './acl-cli-support.js';
import { defineCommand } from './support/define-command.js';

/** Policies and roles: addressed by -id or -name, listed under a plural path. */
export interface NamedObjectKind<V extends { ID: string; Name: string }> {
  /** "policy" or "role": path segment and word in messages. */
  readonly kind: string;
  /** "policies" or "roles". */
  readonly plural: string;
  readonly format: (v: V) => string;
}

/** `/v1/acl/<kind>/<id>` or `/v1/acl/<kind>/name/<name>` from -id / -name. */
export function byIdOrName(kind: string, flags: { string(n: string): string }): string {
  return flags.string('id') ? `/v1/acl/${kind}/${flags.string('id')}` : `/v1/acl/${kind}/name/${flags.string('name')}`;
}

const idOrNameFlags = (kind: string, verb: string) => [
  { name: 'id', kind: 'string' as const, value: '<id>', usage: `The ID of the ${kind} to ${verb}.` },
  { name: 'name', kind: 'string' as const, value: '<name>', usage: `The name of the ${kind} to ${verb}.` },
];

/** The read, list and delete subcommands, identical in shape for policies and roles. */
export function namedObjectCommands<V extends { ID: string; Name: string }>(k: NamedObjectKind<V>): Command[] {
  const Kind = k.kind[0]!.toUpperCase() + k.kind.slice(1);
  const needIdOrName = (flags: { string(n: string): string }, err: (t: string) => void) => {
    if (flags.string('id') || flags.string('name')) return true;
    err('Must specify either the -id or -name parameters');
    return false;
  };
  const read = defineCommand({
    name: 'read',
    synopsis: `Read an ACL ${k.kind}`,
    usage: `acl ${k.kind} read [options] -id ID | -name NAME`,
    description: `Shows one ${k.kind}.`,
    http: 'server',
    flags: [...idOrNameFlags(k.kind, 'read'), FORMAT],
    async run({ flags, io, client }) {
      if (!needIdOrName(flags, (t) => io.err(t))) return 1;
      try {
        const v = (await client().get(byIdOrName(k.kind, flags))).json<V>();
        io.out(render(flags.string('format'), v, k.format));
        return 0;
      } catch (e) {
        io.err(`Error reading ${k.kind}: ${errorText(e)}`);
        return 1;
      }
    },
  });
  const list = defineCommand({
    name: 'list',
    synopsis: `List ACL ${k.plural}`,
    usage: `acl ${k.kind} list [options]`,
    description: `Lists all ${k.plural}.`,
    http: 'server',
    flags: [FORMAT],
    async run({ flags, io, client }) {
      try {
        const all = (await client().get(`/v1/acl/${k.plural}`)).json<V[]>();
        io.out(
          flags.string('format') === 'json'
            ? JSON.stringify(all, null, 4)
            : all.map((v) => `${v.Name}:\n${k.format(v).replace(/^/gm, '   ')}`).join('\n'),
        );
        return 0;
      } catch (e) {
        io.err(`Failed to retrieve the ${k.kind} list: ${errorText(e)}`);
        return 1;
      }
    },
  });
  const del = defineCommand({
    name: 'delete',
    synopsis: `Delete an ACL ${k.kind}`,
    usage: `acl ${k.kind} delete [options] -id ID | -name NAME`,
    description: `Deletes a ${k.kind} by ID or name.`,
    http: 'server',
    flags: idOrNameFlags(k.kind, 'delete'),
    async run({ flags, io, client }) {
      if (!needIdOrName(flags, (t) => io.err(t))) return 1;
      try {
        const id = flags.string('id') || (await client().get(byIdOrName(k.kind, flags))).json<V>().ID;
        await client().delete(`/v1/acl/${k.kind}/${id}`);
        io.out(`${Kind} "${id}" deleted successfully`);
        return 0;
      } catch (e) {
        io.err(`Error deleting ${k.kind}: ${errorText(e)}`);
        return 1;
      }
    },
  });
  return [read, list, del];
}
