import { buildRuntimeConfig } from './config-builder.js';
import { checkConfigData, readConfigSources } from './config-files.js';
import { parseAgentFlags } from './agent-flags.js';
import type { RuntimeConfig } from '@proconsul/kernel';

/** Everything `proconsul agent ARGS` configures: flags, then the files they name. Throws coded errors naming flag, file or key. */
export function loadAgentConfig(args: readonly string[], warn: (msg: string) => void): RuntimeConfig {
  const flags = parseAgentFlags(args);
  const files = readConfigSources(flags.configFiles, flags.configDirs, warn, flags.configFormat);
  const sources = [...files, checkConfigData('command-line flags', flags.data)];
  return buildRuntimeConfig({ dev: flags.dev, sources, warn });
}
