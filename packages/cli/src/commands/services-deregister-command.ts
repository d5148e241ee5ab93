import { errorText } from '../http-client.js';
import { defineCommand } from './support/define-command.js';
import { servicesFromFiles, type ServiceRegistration } from './support/service-definition.js';

export const servicesDeregisterCommand = defineCommand({
  name: 'deregister',
  synopsis: 'Deregister services with the local agent',
  usage: 'services deregister [options] [FILE...]',
  description: `Deregister one or more services that were previously registered with the
local agent, by -id or by the definition files used to register them.`,
  http: 'client',
  flags: [{ name: 'id', kind: 'string', value: '<id>', usage: 'ID to delete. This must not be set if arguments are given.' }],
  async run({ flags, args, io, client }) {
    const id = flags.string('id');
    if (args.length === 0 && !id) {
      io.err('Service deregistration requires at least one argument or -id.');
      return 1;
    }
    if (args.length > 0 && id) {
      io.err('Service deregistration requires arguments or -id, not both.');
      return 1;
    }
    let services: ServiceRegistration[] = [{ ID: id }];
    if (args.length > 0) {
      try {
        services = await servicesFromFiles(args);
      } catch (e) {
        io.err(`Error: ${errorText(e)}`);
        return 1;
      }
    }
    for (const svc of services) {
      const target = svc.ID || svc.Name;
      if (!target) continue;
      try {
        await client().put(`/v1/agent/service/deregister/${target}`);
      } catch (e) {
        io.err(`Error deregistering service "${target}": ${errorText(e)}`);
        return 1;
      }
      io.out(`Deregistered service: ${target}`);
    }
    return 0;
  },
});
