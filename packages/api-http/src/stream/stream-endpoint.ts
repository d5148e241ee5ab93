import { BadRequest, PermissionDenied, type HttpEndpoint, type HttpRequest } from '@proconsul/kernel';
import { authorize, checkDatacenter, route, type EndpointDeps } from '../endpoints/endpoint-support.js';
import { SseSubscriber } from './sse-subscriber.js';
import type { StreamHub } from './stream-hub.js';
import { parseTopic } from './stream-topic.js';

/**
 * `GET /v1/stream?topic=…` (beyond Consul): Server-Sent Events of one subscription — a
 * snapshot (`upsert` events, then `snapshot-done` with the index), then `upsert`/`delete`
 * events whose `id` is the raft index. `Last-Event-ID` (or `?index=`) resumes. The token needs
 * read on the topic's resource; items are filtered as the equivalent list endpoint filters
 * them. Returns at once; the body streams until the client leaves or the token is denied.
 */
export function streamEndpoint(deps: EndpointDeps, hub: StreamHub): HttpEndpoint {
  return route('GET', '/v1/stream', async (req) => {
    const topic = parseTopic(req);
    const resumeFrom = resumeIndex(req);
    checkDatacenter(req, deps.config);
    const authz = await authorize(deps, req);
    if (!topic.permitted(authz)) throw PermissionDenied(`token may not read topic ${req.query.get('topic')}`);
    const upstream = hub.upstream(topic, req.token);
    const sub = new SseSubscriber(upstream, hub.tuning.maxBufferedBytes);
    upstream.attach(sub, resumeFrom, req.signal);
    return {
      body: sub.out,
      headers: { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', 'X-Accel-Buffering': 'no' },
    };
  });
}

function resumeIndex(req: HttpRequest): number | undefined {
  const v = req.headers['last-event-id'] || req.query.get('index') || undefined;
  if (v === undefined) return undefined;
  if (!/^\d{1,15}$/.test(v)) throw BadRequest(`Invalid Last-Event-ID or ?index: "${v.slice(0, 40)}" is not a raft index`);
  return Number(v);
}
