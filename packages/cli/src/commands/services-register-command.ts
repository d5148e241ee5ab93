import { errorText } from '../http-client.js';
import { defineCommand } from './support/define-command.js';
import { servicesFromFiles, type ServiceRegistration } from './support/service-definition.js';

export const servicesRegisterCommand = defineCommand({
  name: 'register',
  synopsis: 'Register services with the local agent',
  usage: 'services register [options] [FILE...]',
  description: `Register one or more services using the local agent API. Services can be
registered from JSON definition files ({"service": {...}} or {"services": [...]})
or using flags. The caller must deregister the service when done.`,
  http: 'client',
  flags: [
    { name: 'address', kind: 'string', value: '<addr>', usage: 'Address of the service to register for arg-based registration.' },
    {
      name: 'id',
      kind: 'string',
      value: '<id>',
      usage: 'ID of the service to register for arg-based registration. Defaults to the -name value.',
    },
    {
      name: 'meta',
      kind: 'map',
      value: '<key=value>',
      usage: 'Metadata to set on the service, formatted as key=value. May be repeated.',
    },
    { name: 'name', kind: 'string', value: '<name>', usage: 'Name of the service to register for arg-based registration.' },
    { name: 'port', kind: 'int', value: '<port>', usage: 'Port of the service to register for arg-based registration.' },
    { name: 'tag', kind: 'list', value: '<tag>', usage: 'Tag to add to the service. May be repeated.' },
  ],
  async run({ flags, args, io, client }) {
    const fromFlags: ServiceRegistration = {
      ID: flags.string('id') || undefined,
      Name: flags.string('name') || undefined,
      Address: flags.string('address') || undefined,
      Port: flags.number('port') || undefined,
      Tags: flags.list('tag').length ? flags.list('tag') : undefined,
      Meta: Object.keys(flags.map('meta')).length ? flags.map('meta') : undefined,
    };
    if (args.length === 0 && !fromFlags.Name) {
      io.err('Service registration requires at least one argument or flags.');
      return 1;
    }
    if (args.length > 0 && fromFlags.Name) {
      io.err('Service registration requires arguments or -id, not both.');
      return 1;
    }
    let services: ServiceRegistration[] = [fromFlags];
    if (args.length > 0) {
      try {
        services = await servicesFromFiles(args);
      } catch (e) {
        io.err(`Error: ${errorText(e)}`);
        return 1;
      }
    }
    for (const svc of services) {
      const body = Object.fromEntries(Object.entries(svc).filter(([, v]) => v !== undefined));
      try {
        await client().put('/v1/agent/service/register', { body });
      } catch (e) {
        io.err(`Error registering service "${svc.Name ?? ''}": ${errorText(e)}`);
        return 1;
      }
      io.out(`Registered service: ${svc.Name ?? ''}`);
    }
    return 0;
  },
});
