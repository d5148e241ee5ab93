import {
  BadRequest,
  type DeregisterCommand,
  type HttpEndpoint,
  type Node,
  type RegisterCommand,
  type ServiceNode,
} from '@proconsul/kernel';
import { canonicalKeys, decodeJsonBody, datacenterTarget } from '@proconsul/http';
import { applyFilter } from '@proconsul/state';
import { LIST_DATACENTERS } from '@proconsul/server';
import {
  authorize,
  filterExpression,
  nodeMetaFilter,
  nodeMetaPairs,
  param,
  read,
  reply,
  keepAll,
  nearArg,
  require,
  route,
  type EndpointDeps,
} from './endpoint-support.js';
import { readMaybeCached, withHeaders } from './cached-read.js';
import { warningHeader } from './duplicate-services.js';
import { normaliseCheckInput, normaliseServiceInput } from './registration-input.js';

const registerSchema = {
  type: 'object',
  required: ['Node'],
  properties: {
    Node: { type: 'string', minLength: 1 },
    ID: { type: 'string' },
    Address: { type: 'string' },
    Datacenter: { type: 'string' },
    TaggedAddresses: { type: ['object', 'null'], additionalProperties: { type: 'string' } },
    NodeMeta: { type: ['object', 'null'], additionalProperties: { type: 'string' } },
    Service: { type: ['object', 'null'] },
    Check: { type: ['object', 'null'] },
    Checks: { type: ['array', 'null'], items: { type: 'object' } },
    SkipNodeUpdate: { type: 'boolean' },
  },
};
const REGISTER_KEYS = Object.keys(registerSchema.properties);

const deregisterSchema = {
  type: 'object',
  required: ['Node'],
  properties: {
    Node: { type: 'string', minLength: 1 },
    Datacenter: { type: 'string' },
    ServiceID: { type: 'string' },
    CheckID: { type: 'string' },
  },
};

