import { ContainerModule } from 'inversify';
import {
  ApiFrontend,
  HttpEndpoint,
  Lifecycle,
  Logger,
  RuntimeConfig,
  TlsConfigurator,
  type ProconsulPlugin,
} from '@proconsul/kernel';
import type { ResolutionContext } from 'inversify';
import { createHttpApp, type HttpApp } from './http-app.js';
import { HttpServer } from './http-server.js';
import { AgentSelfEndpoint } from './endpoints/agent-self-endpoint.js';
import { AgentCache } from './endpoints/agent-cache.js';
import { DuplicateServices } from './endpoints/duplicate-services.js';
import { builtinAppOptions, builtinEndpoints, streamHub } from './builtin-endpoints.js';
import { StreamHub } from './stream/stream-hub.js';

export { createHttpApp, type HttpApp, type HttpAppOptions } from './http-app.js';
export { HttpServer } from './http-server.js';
export { builtinEndpoints } from './builtin-endpoints.js';
export { injectHttp, type InjectRequest, type InjectResponse } from './inject.js';

/** Endpoint classes this plugin contributes to the HttpEndpoint extension point. */
export const BUILTIN_ENDPOINTS = [AgentSelfEndpoint] as const;

/** Container key of the HTTPS instance of HttpServer (the class itself keys the plain one). */
const HttpsListener = Symbol.for('proconsul.api-http.HttpsListener');

const plugin: ProconsulPlugin = {
  manifest: {
    name: 'api-http',
    version: '0.1.0',
    provides: ['api-frontend', 'http-endpoints'],
    requires: [],
    configSchema: { type: 'object', additionalProperties: false, properties: {} },
  },
  createModule: () =>
    new ContainerModule(({ bind }) => {
      bind(DuplicateServices).toConstantValue(new DuplicateServices());
      // One cache per agent; its background watches end when the agent stops.
      const cache = new AgentCache();
      bind(AgentCache).toConstantValue(cache);
      bind<Lifecycle>(Lifecycle).toConstantValue({
        name: 'agent-cache',
        stopping: () => cache.close(),
        stop: () => cache.close(),
      });
      // One set of change-stream upstreams per agent; every stream ends when shutdown begins.
      bind(StreamHub)
        .toDynamicValue((ctx) => streamHub(ctx))
        .inSingletonScope();
      bind<Lifecycle>(Lifecycle).toDynamicValue((ctx) => {
        const hub = ctx.get<StreamHub>(StreamHub);
        return { name: 'change-streams', stopping: () => hub.closeAll(), stop: () => hub.closeAll() };
      });
      for (const E of BUILTIN_ENDPOINTS) bind<HttpEndpoint>(HttpEndpoint).to(E);
      // One request listener for both listeners, built lazily at start so plugins loaded later contribute endpoints.
      let app: HttpApp | undefined;
      const appOnce = (ctx: ResolutionContext, log: Logger) => () =>
        (app ??= createHttpApp(
          [...builtinEndpoints(ctx), ...ctx.getAll<HttpEndpoint>(HttpEndpoint)],
          log,
          builtinAppOptions(ctx),
        ));
      bind(HttpServer)
        .toDynamicValue((ctx) => {
          const config = ctx.get<RuntimeConfig>(RuntimeConfig);
          const log = ctx.get<Logger>(Logger).named('http');
          return new HttpServer({ app: appOnce(ctx, log), hosts: config.clientAddrs, port: config.ports.http, log });
        })
        .inSingletonScope();
      bind(HttpsListener)
        .toDynamicValue((ctx) => {
          const config = ctx.get<RuntimeConfig>(RuntimeConfig);
          const log = ctx.get<Logger>(Logger).named('http');
          const tls = ctx.get<TlsConfigurator>(TlsConfigurator);
          // The config builder refuses ports.https without a certificate, so this is consistent.
          const port = tls.httpsServer() ? config.ports.https : -1;
          return new HttpServer({ app: appOnce(ctx, log), hosts: config.httpsAddrs, port, log, tls });
        })
        .inSingletonScope();
      bind<ApiFrontend>(ApiFrontend).toService(HttpServer);
      bind<Lifecycle>(Lifecycle).toService(HttpServer);
      bind<ApiFrontend>(ApiFrontend).toService(HttpsListener);
      bind<Lifecycle>(Lifecycle).toService(HttpsListener);
    }),
};
export default plugin;
