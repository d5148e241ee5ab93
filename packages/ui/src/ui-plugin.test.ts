import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Container } from 'inversify';
import { HttpEndpoint, NullLogger, type HttpRequest, type RuntimeConfig } from '@proconsul/kernel';
import { buildRuntimeConfig } from '@proconsul/config';
import plugin from './index.js';

function endpoints(ui: boolean, more: Record<string, unknown> = {}): HttpEndpoint[] {
  const built = buildRuntimeConfig({ dev: true, sources: [{ name: 'test', data: more }], warn: () => {} });
  const config: RuntimeConfig = { ...built, ui } as RuntimeConfig;
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

  it('ships under 100 KB of JavaScript, loaded as ES modules without a build step', async () => {
    const eps = endpoints(true);
    const file = async (name: string) =>
      String((await eps.find((e) => e.path === '/ui/*file')!.handle(req(`/ui/${name}`, { file: name }))).body);
    expect(await file('index.html')).to.contain('<script type="module" src="/ui/app.js">');
    const seen = new Set<string>();
    const queue = ['app.js'];
    let bytes = 0;
    while (queue.length) {
      const name = queue.pop()!;
      if (seen.has(name)) continue;
      seen.add(name);
      const js = await file(name);
      bytes += Buffer.byteLength(js);
      for (const m of js.matchAll(/from '\.\/([\w-]+\.js)'/g)) queue.push(m[1]!);
    }
    expect([...seen].sort()).to.include.members(['api.js', 'app.js', 'dom.js', 'ui-model.js', 'views-kv.js']);
    expect(bytes).to.be.below(100 * 1024);
  });

  it('serves under ui_config.content_path, with the built-in links and routes rebased', async () => {
    const eps = endpoints(true, { ui_config: { content_path: 'consul-ui' } });
    const at = (path: string) => eps.find((e) => e.path === path);
    expect(at('/ui/'), 'nothing left at /ui/').to.equal(undefined);
    const root = await at('/')!.handle(req('/'));
    expect(root.headers?.['Location']).to.equal('/consul-ui/');
    const index = String((await at('/consul-ui/')!.handle(req('/consul-ui/'))).body);
    expect(index).to.contain('/consul-ui/app.js').and.not.contain('/ui/');
    const model = String((await at('/consul-ui/*file')!.handle(req('/consul-ui/ui-model.js', { file: 'ui-model.js' }))).body);
    expect(model).to.contain("UI_BASE = '/consul-ui/'");
  });

  describe('ui_config.dir', () => {
    let dir: string;
    let outside: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'ui-dir-'));
      outside = mkdtempSync(join(tmpdir(), 'ui-outside-'));
      mkdirSync(join(dir, 'assets'));
      writeFileSync(join(dir, 'index.html'), '<html>custom</html>');
      writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
      writeFileSync(join(dir, 'assets', 'font.woff2'), Buffer.from([0x77, 0x4f, 0x46, 0x32]));
      writeFileSync(join(outside, 'secret.txt'), 'do not serve');
      symlinkSync(join(outside, 'secret.txt'), join(dir, 'link.txt'));
    });
    after(() => {
      rmSync(dir, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    });

    it('serves the directory instead of the built-in UI, nested files with their types, and re-reads changed files', async () => {
      const eps = endpoints(true, { ui_config: { dir } });
      const file = eps.find((e) => e.path === '/ui/*file')!;
      const get = (f: string) => file.handle(req(`/ui/${f}`, { file: f }));
      expect(String((await eps.find((e) => e.path === '/ui/')!.handle(req('/ui/'))).body)).to.equal('<html>custom</html>');
      const js = await get('assets/app.js');
      expect([String(js.body), js.headers?.['Content-Type']]).to.deep.equal(['console.log(1)', 'text/javascript; charset=utf-8']);
      expect((await get('assets/font.woff2')).headers?.['Content-Type']).to.equal('font/woff2');
      writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(2)');
      expect(String((await get('assets/app.js')).body)).to.equal('console.log(2)');
      expect(String((await get('services/web')).body), 'client-side route').to.equal('<html>custom</html>');
    });

    it('never serves a file outside the directory, through .. or a symlink', async () => {
      const file = endpoints(true, { ui_config: { dir } }).find((e) => e.path === '/ui/*file')!;
      for (const f of ['../' + outside.split('/').pop() + '/secret.txt', 'assets/../../etc/passwd', 'link.txt', '/etc/passwd']) {
        const body = String((await file.handle(req(`/ui/${f}`, { file: f }))).body);
        expect(body, f).to.equal('<html>custom</html>');
      }
    });

    it('refuses to start with a directory that does not exist or has no index.html, naming the key', () => {
      expect(() => endpoints(true, { ui_config: { dir: join(dir, 'missing') } })).to.throw(/ui_config\.dir.*ENOENT/);
      expect(() => endpoints(true, { ui_config: { dir: join(dir, 'assets') } })).to.throw(/ui_config\.dir.*index\.html/);
    });
  });
});