/** `/v1/catalog/*`. Reads block and honour consistency modes; writes go through consensus. */
export function catalogEndpoints(
  deps: EndpointDeps,
  onCatalogDeregister?: (cmd: DeregisterCommand) => string | undefined,
): HttpEndpoint[] {
  return [
    route('PUT', '/v1/catalog/register', async (req) => {
      const raw = canonicalKeys(decodeJsonBody<Record<string, unknown>>(req.body, { type: 'object' }), REGISTER_KEYS);
      const body = decodeJsonBody<Record<string, unknown>>(Buffer.from(JSON.stringify(raw)), registerSchema);
      const target = datacenterTarget(req, body['Datacenter'] as string | undefined);
      const authz = await authorize(deps, req);
      require(authz, 'node', body['Node'] as string, 'write');
      const service = body['Service'] ? normaliseServiceInput(body['Service'] as Record<string, unknown>) : undefined;
      if (service) require(authz, 'service', service.Service, 'write');
      if (!body['Address'] && !body['SkipNodeUpdate']) throw BadRequest('Must provide address if SkipNodeUpdate is not set');
      const cmd: RegisterCommand = {
        v: 1,
        type: 'register',
        Node: body['Node'] as string,
        ...(body['ID'] ? { ID: body['ID'] as string } : {}),
        Address: (body['Address'] as string) ?? '',
        Datacenter: target.datacenter ?? deps.config.datacenter,
        ...(body['TaggedAddresses'] ? { TaggedAddresses: body['TaggedAddresses'] as Record<string, string> } : {}),
        ...(body['NodeMeta'] ? { NodeMeta: body['NodeMeta'] as Record<string, string> } : {}),
        ...(service ? { Service: service } : {}),
        ...(body['Check'] ? { Check: normaliseCheckInput(body['Check'] as Record<string, unknown>) } : {}),
        ...(body['Checks'] ? { Checks: (body['Checks'] as Record<string, unknown>[]).map(normaliseCheckInput) } : {}),
        SkipNodeUpdate: body['SkipNodeUpdate'] === true,
        now: 0,
      };
      await deps.rpc.write(cmd, { token: req.token }, target);
      const warning =
        service && deps.duplicates
          ? await deps.duplicates({
              node: cmd.Node,
              service: service.Service,
              serviceId: service.ID || service.Service,
              ...(req.token ? { token: req.token } : {}),
              canSeeNode: (n) => authz.allowed('node', n, 'read'),
            })
          : undefined;
      return { body: true, headers: warningHeader(warning) };
    }),
    route('PUT', '/v1/catalog/deregister', async (req) => {
      const raw = canonicalKeys(
        decodeJsonBody<Record<string, unknown>>(req.body, { type: 'object' }),
        Object.keys(deregisterSchema.properties),
      );
      const body = decodeJsonBody<{ Node: string; Datacenter?: string; ServiceID?: string; CheckID?: string }>(
        Buffer.from(JSON.stringify(raw)),
        deregisterSchema,
      );
      require(await authorize(deps, req), 'node', body.Node, 'write');
      const cmd: DeregisterCommand = {
        v: 1,
        type: 'deregister',
        Node: body.Node,
        ...(body.ServiceID ? { ServiceID: body.ServiceID } : {}),
        ...(body.CheckID ? { CheckID: body.CheckID } : {}),
        now: 0,
      };
      await deps.rpc.write(cmd, { token: req.token }, datacenterTarget(req, body.Datacenter));
      return { body: true, headers: warningHeader(onCatalogDeregister?.(cmd)) };
    }),
    // Any server answers from its WAN pool (a client agent asks one); no ACL, as in Consul.
    route('GET', '/v1/catalog/datacenters', async (req) => ({
      body: await deps.rpc.serverCall(LIST_DATACENTERS, {}, { token: req.token }),
    })),
    route('GET', '/v1/catalog/nodes', async (req) => {
      filterExpression(req); // a malformed filter is a 400 before any blocking wait
      const authz = await authorize(deps, req);
      const near = nearArg(req, deps.config);
      const r = await read<Node[]>(deps, req, 'Catalog.ListNodes', near);
      const meta = nodeMetaFilter(req);
      const nodes = r.value.filter((n) => authz.allowed('node', n.Node, 'read') && (!meta || meta(n.Meta)));
      // With ?near the server's RTT order is the answer; else Consul's order by name.
      return reply(r.meta, near.near ? nodes : sortBy(nodes, (n) => n.Node), req);
    }),
    route('GET', '/v1/catalog/services', async (req) => {
      const authz = await authorize(deps, req);
      // Both apply to each instance (node meta, ServiceNode fields), which only the server has.
      const nodeMeta = nodeMetaPairs(req);
      const filter = filterExpression(req);
      const args = { ...(nodeMeta ? { nodeMeta } : {}), ...(filter ? { filter } : {}) };
      const { reply: r, cacheHeaders } = await readMaybeCached<Record<string, string[]>>(deps, req, 'Catalog.ListServices', args);
      const out: Record<string, string[]> = {};
      for (const [name, tags] of Object.entries(r.value)) if (authz.allowed('service', name, 'read')) out[name] = tags;
      return withHeaders(reply(r.meta, out), cacheHeaders);
    }),
    route('GET', '/v1/catalog/service/:service', async (req) => {
      filterExpression(req); // a malformed filter is a 400 before any blocking wait
      const service = param(req, 'service', 'service name');
      const authz = await authorize(deps, req);
      const { reply: r, cacheHeaders } = await readMaybeCached<ServiceNode[]>(deps, req, 'Catalog.ServiceNodes', {
        service,
        tags: req.query.getAll('tag'),
        ...nearArg(req, deps.config),
      });
      const meta = nodeMetaFilter(req);
      const list = authz.allowed('service', service, 'read')
        ? keepAll(r.value, (s) => authz.allowed('node', s.Node, 'read') && (!meta || meta(s.NodeMeta)))
        : [];
      return withHeaders(reply(r.meta, list, req), cacheHeaders);
    }),
    route('GET', '/v1/catalog/node/:node', async (req) => {
      const node = param(req, 'node', 'node name');
      const filter = filterExpression(req); // before a blocking wait, not after
      const authz = await authorize(deps, req);
      const r = await read<{ Node: Node; Services: Record<string, { Service: string }> } | null>(
        deps,
        req,
        'Catalog.NodeServices',
        { node },
      );
      if (!r.value || !authz.allowed('node', node, 'read')) return reply(r.meta, null);
      const services = Object.fromEntries(
        Object.entries(r.value.Services).filter(([, s]) => authz.allowed('service', s.Service, 'read')),
      );
      // Consul applies ?filter= to the node's services (a map keyed by service ID).
      return reply(r.meta, { ...r.value, Services: filter ? applyFilter(services, filter) : services });
    }),
    route('GET', '/v1/catalog/node-services/:node', async (req) => {
      filterExpression(req); // a malformed filter is a 400 before any blocking wait
      const node = param(req, 'node', 'node name');
      const authz = await authorize(deps, req);
      const r = await read<{ Node: Node; Services: { Service: string }[] } | null>(deps, req, 'Catalog.NodeServiceList', {
        node,
      });
      if (!r.value || !authz.allowed('node', node, 'read')) return reply(r.meta, null, undefined, 404);
      const filter = req.query.get('filter');
      const services = r.value.Services.filter((s) => authz.allowed('service', s.Service, 'read'));
      return reply(r.meta, { ...r.value, Services: filter ? reply(r.meta, services, req).body : services });
    }),
  ];
}

function sortBy<T>(items: T[], key: (t: T) => string): T[] {
  return [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
