import type { CheckServiceNode, HttpEndpoint } from '@proconsul/kernel';
import { applyFilter } from '@proconsul/state';
import type { NodeInfo } from '@proconsul/server';
import { filterExpression, metaHeaders, param, read, reply, route, type EndpointDeps } from './endpoint-support.js';

/** One row of `/v1/internal/ui/services`: the fields Consul's web UI reads (its ServiceListingSummary). */
export interface ServiceSummary {
  Kind?: string;
  Name: string;
  Datacenter: string;
  Tags: string[];
  Nodes: string[];
  ExternalSources: string[];
  InstanceCount: number;
  ChecksPassing: number;
  ChecksWarning: number;
  ChecksCritical: number;
  GatewayConfig: Record<string, never>;
  TransparentProxy: boolean;
  ConnectNative: boolean;
  ConnectedWithProxy: boolean;
  ConnectedWithGateway: boolean;
}

/**
 * `/v1/internal/ui/*`: the reads Consul's own web UI makes, so it can be served from
 * `ui_config.dir` against Proconsul. Blocking and consistency as every catalog read; the
 * server filters both dumps with the catalog's ACL rules (a node without node:read is
 * left out, services and checks without service:read are dropped from what remains).
 */
export function uiInternalEndpoints(deps: EndpointDeps): HttpEndpoint[] {
  return [
    route('GET', '/v1/internal/ui/services', async (req) => {
      const filter = filterExpression(req);
      const r = await read<CheckServiceNode[]>(deps, req, 'Internal.ServiceDump', {});
      const rows = summarise(r.value, deps.config.datacenter);
      // Consul filters the summaries, not the instances behind them.
      return reply(r.meta, filter ? applyFilter(rows, filter) : rows);
    }),
    route('GET', '/v1/internal/ui/nodes', async (req) => {
      filterExpression(req);
      const r = await read<NodeInfo[]>(deps, req, 'Internal.NodeDump', {});
      return reply(r.meta, r.value, req);
    }),
    route('GET', '/v1/internal/ui/node/:node', async (req) => {
      const node = param(req, 'node', 'node name');
      const r = await read<NodeInfo[]>(deps, req, 'Internal.NodeDump', { node });
      // Consul: 404 with an empty body for a node that is not there (or not readable).
      if (r.value.length === 0) return { status: 404, body: '', headers: metaHeaders(r.meta) };
      return reply(r.meta, r.value[0]);
    }),
  ];
}

/** Group instances by service name, counting each check once (node checks are shared by a node's instances). */
export function summarise(instances: readonly CheckServiceNode[], datacenter: string): ServiceSummary[] {
  const byName = new Map<
    string,
    { row: ServiceSummary; tags: Set<string>; nodes: Set<string>; sources: Set<string>; checks: Map<string, string> }
  >();
  for (const { Node, Service, Checks } of instances) {
    let acc = byName.get(Service.Service);
    if (!acc) {
      const row: ServiceSummary = {
        ...(Service.Kind ? { Kind: Service.Kind } : {}),
        Name: Service.Service,
        Datacenter: datacenter,
        Tags: [],
        Nodes: [],
        ExternalSources: [],
        InstanceCount: 0,
        ChecksPassing: 0,
        ChecksWarning: 0,
        ChecksCritical: 0,
        GatewayConfig: {},
        TransparentProxy: false,
        ConnectNative: false,
        ConnectedWithProxy: false,
        ConnectedWithGateway: false,
      };
      acc = { row, tags: new Set(), nodes: new Set(), sources: new Set(), checks: new Map() };
      byName.set(Service.Service, acc);
    }
    acc.row.InstanceCount++;
    acc.nodes.add(Node.Node);
    for (const t of Service.Tags) acc.tags.add(t);
    const source = Service.Meta?.['external-source'];
    if (source) acc.sources.add(source);
    for (const c of Checks) acc.checks.set(`${c.Node}\u0000${c.CheckID}`, c.Status);
  }
  const out: ServiceSummary[] = [];
  for (const name of [...byName.keys()].sort()) {
    const { row, tags, nodes, sources, checks } = byName.get(name)!;
    for (const status of checks.values()) {
      if (status === 'passing') row.ChecksPassing++;
      else if (status === 'warning') row.ChecksWarning++;
      else row.ChecksCritical++;
    }
    out.push({ ...row, Tags: [...tags], Nodes: [...nodes], ExternalSources: [...sources] });
  }
  return out;
}
