/**
 * `proconsul template` against a real dev agent (127.0.44.1), with the examples consul-template
 * documents for its functions: data seeded over HTTP, templates rendered with -once and
 * compared with the expected text; then the watching mode re-renders on a change and runs the
 * template's command.
 */
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, statSync, chmodSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli, waitForHttp, type RunningAgent } from './agent-runner.js';
import { runCaptured } from './run-command.js';

const IP = '127.0.44.1';
const HTTP = `${IP}:8500`;
const url = (path: string) => `http://${HTTP}${path}`;

async function put(path: string, body: unknown): Promise<void> {
  const r = await fetch(url(path), { method: 'PUT', body: typeof body === 'string' ? body : JSON.stringify(body) });
  expect(r.status, `${path}: ${await r.clone().text()}`).to.equal(200);
}

async function until(what: string, ok: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('proconsul template (consul-template’s language) against a real agent', function () {
  this.timeout(90_000);
  let agent: RunningAgent;
  const dir = mkdtempSync(join(tmpdir(), 'pc-template-'));
  const file = (name: string, content: string) => {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
  };
  const once = async (template: string) => {
    const src = file(`t${Math.random().toString(36).slice(2)}.ctmpl`, template);
    const out = `${src}.out`;
    const r = await runCaptured(['template', `-http-addr=${HTTP}`, '-once', '-template', `${src}:${out}`]);
    expect(r.code, r.err).to.equal(0);
    return readFileSync(out, 'utf8');
  };

  before(async () => {
    agent = startCli(['agent', '-dev', '-bind', IP, '-client', IP, '-dns-port', '-1', '-node', 'tmpl-node']);
    await waitForHttp(url('/v1/status/leader'));
    await until('a leader', () => true);
    await put('/v1/kv/service/redis/maxconns', '15');
    await put('/v1/kv/service/redis/minconns', '5');
    await put('/v1/kv/service/redis/extra/timeout', '30s');
    await put('/v1/kv/app/config', JSON.stringify({ host: 'db.internal', port: 5432 }));
    for (const [node, address, port, status, tags] of [
      ['web01', '10.5.2.45', 2492, 'passing', ['production', 'v2']],
      ['web02', '10.5.2.46', 2493, 'passing', ['production']],
      ['web03', '10.5.2.47', 2494, 'critical', ['canary']],
    ] as const)
      await put('/v1/catalog/register', {
        Node: node,
        Address: address,
        Service: { ID: `web-${node}`, Service: 'web', Port: port, Tags: tags },
        Check: { CheckID: `web-${node}-http`, Name: 'http', Status: status, ServiceID: `web-${node}` },
      });
  });

  after(() => agent?.child.kill('SIGKILL'));

  it('key, keyOrDefault, ls and tree render as the consul-template docs show', async () => {
    expect(await once('{{ key "service/redis/maxconns" }}')).to.equal('15');
    expect(await once('{{ keyOrDefault "service/redis/nope" "5" }}|{{ keyOrDefault "service/redis/minconns" "9" }}')).to.equal(
      '5|5',
    );
    expect(await once('{{ range ls "service/redis" }}\n{{ .Key }}:{{ .Value }}{{ end }}')).to.equal('\nmaxconns:15\nminconns:5');
    expect(await once('{{ range tree "service/redis" }}\n{{ .Key }}:{{ .Value }}{{ end }}')).to.equal(
      '\nextra/timeout:30s\nmaxconns:15\nminconns:5',
    );
    expect(await once('{{ with $c := key "app/config" | parseJSON }}{{ $c.host }}:{{ $c.port }}{{ end }}')).to.equal(
      'db.internal:5432',
    );
  });

  it('service lists healthy instances (passing unless states are named), filtered by tag', async () => {
    expect(await once('{{ range service "web" }}\nserver {{ .Node }} {{ .Address }}:{{ .Port }}{{ end }}')).to.equal(
      '\nserver web01 10.5.2.45:2492\nserver web02 10.5.2.46:2493',
    );
    expect(await once('{{ range service "web|any" }}{{ .Node }}={{ .Status }} {{ end }}')).to.equal(
      'web01=passing web02=passing web03=critical ',
    );
    expect(await once('{{ range service "v2.web" }}{{ .Node }} {{ .Tags | join "," }}{{ end }}')).to.equal('web01 production,v2');
    expect(await once('{{ range services }}{{ .Name }}: {{ .Tags | join "," }}\n{{ end }}')).to.equal(
      'consul: \nweb: canary,production,v2\n',
    );
  });

  it('node, nodes and env', async () => {
    expect(await once('{{ with node }}{{ .Node.Node }} {{ .Node.Address }}{{ end }}')).to.equal(`tmpl-node ${IP}`);
    expect(await once('{{ range nodes }}{{ .Node }} {{ end }}')).to.equal('tmpl-node web01 web02 web03 ');
    process.env['PC_TEMPLATE_TEST'] = 'from-env';
    expect(await once('{{ env "PC_TEMPLATE_TEST" }}')).to.equal('from-env');
  });

  it('-dry prints instead of writing; a template mistake names file, line and column and exits 1', async () => {
    const src = file('dry.ctmpl', 'max={{ key "service/redis/maxconns" }}');
    const out = join(dir, 'dry.out');
    const dry = await runCaptured(['template', `-http-addr=${HTTP}`, '-once', '-dry', '-template', `${src}:${out}`]);
    expect(dry.code, dry.err).to.equal(0);
    expect(dry.out).to.equal(`> ${out}\nmax=15\n`);
    expect(existsSync(out)).to.equal(false);
    const bad = file('bad.ctmpl', 'line one\n{{ range service "web" }}');
    const r = await runCaptured(['template', `-http-addr=${HTTP}`, '-once', '-template', `${bad}:${bad}.out`]);
    expect(r.code).to.equal(1);
    expect(r.err).to.contain(`${bad}:2:1: unexpected EOF: missing {{end}}`);
  });

  it('watches: re-renders atomically when a key changes, keeps the file mode, runs the command only on change', async () => {
    const src = file('watch.ctmpl', 'maxconns={{ key "service/redis/maxconns" }}\n');
    const out = join(dir, 'watch.conf');
    writeFileSync(out, 'old\n');
    chmodSync(out, 0o640);
    const marker = join(dir, 'ran');
    const t = startCli(['template', `-http-addr=${HTTP}`, '-template', `${src}:${out}:echo run >> ${marker}`]);
    try {
      await until('first render', () => readFileSync(out, 'utf8') === 'maxconns=15\n');
      await until('the command after the first render', () => existsSync(marker));
      expect(statSync(out).mode & 0o777).to.equal(0o640);
      await put('/v1/kv/service/redis/maxconns', '64');
      await until('re-render', () => readFileSync(out, 'utf8') === 'maxconns=64\n');
      await until('the command again', () => readFileSync(marker, 'utf8') === 'run\nrun\n');
      // A change to data the template does not read renders the same text: no command.
      await put('/v1/kv/service/redis/minconns', '6');
      await put('/v1/kv/service/redis/maxconns', '64');
      await new Promise((r) => setTimeout(r, 1500));
      expect(readFileSync(marker, 'utf8')).to.equal('run\nrun\n');
    } finally {
      t.child.kill('SIGTERM');
      expect(await t.exited, t.output()).to.equal(0);
    }
  });

  it('-wait coalesces a burst of changes into one rendering and one command run', async () => {
    const src = file('quiet.ctmpl', 'n={{ key "burst/n" }}\n');
    await put('/v1/kv/burst/n', '0');
    const out = join(dir, 'quiet.conf');
    const marker = join(dir, 'quiet-ran');
    const t = startCli(['template', `-http-addr=${HTTP}`, '-wait', '1s:5s', '-template', `${src}:${out}:echo run >> ${marker}`]);
    try {
      await until('first render', () => existsSync(marker) && readFileSync(out, 'utf8') === 'n=0\n');
      for (const n of ['1', '2', '3']) {
        await put('/v1/kv/burst/n', n);
        await new Promise((r) => setTimeout(r, 150));
      }
      await until('the burst rendered', () => readFileSync(out, 'utf8') === 'n=3\n');
      await new Promise((r) => setTimeout(r, 1500));
      expect(readFileSync(marker, 'utf8')).to.equal('run\nrun\n');
    } finally {
      t.child.kill('SIGTERM');
      await t.exited;
    }
  });
});
