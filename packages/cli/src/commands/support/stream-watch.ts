import { StreamDeniedError, StreamRequestError, subscribe, type Topic } from '@proconsul/stream-client';
import type { ConsulHttpClient } from '../../http-client.js';
import type { CliIo } from './cli-io.js';
import { runWatchHandler } from './child-process.js';
import { shutdownSignal } from './shutdown-signal.js';

export interface StreamWatchPlan {
  readonly topic: Topic;
  readonly prefix?: string;
  readonly service?: string;
  readonly passing?: boolean;
}

/** `watch -stream`: the watch types a change stream serves, as its topic. Throws a message naming the flag. */
export function planStreamWatch(p: {
  type: string;
  prefix?: string | undefined;
  service?: string | undefined;
  passingonly?: string | undefined;
}): StreamWatchPlan {
  switch (p.type) {
    case 'keyprefix':
      return { topic: 'kv', prefix: p.prefix ?? '' };
    case 'service':
      if (!p.service) throw new Error('Must specify a single service to watch');
      return { topic: 'service-health', service: p.service, passing: p.passingonly === 'true' };
    case 'services':
      return { topic: 'services' };
    case 'all':
      return { topic: 'all' };
    default:
      throw new Error(`-stream supports -type keyprefix, service, services and all, not "${p.type}"`);
  }
}

/**
 * Follows a change stream until interrupted: each event as one JSON line on stdout, or, with a
 * handler, the handler run once per event with that line on stdin (CONSUL_INDEX set when the
 * event has an index). Reconnects are reported on stderr; a denied token ends with exit 1.
 */
export async function runStreamWatch(
  plan: StreamWatchPlan,
  client: ConsulHttpClient,
  io: CliIo,
  handler: { readonly args: readonly string[]; readonly shell: boolean } | undefined,
): Promise<number> {
  const stop = shutdownSignal(io.signal);
  try {
    // The same address, token and TLS settings (-ca-file, -client-cert, …) as every other command.
    const { baseUrl, token, tls } = client.options;
    const events = subscribe({
      addr: baseUrl,
      ...plan,
      ...(token ? { token } : {}),
      ...(tls ? { tls: { ...tls, ...(tls.ca ? { ca: [...tls.ca] } : {}) } } : {}),
      signal: stop.signal,
    });
    for await (const ev of events) {
      if (ev.type === 'reconnecting') {
        io.err(`Stream interrupted: ${ev.error}, reconnecting in ${(ev.delayMs / 1000).toFixed(1)}s`);
        continue;
      }
      const line = JSON.stringify(ev);
      if (!handler || handler.args.length === 0) {
        io.out(line);
        continue;
      }
      const index = 'index' in ev && ev.index !== undefined ? { CONSUL_INDEX: String(ev.index) } : {};
      const failed = await runWatchHandler(
        handler.args,
        { shell: handler.shell, env: { ...process.env, ...io.env, ...index } },
        line + '\n',
      );
      if (failed) {
        io.err(failed);
        return 1;
      }
    }
    return 0;
  } catch (e) {
    if (e instanceof StreamDeniedError || e instanceof StreamRequestError) {
      io.err(`Error: ${e.message}`);
      return 1;
    }
    throw e;
  } finally {
    stop.dispose();
  }
}
