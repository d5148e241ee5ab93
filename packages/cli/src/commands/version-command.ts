import { CONSUL_COMPAT_VERSION, PROCONSUL_VERSION } from '@proconsul/kernel';
import type { Command } from '../command.js';

export const versionCommand: Command = {
  name: 'version',
  synopsis: 'Prints the Proconsul version',
  help: 'Usage: proconsul version\n\n  Prints the version and the Consul API version it follows.',
  async run(_args, io) {
    io.out(
      `Proconsul v${PROCONSUL_VERSION}\nConsul API compatibility: v${CONSUL_COMPAT_VERSION}\nProtocol 2 spoken by default, understands 2 to 3`,
    );
    return 0;
  },
};
