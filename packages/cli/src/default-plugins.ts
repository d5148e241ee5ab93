import { fileURLToPath } from 'node:url';

/**
 * The standard deployments ship inside this package (its `files`), so an installed CLI finds
 * them without the repository; `-plugins` / plugins_file picks another. The repository root
 * keeps identical copies as documented examples (default-plugins.test.ts keeps them equal).
 */
export const DEFAULT_PLUGINS_FILE = fileURLToPath(new URL('../plugins.json', import.meta.url));
export const DEV_PLUGINS_FILE = fileURLToPath(new URL('../plugins.memory.json', import.meta.url));
/** A client agent's list (`-plugins`): no consensus, no storage engine; every request is forwarded to a server. */
export const CLIENT_PLUGINS_FILE = fileURLToPath(new URL('../plugins.client.json', import.meta.url));
