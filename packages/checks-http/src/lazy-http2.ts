import type * as Http2 from 'node:http2';

export type Http2Module = typeof Http2;

let loaded: Promise<Http2Module> | undefined;

/**
 * node:http2, imported by the first probe that needs it rather than with the plugin: every
 * client agent loads this plugin, few run this check type, and the module costs an agent
 * ~1.4 MiB (its compiled code and nghttp2's state; docs/performance.md, "Client agent memory").
 */
export function http2Module(): Promise<Http2Module> {
  return (loaded ??= import('node:http2'));
}
