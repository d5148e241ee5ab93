import { expect } from 'chai';
import { Container } from 'inversify';
import { GossipEncryption, Lifecycle, Membership, NullLogger, type MembershipEvent, type RuntimeConfig } from '@proconsul/kernel';
import plugin from '../index.js';

/** Test helpers: serf plugin instances on real loopback sockets, built the way the kernel builds them. */

export function runtimeConfig(name: string, addr: string, port: number, over: Partial<RuntimeConfig> = {}): RuntimeConfig {
  const c = {
    dev: false,
    datacenter: 'dc1',
    nodeName: name,
    nodeId: `00000000-0000-0000-0000-00000000000${name.slice(-1)}`,
    bindAddr: addr,
    advertiseAddr: '',
    advertiseAddrWan: '',
    server: false,
    bootstrap: false,
    bootstrapExpect: 0,
    dataDir: '',
    ports: { http: -1, https: -1, dns: -1, serfLan: port, serfWan: -1, server: 8300, grpc: -1 },
    encrypt: '',
    retryJoin: [],
    retryJoinWan: [],
    startJoin: [],
    retryIntervalMs: 200,
    retryMax: 0,
    rejoinAfterLeave: false,
    ...over,
  };
  return c as unknown as RuntimeConfig;
}

export async function agent(
  cfg: RuntimeConfig,
  enc?: GossipEncryption,
): Promise<{ m: Membership; life: Lifecycle; events: MembershipEvent[] }> {
  const container = new Container();
  if (enc) container.bind<GossipEncryption>(GossipEncryption).toConstantValue(enc);
  container.load(plugin.createModule({ profile: 'local' }, { config: cfg, logger: new NullLogger() }));
  const m = container.get<Membership>(Membership);
  const life = container.get<Lifecycle>(Lifecycle);
  expect(life).to.equal(m);
  const events: MembershipEvent[] = [];
  m.subscribe((e) => events.push(e));
  await life.start!();
  return { m, life, events };
}

export async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return cond();
}

export const alive = (m: Membership) =>
  m
    .members('lan')
    .filter((x) => x.status === 'alive')
    .map((x) => x.name)
    .sort();
