import type { DeregisterCommand, Membership } from '@proconsul/kernel';

/**
 * The Warning for a catalog deregistration of another node that runs an agent (an alive
 * LAN member of that name): its anti-entropy re-registers the node, and restores any
 * service or check it registered itself, so the change does not stick. Every agent — a
 * server answering directly included — knows the owners from gossip; nodes registered
 * through the catalog alone have no agent and get no warning.
 */
export function remoteDeregisterWarning(
  selfNode: string,
  membership: () => Membership | undefined,
): (cmd: DeregisterCommand) => string | undefined {
  return (cmd) => {
    if (cmd.Node === selfNode) return undefined;
    const owner = membership()
      ?.members('lan')
      .find((m) => m.name === cmd.Node && m.status === 'alive');
    if (!owner) return undefined;
    if (cmd.ServiceID) {
      return `node "${cmd.Node}" runs an agent: if it registered service "${cmd.ServiceID}", anti-entropy will restore it; use /v1/agent/service/deregister/${cmd.ServiceID} on that agent`;
    }
    if (cmd.CheckID) {
      return `node "${cmd.Node}" runs an agent: if it registered check "${cmd.CheckID}", anti-entropy will restore it; use /v1/agent/check/deregister/${cmd.CheckID} on that agent`;
    }
    return `node "${cmd.Node}" runs an agent and will be re-registered by anti-entropy`;
  };
}
