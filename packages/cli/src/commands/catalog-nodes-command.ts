import { columnize, mapToKv } from './support/columns.js';
import { attempt, defineCommand } from './support/define-command.js';

interface NodeRow {
  readonly Node: string;
  readonly ID: string;
  readonly Address: string;
  readonly Datacenter: string;
  readonly TaggedAddresses?: Record<string, string> | null;
  readonly Meta?: Record<string, string> | null;
}

interface ServiceNodeRow {
  readonly Node: string;
  readonly ID: string;
  readonly Address: string;
  readonly Datacenter: string;
  readonly TaggedAddresses?: Record<string, string> | null;
  readonly NodeMeta?: Record<string, string> | null;
}

/** Consul's table: the ID shortened to its first group unless -detailed. */
export function renderNodes(nodes: readonly NodeRow[], detailed: boolean): string {
  const header = detailed ? ['Node', 'ID', 'Address', 'DC', 'TaggedAddresses', 'Meta'] : ['Node', 'ID', 'Address', 'DC'];
  const rows = nodes.map((n) => {
    if (detailed) return [n.Node, n.ID, n.Address, n.Datacenter, mapToKv(n.TaggedAddresses, ', '), mapToKv(n.Meta, ', ')];
    const dash = n.ID.indexOf('-');
    return [n.Node, dash > 0 ? n.ID.slice(0, dash) : n.ID, n.Address, n.Datacenter];
  });
  return columnize([header, ...rows]);
}

export function nodeMetaQuery(meta: Readonly<Record<string, string>>): string[] | undefined {
  const list = Object.entries(meta).map(([k, v]) => `${k}:${v}`);
  return list.length ? list : undefined;
}

export const catalogNodesCommand = defineCommand({
  name: 'nodes',
  synopsis: 'Lists all nodes in the given datacenter',
  usage: 'catalog nodes [options]',
  description: `Retrieves the list of nodes registered in a given datacenter. By default, the
datacenter of the local agent is queried.`,
  http: 'server',
  flags: [
    {
      name: 'detailed',
      kind: 'bool',
      usage: 'Output detailed information about the nodes including their addresses and metadata.',
    },
    { name: 'filter', kind: 'string', value: '<expression>', usage: 'Filter to use with the request.' },
    {
      name: 'near',
      kind: 'string',
      value: '<node>',
      usage: 'Node name to sort the node list by estimated round-trip time from ("_agent" for this agent).',
    },
    {
      name: 'node-meta',
      kind: 'map',
      value: '<key=value>',
      usage: 'Metadata to filter nodes with. May be given multiple times.',
    },
    {
      name: 'service',
      kind: 'string',
      value: '<id or name>',
      usage: 'Service id or name to filter nodes. Only nodes providing the service are returned.',
    },
  ],
  async run({ flags, args, io, client }) {
    if (args.length > 0) {
      io.err(`Too many arguments (expected 0, got ${args.length})`);
      return 1;
    }
    const query = {
      near: flags.string('near') || undefined,
      filter: flags.string('filter') || undefined,
      'node-meta': nodeMetaQuery(flags.map('node-meta')),
    };
    const service = flags.string('service');
    let nodes: NodeRow[];
    if (service) {
      const r = await attempt(io, 'Error listing nodes for service', () =>
        client().get(`/v1/catalog/service/${service}`, { query }),
      );
      if (!r.ok) return 1;
      nodes = r.value.json<ServiceNodeRow[]>().map((s) => ({ ...s, Meta: s.NodeMeta }));
    } else {
      const r = await attempt(io, 'Error listing nodes', () => client().get('/v1/catalog/nodes', { query }));
      if (!r.ok) return 1;
      nodes = r.value.json<NodeRow[]>();
    }
    if (nodes.length === 0) {
      io.err('No nodes match the given query - try expanding your search.');
      return 0;
    }
    io.out(renderNodes(nodes, flags.bool('detailed')));
    return 0;
  },
});
