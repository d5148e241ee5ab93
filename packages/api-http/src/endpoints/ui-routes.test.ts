import { expect } from 'chai';
import { join } from 'node:path';
import { importPlugin } from '@proconsul/kernel';
import { repoRoot } from '@proconsul/kernel/testing';
import { startInProcessAgent } from '../test-support/in-process-agent.js';

describe('web UI routes through the HTTP app (ui plugin)', () => {
  it('redirects / and /ui to /ui/ once, serves the app at /ui/ and for client routes, leaves /v1 alone', async () => {
    const ui = await importPlugin('@proconsul/ui', join(repoRoot(), 'plugins.json'));
    const a = await startInProcessAgent({ ui: true }, { plugins: [ui] });
    try {
      for (const path of ['/', '/ui']) {
        const r = await a.http(path);
        expect([r.status, r.headers['location']], path).to.deep.equal([301, '/ui/']);
      }
      for (const path of ['/ui/', '/ui/services/web', '/ui/kv/app/']) {
        const r = await a.http(path);
        expect(r.status, path).to.equal(200);
        expect(r.text, path).to.contain('<main id="app"');
      }
      expect((await a.http('/ui/app.css')).headers['content-type']).to.equal('text/css; charset=utf-8');
      expect((await a.http('/v1/catalog/services')).status).to.equal(200);
    } finally {
      await a.stop();
    }
  });
});
