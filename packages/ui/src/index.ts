import { ContainerModule } from 'inversify';
import {
  ConfigInvalid,
  HttpEndpoint,
  NotFound,
  type HttpEndpoint as Endpoint,
  type HttpResponse,
  type ProconsulPlugin,
} from '@proconsul/kernel';
import { loadUiAssets, rebaseAssets } from './ui-assets.js';
import { UiDirectory } from './ui-dir.js';

export { loadUiAssets } from './ui-assets.js';

/**
 * The web UI under `ui_config.content_path` (default /ui/; with `-ui`, `ui_config.enabled`,
 * or `-dev`): static files that use the public HTTP API and nothing else, so what the UI
 * shows is exactly what a client with the same token would see. Unlike Consul's UI it asks
 * for an ACL token up front and sends it on every request (kept in the browser's
 * localStorage), instead of relying on a proxy. `ui_config.dir` serves another build (a
 * customised one, or Consul's own) from disk instead.
 */
const plugin: ProconsulPlugin = {
  manifest: {
    name: 'ui',
    version: '0.1.0',
    provides: ['http-endpoint:ui'],
    requires: [],
    configSchema: { type: 'object', additionalProperties: false },
  },
  createModule: (_config, { config }) =>
    new ContainerModule(({ bind }) => {
      if (!config.ui) return;
      const base = config.uiContentPath;
      const file = uiFiles(config.uiDir, base);
      const serve = async (name: string): Promise<HttpResponse> => {
        const a = (await file(name)) ?? (await file('index.html'));
        if (!a) throw NotFound(`no such UI file: ${name}`);
        // The UI changes with the agent's version (or on disk): never cache stale copies.
        return { body: a.body, headers: { 'Content-Type': a.contentType, 'Cache-Control': 'no-cache' } };
      };
      const redirect = async (): Promise<HttpResponse> => ({ status: 301, body: '', headers: { Location: base } });
      const endpoints: Endpoint[] = [
        { method: 'GET', path: base, handle: () => serve('index.html') },
        // Client-side routes (/ui/services/web) are not files: they get the app (index.html).
        { method: 'GET', path: `${base}*file`, handle: (req) => serve(req.params['file'] ?? '') },
      ];
      if (base !== '/') {
        endpoints.unshift({ method: 'GET', path: '/', handle: redirect });
        // After the wildcard: the router would otherwise also match `base` here and redirect forever.
        endpoints.push({ method: 'GET', path: base.slice(0, -1), handle: redirect });
      }
      for (const e of endpoints) bind<Endpoint>(HttpEndpoint).toConstantValue(e);
    }),
};
export default plugin;

/** The lookup for one file name: from ui_config.dir when set, else the built-in assets. */
function uiFiles(dir: string, base: string) {
  if (dir) {
    const d = new UiDirectory(dir);
    const problem = d.problem();
    if (problem) throw ConfigInvalid('configuration', 'ui_config.dir', problem);
    return (name: string) => d.read(name);
  }
  const assets = rebaseAssets(loadUiAssets(), base);
  return async (name: string) => assets.get(name);
}
