import { statSync } from 'node:fs';
import { isCoded } from '@proconsul/kernel';
import { buildRuntimeConfig, parseFormat, type ConfigFormat, readConfigSources } from '@proconsul/config';
import { defineCommand } from './support/define-command.js';

/**
 * Consul's `validate`: reads config files and directories exactly as `agent` would (same
 * reader, same strict keys, same semantic checks) and starts nothing. data_dir is not
 * required, since a deployment often gives it as a flag.
 */
export const validateCommand = defineCommand({
  name: 'validate',
  synopsis: 'Validate config files/directories',
  usage: 'validate [options] FILE_OR_DIRECTORY...',
  description: `Performs a thorough sanity test on Proconsul configuration files. For each file
or directory given, the command parses the contents just as "proconsul agent" would
(JSON and HCL, unknown keys refused, values checked) and reports any error with its
file, line and key. Nothing is started. Exits 0 when the configuration is valid.`,
  http: 'none',
  flags: [
    {
      name: 'config-format',
      kind: 'string',
      usage: 'Config files are in this format irrespective of their extension. Must be "hcl" or "json".',
      value: '<string>',
    },
    { name: 'quiet', kind: 'bool', usage: 'When given, a successful run produces no output.' },
  ],
  async run({ flags, args, io }) {
    if (args.length === 0) {
      io.err('Must specify at least one config file or directory');
      return 1;
    }
    const files: string[] = [];
    const dirs: string[] = [];
    const warnings: string[] = [];
    try {
      const format: ConfigFormat | undefined = flags.string('config-format')
        ? parseFormat(flags.string('config-format'))
        : undefined;
      for (const a of args) (isDirectory(a) ? dirs : files).push(a);
      const sources = readConfigSources(files, dirs, (w) => warnings.push(w), format);
      buildRuntimeConfig({ dev: false, requireDataDir: false, sources, warn: (w) => warnings.push(w) });
    } catch (e) {
      io.err(`Config validation failed: ${isCoded(e) ? e.message : String(e)}`);
      return 1;
    }
    for (const w of warnings) io.err(`[WARN] ${w}`);
    if (!flags.bool('quiet')) io.out('Configuration is valid!');
    return 0;
  },
});

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
