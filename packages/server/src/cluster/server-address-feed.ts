import type { Consensus, Membership, RuntimeConfig } from '@proconsul/kernel';
import { asServer } from './server-members.js';

/**
 * Keeps consensus told where every alive server of our datacenter is, as gossip sees
 * them (see Consensus.learnAddresses). Runs on every membership change; cheap.
 */
export function feedServerAddresses(config: RuntimeConfig, consensus: Consensus, membership: Membership): () => void {
  const learn = consensus.learnAddresses?.bind(consensus);
  if (!learn) return () => {};
  const feed = () => {
    const servers = [];
    for (const m of membership.members('lan')) {
      if (m.status !== 'alive') continue;
      const s = asServer(m, config.datacenter);
      if (s) servers.push({ id: s.id, node: s.node, address: s.address });
    }
    learn(servers);
  };
  const off = membership.subscribe((e) => {
    if (e.type === 'member-join' || e.type === 'member-update') feed();
  });
  feed();
  return off;
}
