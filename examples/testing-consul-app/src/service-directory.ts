import Consul from 'consul';

/** Where the app finds Consul: what CONSUL_HTTP_ADDR holds ("host:port"). */
export function consulFromAddr(addr: string, token?: string): Consul {
  const i = addr.lastIndexOf(':');
  return new Consul({ host: addr.slice(0, i), port: Number(addr.slice(i + 1)), ...(token ? { defaults: { token } } : {}) });
}

export interface Instance {
  readonly address: string;
  readonly port: number;
}

/**
 * The app's view of service discovery: announce this instance with a TTL health check it
 * heartbeats, and find the healthy instances of the services it calls.
 */
export class ServiceDirectory {
  constructor(private readonly consul: Consul) {}

  /** Registers this instance; its check starts critical until the first heartbeat. */
  async announce(name: string, id: string, address: string, port: number): Promise<void> {
    await this.consul.agent.service.register({
      name,
      id,
      address,
      port,
      check: { name: `${name} heartbeat`, ttl: '15s', timeout: '1s' },
    });
  }

  async heartbeat(id: string): Promise<void> {
    await this.consul.agent.check.pass(`service:${id}`);
  }

  async markUnhealthy(id: string, why: string): Promise<void> {
    await this.consul.agent.check.fail({ id: `service:${id}`, note: why });
  }

  /** The instances of `name` whose every check passes, in a stable order. */
  async healthy(name: string): Promise<Instance[]> {
    const entries = (await this.consul.health.service({ service: name, passing: true })) as {
      Node: { Address: string };
      Service: { Address: string; Port: number };
    }[];
    return entries
      .map((e) => ({ address: e.Service.Address || e.Node.Address, port: e.Service.Port }))
      .sort((a, b) => a.address.localeCompare(b.address) || a.port - b.port);
  }
}
