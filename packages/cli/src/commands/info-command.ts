import { attempt, defineCommand } from './support/define-command.js';

/** Consul's layout: sections sorted by name, "\tkey = value" lines sorted within. */
export function renderInfo(stats: Readonly<Record<string, Readonly<Record<string, unknown>>>>): string {
  const lines: string[] = [];
  for (const section of Object.keys(stats).sort()) {
    lines.push(`${section}:`);
    const values = stats[section]!;
    for (const k of Object.keys(values).sort()) lines.push(`\t${k} = ${String(values[k])}`);
  }
  return lines.join('\n');
}

export const infoCommand = defineCommand({
  name: 'info',
  synopsis: 'Provides debugging information for operators.',
  usage: 'info [options]',
  description: 'Provides debugging information for operators (agent, build, consul, raft, runtime, ...).',
  http: 'client',
  flags: [],
  async run({ io, client }) {
    const r = await attempt(io, 'Error querying agent', () => client().get('/v1/agent/self'));
    if (!r.ok) return 1;
    const self = r.value.json<{ Stats?: Record<string, Record<string, unknown>> }>();
    if (!self.Stats || typeof self.Stats !== 'object') {
      io.err(`Agent response did not contain 'Stats' key: ${JSON.stringify(self).slice(0, 200)}`);
      return 1;
    }
    for (const [k, v] of Object.entries(self.Stats)) {
      if (!v || typeof v !== 'object') {
        io.err(`Got invalid subkey in stats: ${k}`);
        return 1;
      }
    }
    io.out(renderInfo(self.Stats));
    return 0;
  },
});
