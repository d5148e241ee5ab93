import { errorText } from '../http-client.js';
import { attempt, defineCommand } from './support/define-command.js';

interface AgentCheck {
  readonly CheckID: string;
  readonly ServiceID: string;
  readonly Notes: string;
}

/** Check IDs the agent registers for maintenance mode (Consul's names). */
export const NODE_MAINT_CHECK = '_node_maintenance';
export const SERVICE_MAINT_PREFIX = '_service_maintenance:';

export const maintCommand = defineCommand({
  name: 'maint',
  synopsis: 'Controls node or service maintenance mode',
  usage: 'maint [options]',
  description: `Places a node or service into maintenance mode: a critical check is
registered so it is excluded from DNS and API queries. With neither -enable
nor -disable, lists what is currently in maintenance.`,
  http: 'client',
  flags: [
    { name: 'disable', kind: 'bool', usage: 'Disable maintenance mode.' },
    { name: 'enable', kind: 'bool', usage: 'Enable maintenance mode.' },
    { name: 'reason', kind: 'string', value: '<text>', usage: 'Text describing the maintenance reason.' },
    { name: 'service', kind: 'string', value: '<id>', usage: 'Control maintenance mode for a specific service ID.' },
  ],
  async run({ flags, io, client }) {
    const enable = flags.bool('enable');
    const disable = flags.bool('disable');
    const reason = flags.string('reason');
    const service = flags.string('service');
    if (enable && disable) {
      io.err('Only one of -enable or -disable may be provided');
      return 1;
    }
    if (!enable && reason) {
      io.err('Reason may only be provided with -enable');
      return 1;
    }
    if (!enable && !disable && service) {
      io.err('Service requires either -enable or -disable');
      return 1;
    }
    const self = await attempt(io, 'Error querying Consul agent', () => client().get('/v1/agent/self'));
    if (!self.ok) return 1;
    const nodeName = self.value.json<{ Config?: { NodeName?: string } }>().Config?.NodeName ?? '';
    if (!enable && !disable) {
      const r = await attempt(io, 'Error getting checks', () => client().get('/v1/agent/checks'));
      if (!r.ok) return 1;
      const checks = Object.values(r.value.json<Record<string, AgentCheck>>());
      for (const c of checks) {
        if (c.CheckID === NODE_MAINT_CHECK) io.out(`Node:\n  Name:   ${nodeName}\n  Reason: ${c.Notes}`);
        else if (c.CheckID.startsWith(SERVICE_MAINT_PREFIX)) io.out(`Service:\n  ID:     ${c.ServiceID}\n  Reason: ${c.Notes}`);
        else continue;
        io.out('');
      }
      return 0;
    }
    const query = { enable: enable ? 'true' : 'false', reason: enable && reason ? reason : undefined };
    const path = service ? `/v1/agent/service/maintenance/${service}` : '/v1/agent/maintenance';
    try {
      await client().put(path, { query });
    } catch (e) {
      io.err(`Error ${enable ? 'enabling' : 'disabling'} ${service ? 'service' : 'node'} maintenance: ${errorText(e)}`);
      return 1;
    }
    const state = enable ? 'enabled' : 'disabled';
    io.out(service ? `Service maintenance is now ${state} for "${service}"` : `Node maintenance is now ${state}`);
    return 0;
  },
});
