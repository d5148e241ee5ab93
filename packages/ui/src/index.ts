import { ContainerModule } from 'inversify';
import { HttpEndpoint, NotFound, type HttpEndpoint as Endpoint, type ProconsulPlugin } from '@proconsul/kernel';
import { loadUiAssets } from './ui-assets.js';

export { loadUiAssets } from './ui-assets.js';

/**
 * The web UI at /ui/ (with `-ui`, `ui_config.enabled`, or `-dev`): static files that use
 * the public HTTP API and nothing else, so what the UI shows is exactly what a client with
 * the same token would see. Unlike Consul's UI it asks for an ACL token up front and sends
 * it on every request (kept in the browser's localStorage), instead of relying on a proxy.
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
      const assets = loadUiAssets();
      const serve = async (name: string) => {
        const a = assets.get(name);
        if (!a) throw NotFound(`no such UI file: ${name}`);
        // The UI is tiny and changes with the agent's version: never cache stale copies.
        return { body: a.body, headers: { 'Content-Type': a.contentType, 'Cache-Control': 'no-cache' } };
      };
      const endpoints: Endpoint[] = [
        {
          method: 'GET',
          path: '/',
          handle: async () => ({ status: 301, body: '', headers: { Location: '/ui/' } }),
        },
        { method: 'GET', path: '/ui/', handle: () => serve('index.html') },
        {
          method: 'GET',
          path: '/ui/*file',
          // Client-side routes (/ui/services/web) get the app; only real asset names get files.
          handle: (req) => serve(assets.has(req.params['file'] ?? '') ? req.params['file']! : 'index.html'),
        },
        // After /ui/: the router would otherwise also match /ui/ here and redirect forever.
        { method: 'GET', path: '/ui', handle: async () => ({ status: 301, body: '', headers: { Location: '/ui/' } }) },
      ];
      for (const e of endpoints) bind<Endpoint>(HttpEndpoint).toConstantValue(e);
    }),
};
export default plugin;
