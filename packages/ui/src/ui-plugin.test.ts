import { expect } from 'chai';
import { Container } from 'inversify';
import { buildRuntimeConfig, HttpEndpoint, NullLogger, type HttpRequest, type RuntimeConfig } from '@proconsul/kernel';
import plugin from './index.js';

function endpoints(ui: boolean): HttpEndpoint[] {
  const config: RuntimeConfig = { ...buildRuntimeConfig({ dev: true, sources: [], warn: () => {} }), ui } as RuntimeConfig;
  const c = new Container();
  c.load(plugin.createModule({}, { config, logger: new NullLogger() }));
  return c.isBound(HttpEndpoint) ? c.getAll<HttpEndpoint>(HttpEndpoint) : [];
}

const req = (path: string, params: Record<string, string> = {}) =>
  ({
    method: 'GET',
    path,
    params,
    query: new URLSearchParams(),
    headers: {},
    body: Buffer.alloc(0),
    token: undefined,
    signal: new AbortController().signal,
  }) as HttpRequest;

describe('ui plugin', () => {
  it('serves nothing unless the UI is enabled', () => {
    expect(endpoints(false)).to.deep.equal([]);
  });

  it('redirects / to /ui/, serves the app, its files, and the app again for client-side routes', async () => {
    const eps = endpoints(true);
    const at = (path: string) => eps.find((e) => e.path === path)!;
    const root = await at('/').handle(req('/'));
    expect([root.status, root.headers?.['Location']]).to.deep.equal([301, '/ui/']);
    const index = await at('/ui/').handle(req('/ui/'));
    expect(index.headers?.['Content-Type']).to.equal('text/html; charset=utf-8');
    expect(String(index.body)).to.contain('<main id="app"').and.contain('/ui/app.js');
    const js = await at('/ui/*file').handle(req('/ui/app.js', { file: 'app.js' }));
    expect(js.headers?.['Content-Type']).to.equal('text/javascript; charset=utf-8');
    expect(String(js.body)).to.contain("from './ui-model.js'");
    const deep = await at('/ui/*file').handle(req('/ui/services/web', { file: 'services/web' }));
    expect(String(deep.body)).to.equal(String(index.body));
  });
});
