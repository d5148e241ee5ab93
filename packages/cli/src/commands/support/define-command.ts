import type { Command } from '../../command.js';
import { isCoded } from '@proconsul/kernel';
import { ConsulHttpClient, HTTP_CLIENT_FLAGS, HTTP_SERVER_FLAGS, errorText, resolveHttpOptions } from '../../http-client.js';
import type { CliIo } from './cli-io.js';
import { parseFlags, type FlagSpec, type ParsedFlags } from './flag-set.js';

export interface CommandContext {
  readonly flags: ParsedFlags;
  /** Positional arguments (after the flags). */
  readonly args: readonly string[];
  readonly io: CliIo;
  /** Builds the client from -http-addr/-token/... and the environment; throws coded errors. */
  client(): ConsulHttpClient;
}

export interface CommandDefinition {
  /** The word after its parent (`get` for `kv get`). */
  readonly name: string;
  readonly synopsis: string;
  /** `kv get [options] [KEY_OR_PREFIX]` (after "proconsul "). */
  readonly usage: string;
  readonly description: string;
  readonly flags: readonly FlagSpec[];
  /** Which shared HTTP flags the command takes: 'server' adds -datacenter and -stale. */
  readonly http: 'none' | 'client' | 'server';
  run(ctx: CommandContext): Promise<number>;
}

/** Turns a definition into a Command: flag parsing, help text and the shared error exits. */
export function defineCommand(def: CommandDefinition): Command {
  const httpFlags =
    def.http === 'none' ? [] : def.http === 'client' ? HTTP_CLIENT_FLAGS : [...HTTP_CLIENT_FLAGS, ...HTTP_SERVER_FLAGS];
  const allFlags = [...def.flags, ...httpFlags];
  const help = renderHelp(def, httpFlags);
  return {
    name: def.name,
    synopsis: def.synopsis,
    help,
    async run(argv, io) {
      let flags: ParsedFlags;
      try {
        flags = parseFlags(allFlags, argv);
      } catch (e) {
        if (!isCoded(e)) throw e;
        io.err(`${e.message}\n\n${help}`);
        return 1;
      }
      let client: ConsulHttpClient | undefined;
      const ctx: CommandContext = {
        flags,
        args: flags.args,
        io,
        client: () => (client ??= new ConsulHttpClient(resolveHttpOptions(flags, io.env))),
      };
      try {
        return await def.run(ctx);
      } catch (e) {
        // Commands report the errors they expect with their own wording; this is the backstop.
        io.err(`Error: ${errorText(e)}`);
        return 1;
      }
    },
  };
}

function renderHelp(def: CommandDefinition, httpFlags: readonly FlagSpec[]): string {
  const section = (title: string, flags: readonly FlagSpec[]) =>
    flags.length === 0
      ? ''
      : `\n\n${title}\n\n` +
        flags
          .map((f) => {
            const shown = f.default !== undefined && f.default !== '' && f.default !== false && !/default/i.test(f.usage);
            const value = f.kind === 'bool' ? '' : '=' + (f.value ?? '<value>');
            return `  -${f.name}${value}\n     ${f.usage}${shown ? ` Default: ${String(f.default)}.` : ''}`;
          })
          .join('\n\n');
  return `Usage: proconsul ${def.usage}\n\n  ${def.description.trim().replace(/\n/g, '\n  ')}${section('HTTP API Options', httpFlags)}${section('Command Options', def.flags)}`;
}

/** Wraps a client call with Consul's per-command error prefix; returns undefined after printing. */
export async function attempt<T>(
  io: CliIo,
  prefix: string,
  fn: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false }> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    io.err(`${prefix}: ${errorText(e)}`);
    return { ok: false };
  }
}
