import { createHash } from 'node:crypto';
import { defineError, type Authorizer, type ClusterRpcPort, type Logger } from '@proconsul/kernel';
import type { StreamTopic } from './stream-topic.js';
import type { StreamTuning } from './stream-tuning.js';
import { StreamUpstream } from './stream-upstream.js';

const AgentStopping = defineError('STREAM_AGENT_STOPPING', 503, () => 'Agent is shutting down; no new streams');

/**
 * This agent's upstreams, one per topic and token: many local subscribers of the same
 * subscription share one blocking-read loop (and one upstream connection from a client agent).
 * The token is part of the identity because what a subscriber sees is filtered by it; the map
 * keeps a digest, never the secret.
 */
export class StreamHub {
  private readonly upstreams = new Map<string, StreamUpstream>();
  private closed = false;

  constructor(
    private readonly deps: { readonly rpc: ClusterRpcPort; readonly authorizer: Authorizer; readonly log: Logger },
    readonly tuning: StreamTuning,
  ) {}

  /** The shared upstream of this topic and token, started if needed. Throws once the agent is stopping. */
  upstream(topic: StreamTopic, token: string | undefined): StreamUpstream {
    if (this.closed) throw AgentStopping();
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

  /** Ends every stream and refuses new ones (the agent is stopping). */
  closeAll(): void {
    this.closed = true;
    for (const u of [...this.upstreams.values()]) u.close();
  }
}
