import { coordDistance, type Coord, type Coordinate } from '@proconsul/kernel';
import { attempt, defineCommand } from './support/define-command.js';

interface DatacenterMap {
  Datacenter: string;
  Coordinates: Coordinate[];
}

export const rttCommand = defineCommand({
  name: 'rtt',
  synopsis: 'Estimates network round trip time between nodes',
  usage: 'rtt [options] node1 [node2]',
  description: `Estimates the round trip time between two nodes using their network
coordinates. If node2 is not given, this agent's node is used. With -wan, both
nodes are servers named <node name>.<datacenter> and their WAN coordinates are used.`,
  http: 'client',
  flags: [{ name: 'wan', kind: 'bool', usage: 'Use WAN coordinates instead of LAN coordinates.' }],
  async run({ flags, args, io, client }) {
    if (args.length < 1 || args.length > 2) {
      io.err('One or two node names must be specified');
      return 1;
    }
    const wan = flags.bool('wan');
    const nodes = [...args];
    if (nodes.length < 2) {
      const self = await attempt(io, 'Unable to look up agent info', () => client().get('/v1/agent/self'));
      if (!self.ok) return 1;
      const cfg = self.value.json<{ Config: { NodeName: string; Datacenter: string } }>().Config;
      nodes.push(wan ? `${cfg.NodeName}.${cfg.Datacenter}` : cfg.NodeName);
    }
    let c1: Coord | undefined;
    let c2: Coord | undefined;
    if (wan) {
      const parts = nodes.map((n) => n.split('.'));
      if (parts.some((p) => p.length !== 2)) {
        io.err('Node names must be specified as <node name>.<datacenter> with -wan');
        return 1;
      }
      const r = await attempt(io, 'Error getting coordinates', () => client().get('/v1/coordinate/datacenters'));
      if (!r.ok) return 1;
      const find = ([node, dc]: string[]) =>
        r.value
          .json<DatacenterMap[]>()
          .find((m) => m.Datacenter.toLowerCase() === dc!.toLowerCase())
          ?.Coordinates.find((e) => e.Node.toLowerCase() === node!.toLowerCase())?.Coord;
      c1 = find(parts[0]!);
      c2 = find(parts[1]!);
    } else {
      const r = await attempt(io, 'Error getting coordinates', () => client().get('/v1/coordinate/nodes'));
      if (!r.ok) return 1;
      const entries = r.value.json<Coordinate[]>();
      const find = (node: string) => entries.find((e) => e.Node === node && e.Segment === '')?.Coord;
      c1 = find(nodes[0]!);
      c2 = find(nodes[1]!);
    }
    if (!c1) {
      io.err(`Could not find a coordinate for node "${nodes[0]}"`);
      return 1;
    }
    if (!c2) {
      io.err(`Could not find a coordinate for node "${nodes[1]}"`);
      return 1;
    }
    const ms = coordDistance(c1, c2) * 1000;
    io.out(`Estimated ${nodes[0]} <-> ${nodes[1]} rtt: ${ms.toFixed(3)} ms (using ${wan ? 'WAN' : 'LAN'} coordinates)`);
    return 0;
  },
});
