import { createHash } from 'node:crypto';
import type { Authorizer, ClusterRpcPort, Logger } from '@proconsul/kernel';
import type { StreamTopic } from './stream-topic.js';
import type { StreamTuning } from './stream-tuning.js';
import { StreamUpstream } from './stream-upstream.js';

/**
 * This agent's upstreams, one per topic and token: many local subscribers of the same
 * subscription share one blocking-read loop (and one upstream connection from a client agent).
 * The token is part of the identity because what a subscriber sees is filtered by it; the map
 * keeps a digest, never the secret.
 */
export class StreamHub {
  private readonly upstreams = new Map<string, StreamUpstream>();

  constructor(
    private readonly deps: { readonly rpc: ClusterRpcPort; readonly authorizer: Authorizer; readonly log: Logger },
    readonly tuning: StreamTuning,
  ) {}

  upstream(topic: StreamTopic, token: string | undefined): StreamUpstream {
    const id = `${topic.key}\0${createHash('sha256')
      .update(token ?? '')
      .digest('hex')}`;
    const existing = this.upstreams.get(id);
    if (existing && !existing.stopped) return existing;
    const up = new StreamUpstream(topic, token, this.deps, this.tuning, () => {
      if (this.upstreams.get(id) === up) this.upstreams.delete(id);
    });
    this.upstreams.set(id, up);
    return up;
  }

  /** Upstream loops running now (for tests and metrics). */
  get size(): number {
    return this.upstreams.size;
  }

  closeAll(): void {
    for (const u of [...this.upstreams.values()]) u.close();
  }
}
