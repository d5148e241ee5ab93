import { attempt, defineCommand } from './support/define-command.js';

function compiles(re: string): string | undefined {
  try {
    new RegExp(re);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

export const eventCommand = defineCommand({
  name: 'event',
  synopsis: 'Fire a new event',
  usage: 'event [options] [payload]',
  description: `Dispatches a custom user event across a datacenter. An event must provide
a name, but a payload is optional. Events support filtering using regular
expressions on node name, service, and tag definitions.`,
  http: 'server',
  flags: [
    { name: 'name', kind: 'string', value: '<name>', usage: 'Name of the event.' },
    { name: 'node', kind: 'string', value: '<regexp>', usage: 'Regular expression to filter on node names.' },
    { name: 'service', kind: 'string', value: '<regexp>', usage: 'Regular expression to filter on service instances.' },
    {
      name: 'tag',
      kind: 'string',
      value: '<regexp>',
      usage: 'Regular expression to filter on service tags. Must be used with -service.',
    },
  ],
  async run({ flags, args, io, client }) {
    const name = flags.string('name');
    if (!name) {
      io.err('Event name must be specified');
      return 1;
    }
    for (const f of ['node', 'service', 'tag']) {
      const bad = flags.string(f) ? compiles(flags.string(f)) : undefined;
      if (bad) {
        io.err(`Failed to compile ${f} filter regexp: ${bad}`);
        return 1;
      }
    }
    if (flags.string('tag') && !flags.string('service')) {
      io.err('Cannot provide tag filter without service filter.');
      return 1;
    }
    if (args.length > 1) {
      io.err('Too many command line arguments.');
      return 1;
    }
    const query = {
      node: flags.string('node') || undefined,
      service: flags.string('service') || undefined,
      tag: flags.string('tag') || undefined,
    };
    const r = await attempt(io, 'Error firing event', () =>
      client().put(`/v1/event/fire/${name}`, { query, body: args[0] ?? '' }),
    );
    if (!r.ok) return 1;
    io.out(`Event ID: ${r.value.json<{ ID: string }>().ID}`);
    return 0;
  },
});
