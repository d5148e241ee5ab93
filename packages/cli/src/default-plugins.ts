import { fileURLToPath } from 'node:url';

/** The repository's standard deployments; `-plugins` / plugins_file picks another. */
export const DEFAULT_PLUGINS_FILE = fileURLToPath(new URL('../../../plugins.json', import.meta.url));
export const DEV_PLUGINS_FILE = fileURLToPath(new URL('../../../plugins.memory.json', import.meta.url));
