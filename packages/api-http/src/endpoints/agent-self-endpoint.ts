import { inject, injectable, optional } from 'inversify';
import {
  Authorizer,
  Consensus,
  CONSUL_COMPAT_VERSION,
  LocalAgentPort,
  Membership,
  PROCONSUL_VERSION,
  RuntimeConfig,
  type Authorization,
  type HttpEndpoint,
  type HttpRequest,
  type HttpResponse,
} from '@proconsul/kernel';
import { DuplicateServices } from './duplicate-services.js';
import { debugConfig } from './debug-config.js';
import { require } from './endpoint-support.js';
import { memberJson } from './member-json.js';

/** GET /v1/agent/self — exactly Consul's six keys: Config, DebugConfig, Coord, Member, Stats, Meta. */
@injectable()
export class AgentSelfEndpoint implements HttpEndpoint {
  readonly method = 'GET' as const;
  readonly path = '/v1/agent/self';

  constructor(
    @inject(RuntimeConfig) private readonly config: RuntimeConfig,
    @inject(Authorizer) private readonly authorizer: Authorizer,
    @inject(Membership) @optional() private readonly membership?: Membership,
    @inject(Consensus) @optional() private readonly consensus?: Consensus,
    @inject(LocalAgentPort) @optional() private readonly local?: LocalAgentPort,
    @inject(DuplicateServices) @optional() private readonly duplicates?: DuplicateServices,
  ) {}

  async handle(req: HttpRequest): Promise<HttpResponse> {
    const c = this.config;
    // Consul: agent:read on this agent's node name.
    const authz = await this.authorizer.resolve(req.token);
    require(authz, 'agent', c.nodeName, 'read');
    const member = this.membership
      ? memberJson(this.membership.localMember('lan'))
      : {
          Name: c.nodeName,
          Addr: c.advertiseAddr,
          Port: c.ports.serfLan,
          Tags: { dc: c.datacenter, id: c.nodeId, role: c.server ? 'consul' : 'node', build: CONSUL_COMPAT_VERSION },
          Status: 1,
          ProtocolMin: 1,
          ProtocolMax: 5,
          ProtocolCur: 2,
          DelegateMin: 2,
          DelegateMax: 5,
          DelegateCur: 4,
        };
    return {
      body: {
        Config: {
          Datacenter: c.datacenter,
          PrimaryDatacenter: c.primaryDatacenter,
          NodeName: c.nodeName,
          NodeID: c.nodeId,
          Server: c.server,
          Revision: `proconsul-${PROCONSUL_VERSION}`,
          Version: CONSUL_COMPAT_VERSION,
          BuildDate: '',
          // Consul before 1.0 returned its whole config here, and clients still read the ports from it.
          Ports: {
            DNS: c.ports.dns,
            HTTP: c.ports.http,
            HTTPS: c.ports.https,
            SerfLan: c.ports.serfLan,
            SerfWan: c.ports.serfWan,
            Server: c.ports.server,
          },
        },
        DebugConfig: debugConfig(c),
        Coord: { Vec: [0, 0, 0, 0, 0, 0, 0, 0], Error: 1.5, Adjustment: 0, Height: 1e-5 },
        Member: member,
        Stats: {
          agent: this.agentStats(),
          build: { prerelease: '', revision: `proconsul-${PROCONSUL_VERSION}`, version: CONSUL_COMPAT_VERSION },
          consul: {
            server: String(c.server),
            bootstrap: String(c.bootstrap),
            known_datacenters: '1',
            leader: String(this.consensus?.isLeader() ?? false),
            leader_addr: this.consensus?.leader()?.address ?? '',
          },
          raft: this.consensus?.stats() ?? {},
          // Our own version: Stats is Consul's free-form map, so clients comparing top-level keys are unaffected.
          proconsul: { version: PROCONSUL_VERSION },
          // Service IDs seen on several nodes at a registration: ID → comma-joined nodes
          // (only what this token may read). Free-form Stats again, so Consul's shape holds.
          proconsul_duplicate_services: this.duplicateStats(authz),
          runtime: {
            arch: process.arch,
            os: process.platform,
            version: process.version,
            cpu_count: String((await import('node:os')).availableParallelism()),
          },
        },
        Meta: { 'consul-network-segment': '' },
      },
    };
  }

  private duplicateStats(authz: Authorization): Record<string, string> {
    const out: Record<string, string> = {};
    for (const d of this.duplicates?.list() ?? []) {
      if (!authz.allowed('service', d.service, 'read')) continue;
      out[d.serviceId] = d.nodes.filter((n) => authz.allowed('node', n, 'read')).join(',');
    }
    return out;
  }

  /** Consul's Stats.agent: local registrations by kind (monitors = active checks, ttls = TTL checks). */
  private agentStats(): Record<string, string> {
    const checks = this.local?.state.checks() ?? [];
    const ttls = checks.filter((c) => c.check.Type === 'ttl').length;
    const monitors = checks.filter((c) => c.definition && c.check.Type !== 'ttl').length;
    return {
      check_monitors: String(monitors),
      check_ttls: String(ttls),
      checks: String(checks.length),
      services: String(this.local?.state.services().length ?? 0),
    };
  }
}
