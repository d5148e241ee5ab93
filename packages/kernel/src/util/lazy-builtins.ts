import { createRequire } from 'node:module';

/**
 * `node:tls` and `node:https`, loaded on first use. An agent without TLS (most clients) never
 * needs them, and they cost ~0.5 MiB of an idle agent's RSS (their code and the built-ins they
 * pull in; docs/performance.md, "Client agent memory"). Built-ins load synchronously through
 * `require`, so the code that needs them keeps its synchronous shape; node's module cache
 * makes every call after the first a lookup.
 */
const requireBuiltin = createRequire(import.meta.url);

export function nodeTls(): typeof import('node:tls') {
  return requireBuiltin('node:tls') as typeof import('node:tls');
}

export function nodeHttps(): typeof import('node:https') {
  return requireBuiltin('node:https') as typeof import('node:https');
}
