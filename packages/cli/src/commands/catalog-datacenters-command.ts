import { attempt, defineCommand } from './support/define-command.js';

export const catalogDatacentersCommand = defineCommand({
  name: 'datacenters',
  synopsis: 'Lists all known datacenters',
  usage: 'catalog datacenters [options]',
  description: 'Retrieves the list of all known datacenters, sorted by estimated round-trip time from this one.',
  http: 'client',
  flags: [],
  async run({ args, io, client }) {
    if (args.length > 0) {
      io.err(`Too many arguments (expected 0, got ${args.length})`);
      return 1;
    }
    const r = await attempt(io, 'Error listing datacenters', () => client().get('/v1/catalog/datacenters'));
    if (!r.ok) return 1;
    const dcs = r.value.json<string[]>();
    if (dcs.length === 0) {
      io.err('No datacenters found');
      return 1;
    }
    for (const dc of dcs) io.out(dc);
    return 0;
  },
});
