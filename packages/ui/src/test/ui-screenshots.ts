/**
 * `npm run ui:screenshots`: starts a dev agent with ACLs and real seeded data, opens every
 * main screen in Debian's chromium and writes PNGs into $UI_SCREENSHOTS_DIR (default
 * ui-screenshots/). A reviewer looks at these instead of starting an agent by hand.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT_TOKEN, call, chromiumMissing, launchBrowser, seedCatalog, seedKv, startAgent } from './ui-harness.js';

const IP = process.env['UI_SCREENSHOTS_IP'] ?? '127.0.41.200';
const out = resolve(process.env['UI_SCREENSHOTS_DIR'] ?? 'ui-screenshots');

async function main(): Promise<number> {
  const missing = chromiumMissing();
  if (missing) {
    console.error(`ui:screenshots: ${missing}`);
    return 1;
  }
  mkdirSync(out, { recursive: true });
  const agent = await startAgent(IP, { acl: true, node: 'dev-server' });
  const browser = await launchBrowser();
  try {
    await seedCatalog(agent, ROOT_TOKEN);
    await seedKv(agent, ROOT_TOKEN);
    const policy = {
      Name: 'app-read',
      Description: 'Read app/ keys and all services',
      Rules: 'key_prefix "app/" { policy = "read" }\nservice_prefix "" { policy = "read" }',
    };
    await call(agent, 'PUT', '/v1/acl/policy', policy, ROOT_TOKEN);
    await call(agent, 'PUT', '/v1/acl/token', { Description: 'CI deployer', Policies: [{ Name: 'app-read' }] }, ROOT_TOKEN);
    const page = await browser.context.newPage();
    await page.addInitScript(`localStorage.setItem('proconsul.token', ${JSON.stringify(ROOT_TOKEN)})`);
    const base = `${agent.url}/ui`;
    const shot = async (name: string, p: Page = page) => {
      const path = `${out}/${name}.png`;
      await p.screenshot({ path, fullPage: true });
      console.log(path);
    };
    const visit = async (path: string, ready: string) => {
      await page.goto(`${base}/${path}`);
      await page.getByText(ready).first().waitFor();
    };
    await visit('services', 'web');
    await shot('services');
    await visit('services/web', 'HTTP /health');
    await shot('service');
    await visit('services/web/instances/web-2/web-2-http', 'database connection refused');
    await shot('instance');
    await visit('nodes/db-1', 'Disk space');
    await shot('node');
    await visit('nodes', 'web-2');
    await shot('nodes');
    await visit('kv/app/config/', 'database.json');
    await shot('kv-folder');
    await visit('kv/app/config/database.json', 'ModifyIndex');
    await page.getByRole('radio', { name: 'JSON' }).click();
    await shot('kv-editor');
    await page.locator('textarea').fill('{\n  "host": "db-2",\n  "port": 5432\n}');
    await call(agent, 'PUT', '/v1/kv/app/config/database.json', '{"host":"db-3","port":6432}', ROOT_TOKEN);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('This key changed since you opened it').waitFor();
    await shot('kv-cas-conflict');
    await visit('acl/tokens', 'CI deployer');
    await shot('acl-tokens');
    await visit('acl/policies/new', 'New policy');
    await shot('acl-policy-new');
    const narrow = await browser.context.newPage();
    await narrow.setViewportSize({ width: 360, height: 740 });
    await narrow.goto(`${base}/services/web`);
    await narrow.getByText('database connection refused').waitFor();
    await shot('service-360px', narrow);
    const dark = await browser.context.newPage();
    await dark.emulateMedia({ colorScheme: 'dark' });
    await dark.goto(`${base}/services`);
    await dark.getByText('web').first().waitFor();
    await shot('services-dark', dark);
    const anon = await browser.context.newPage();
    await anon.addInitScript(`localStorage.removeItem('proconsul.token')`);
    await anon.goto(`${base}/services`);
    await anon.getByText('you need a token').waitFor();
    await shot('services-no-token', anon);
    return 0;
  } finally {
    await browser.close();
    await agent.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`ui:screenshots failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
