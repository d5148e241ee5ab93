import { isIPv4, isIPv6 } from 'node:net';
import {
  CONSUL_COMPAT_VERSION,
  CONSUL_SERVICE_ID,
  SERF_HEALTH_CHECK_ID,
  type AgentServiceFields,
  type CheckInput,
  type HealthCheck,
  type LocalHealthCheck,
  type Node,
  type NodeService,
  type RegisterCommand,
  type RuntimeConfig,
  type ServiceInput,
} from '@proconsul/kernel';
import { deepEqual } from '@proconsul/state';
import type { LocalState } from './local-state.js';

/** How this agent's node appears in the catalog. */
export interface NodeIdentity {
  readonly Node: string;
  readonly ID: string;
  readonly Address: string;
  readonly Datacenter: string;
  readonly TaggedAddresses: Record<string, string>;
  readonly Meta: Record<string, string>;
}

export function nodeIdentity(c: RuntimeConfig): NodeIdentity {
  const lan = c.advertiseAddr || c.bindAddr;
  const wan = c.advertiseAddrWan || lan;
  const tagged: Record<string, string> = { lan, wan };
  // Consul adds the address-family variants so clients can pick one.
  for (const [name, addr] of [
    ['lan', lan],
    ['wan', wan],
  ] as const) {
    if (isIPv4(addr)) tagged[`${name}_ipv4`] = addr;
    else if (isIPv6(addr)) tagged[`${name}_ipv6`] = addr;
  }
  return {
    Node: c.nodeName,
    ID: c.nodeId,
    Address: lan,
    Datacenter: c.datacenter,
    TaggedAddresses: tagged,
    Meta: { ...c.nodeMeta },
  };
}

/**
 * The `consul` service a server registers for itself (Consul's leader does this for every
 * server from its gossip view; here each server's own anti-entropy does it, which yields
 * the same catalog entry without the leader needing every server's details).
 */
export function consulService(c: RuntimeConfig): AgentServiceFields {
  return {
    ID: CONSUL_SERVICE_ID,
    Service: 'consul',
    Kind: '',
    Tags: [],
    Meta: {
      non_voter: 'false',
      raft_version: '3',
      serf_protocol_current: '2',
      serf_protocol_min: '1',
      serf_protocol_max: '5',
      version: CONSUL_COMPAT_VERSION,
    },
    Port: c.ports.server,
    Address: '',
    TaggedAddresses: {},
    Weights: { Passing: 1, Warning: 1 },
    EnableTagOverride: false,
  };
}

export function serviceInput(s: AgentServiceFields): ServiceInput {
  return {
    ID: s.ID,
    Service: s.Service,
    ...(s.Kind ? { Kind: s.Kind } : {}),
    Tags: [...s.Tags],
    Address: s.Address,
    TaggedAddresses: { ...s.TaggedAddresses },
    Meta: { ...s.Meta },
    Port: s.Port,
    Weights: { ...s.Weights },
    EnableTagOverride: s.EnableTagOverride,
  };
}

export function checkInput(c: LocalHealthCheck): CheckInput {
  return {
    CheckID: c.CheckID,
    Name: c.Name,
    Status: c.Status,
    Notes: c.Notes,
    Output: c.Output,
    ServiceID: c.ServiceID,
    Type: c.Type,
    ...(c.Interval !== undefined ? { Interval: c.Interval } : {}),
    ...(c.Timeout !== undefined ? { Timeout: c.Timeout } : {}),
    Definition: { ...c.Definition },
  };
}

export function registration(node: NodeIdentity, skipNodeUpdate: boolean, extra: Partial<RegisterCommand> = {}): RegisterCommand {
  return {
    v: 1,
    type: 'register',
    Node: node.Node,
    ID: node.ID,
    Address: node.Address,
    Datacenter: node.Datacenter,
    TaggedAddresses: node.TaggedAddresses,
    NodeMeta: node.Meta,
    SkipNodeUpdate: skipNodeUpdate,
    now: 0,
    ...extra,
  };
}

function sameService(local: AgentServiceFields, remote: NodeService): boolean {
  const { CreateIndex: _c, ModifyIndex: _m, ...r } = remote;
  return deepEqual({ ...local, Kind: local.Kind ?? '' }, { ...r, Kind: r.Kind ?? '' });
}

/** `ignoreOutput`: the local output change is being held back (check_update_interval). */
function sameCheck(local: LocalHealthCheck, remote: HealthCheck, ignoreOutput: boolean): boolean {
  const { CreateIndex: _c, ModifyIndex: _m, Node: _n, ...r } = remote;
  return ignoreOutput ? deepEqual({ ...local, Output: '' }, { ...r, Output: '' }) : deepEqual(local, r);
}

function sameNode(local: NodeIdentity, remote: Node | undefined): boolean {
  if (!remote) return false;
  const { CreateIndex: _c, ModifyIndex: _m, ...r } = remote;
  return deepEqual(local, r);
}

/**
 * Compare the catalog's view of this node with local state and mark what must change
 * (Consul's updateSyncState): entries that differ or are missing go out of sync, catalog
 * entries the agent does not know are marked for deletion — except the leader-managed
 * serfHealth check and the `consul` service. Returns whether the `consul` service (for a
 * server; undefined otherwise) needs registering.
 */
export function reconcile(
  state: LocalState,
  node: NodeIdentity,
  remote: { node: Node | undefined; services: readonly NodeService[]; checks: readonly HealthCheck[] },
  consul: AgentServiceFields | undefined,
): boolean {
  state.setNodeInSync(sameNode(node, remote.node));
  const remoteServices = new Map(remote.services.map((s) => [s.ID, s]));
  for (const [id, rs] of remoteServices) {
    if (id === CONSUL_SERVICE_ID) continue;
    const local = state.service(id);
    if (!local) state.markServiceDeleted(id);
    else state.setServiceInSync(id, sameService(local.service, rs));
  }
  for (const s of state.services()) if (!remoteServices.has(s.service.ID)) state.setServiceInSync(s.service.ID, false);
  const remoteChecks = new Map(remote.checks.map((c) => [c.CheckID, c]));
  for (const [id, rc] of remoteChecks) {
    if (id === SERF_HEALTH_CHECK_ID) continue; // the leader's gossip check
    const local = state.check(id);
    if (!local) state.markCheckDeleted(id);
    else state.setCheckInSync(id, sameCheck(local.check, rc, state.checkOutputDeferred(id)));
  }
  for (const c of state.checks()) if (!remoteChecks.has(c.check.CheckID)) state.setCheckInSync(c.check.CheckID, false);
  const rc = remoteServices.get(CONSUL_SERVICE_ID);
  return consul !== undefined && (!rc || !sameService(consul, rc));
}
