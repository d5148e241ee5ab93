import { tabAlign } from './support/columns.js';
import { attempt, defineCommand } from './support/define-command.js';
import { nodeMetaQuery } from './catalog-nodes-command.js';

interface NodeServices {
  readonly Services: Record<string, { readonly Service: string; readonly Tags?: string[] | null }> | null;
}

export function renderServices(services: Readonly<Record<string, readonly string[]>>, tags: boolean): string {
  const names = Object.keys(services).sort();
  if (!tags) return names.join('\n');
  return tabAlign(names.map((n) => [n, [...services[n]!].sort().join(',')])).trim();
}

export const catalogServicesCommand = defineCommand({
  name: 'services',
  synopsis: 'Lists all registered services in a datacenter',
  usage: 'catalog services [options]',
  description: `Retrieves the list of services registered in a given datacenter. By default,
the datacenter of the local agent is queried.`,
  http: 'server',
  flags: [
    { name: 'node', kind: 'string', value: '<id or name>', usage: 'Node id or name for which to list services.' },
    {
      name: 'node-meta',
      kind: 'map',
      value: '<key=value>',
      usage: 'Metadata to filter nodes with. May be given multiple times.',
    },
    { name: 'tags', kind: 'bool', usage: "Display each service's tags as a comma-separated list beside each service entry." },
  ],
  async run({ flags, args, io, client }) {
    if (args.length > 0) {
      io.err(`Too many arguments (expected 0, got ${args.length})`);
      return 1;
    }
    const query = { 'node-meta': nodeMetaQuery(flags.map('node-meta')) };
    const node = flags.string('node');
    let services: Record<string, string[]> = {};
    if (node) {
      const r = await attempt(io, 'Error listing services for node', () =>
        client().get(`/v1/catalog/node/${node}`, { query, allow404: true }),
      );
      if (!r.ok) return 1;
      const body = r.value.status === 404 ? null : r.value.json<NodeServices | null>();
      for (const s of Object.values(body?.Services ?? {}))
        services[s.Service] = [...(services[s.Service] ?? []), ...(s.Tags ?? [])];
    } else {
      const r = await attempt(io, 'Error listing services', () => client().get('/v1/catalog/services', { query }));
      if (!r.ok) return 1;
      services = r.value.json<Record<string, string[]>>();
    }
    if (Object.keys(services).length === 0) {
      io.err('No services match the given query - try expanding your search.');
      return 0;
    }
    io.out(renderServices(services, flags.bool('tags')));
    return 0;
  },
});
