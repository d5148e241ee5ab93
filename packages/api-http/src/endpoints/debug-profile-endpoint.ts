import { BadRequest, type HttpEndpoint } from '@proconsul/kernel';
import { DebugProfilingDisabled, ProfileInProgress } from '../http-errors.js';
import { authorize, require, route, type EndpointDeps } from './endpoint-support.js';

const MAX_SECONDS = 300;

/**
 * `GET /debug/pprof/profile?seconds=N`: a CPU profile of this agent over N seconds (default
 * 30), for `proconsul debug`. Served, as Consul serves its pprof handlers, when
 * `enable_debug` is set or ACLs are on, and always behind operator:read. The profile is
 * V8's (`.cpuprofile` JSON, open it in Chrome DevTools or speedscope), not Go's pprof.
 * One at a time: the inspector has one profiler per thread.
 */
export function debugProfileEndpoint(deps: EndpointDeps): HttpEndpoint {
  let running = false;
  return route('GET', '/debug/pprof/profile', async (req) => {
    if (!deps.config.enableDebug && !deps.config.acl.enabled) throw DebugProfilingDisabled();
    require(await authorize(deps, req), 'operator', '', 'read');
    const raw = req.query.get('seconds') ?? '30';
    if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_SECONDS)
      throw BadRequest(`seconds must be a whole number from 1 to ${MAX_SECONDS}, got "${raw}"`);
    // Imported here, not with the endpoint: every agent serves this route and few are profiled.
    const { Session } = await import('node:inspector/promises');
    if (running) throw ProfileInProgress();
    running = true;
    const session = new Session();
    try {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Number(raw) * 1000);
        req.signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
      });
      const { profile } = await session.post('Profiler.stop');
      return {
        body: JSON.stringify(profile),
        headers: { 'Content-Type': 'application/json', 'Content-Disposition': 'attachment; filename="profile.cpuprofile"' },
      };
    } finally {
      session.disconnect();
      running = false;
    }
  });
}
