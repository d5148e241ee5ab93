import { ContainerModule } from 'inversify';
import { ApiFrontend, HttpEndpoint, Lifecycle, Logger, RuntimeConfig, type ProconsulPlugin } from '@proconsul/kernel';
import { createHttpApp } from './http-app.js';
import { HttpServer } from './http-server.js';
import { AgentSelfEndpoint } from './endpoints/agent-self-endpoint.js';
import { builtinEndpoints } from './builtin-endpoints.js';

export { createHttpApp } from './http-app.js';
export { HttpServer } from './http-server.js';
export { builtinEndpoints } from './builtin-endpoints.js';
export { injectHttp, type InjectRequest, type InjectResponse } from './inject.js';

/** Endpoint classes this plugin contributes to the HttpEndpoint extension point. */
export const BUILTIN_ENDPOINTS = [AgentSelfEndpoint] as const;

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
      for (const E of BUILTIN_ENDPOINTS) bind<HttpEndpoint>(HttpEndpoint).to(E);
      bind(HttpServer)
        .toDynamicValue((ctx) => {
          const config = ctx.get<RuntimeConfig>(RuntimeConfig);
          const log = ctx.get<Logger>(Logger).named('http');
          // Endpoints are collected lazily at start, so plugins loaded later contribute too.
          return new HttpServer(
            () => createHttpApp([...builtinEndpoints(ctx), ...ctx.getAll<HttpEndpoint>(HttpEndpoint)], log),
            config.clientAddrs,
            config.ports.http,
            log,
          );
        })
        .inSingletonScope();
      bind<ApiFrontend>(ApiFrontend).toService(HttpServer);
      bind<Lifecycle>(Lifecycle).toService(HttpServer);
    }),
};
export default plugin;
