import { expect } from 'chai';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Container } from 'inversify';
import { CheckType, isCoded, NullLogger, type CheckDefinitionFields, type RuntimeConfig } from '@proconsul/kernel';
import { CheckRunner } from '@proconsul/agent';
import plugin, { ScriptCheckType } from './index.js';

function def(fields: Record<string, unknown>): CheckDefinitionFields {
  return { CheckID: 'c', Name: 'c', IntervalMs: 10_000, TimeoutMs: 30_000, ...fields };
}
const never = new AbortController().signal;

/** Running (not gone, not a zombie: in a container nobody may reap the orphaned child). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('checks-script: ScriptCheckType with real bash scripts', () => {
  let dir: string;
  const t = new ScriptCheckType({ enableScriptChecks: true, enableLocalScriptChecks: true });
  const script = (name: string, body: string) => {
    const p = join(dir, name);
    writeFileSync(p, `#!/bin/bash\n${body}\n`);
    chmodSync(p, 0o755);
    return p;
  };

  before(() => (dir = mkdtempSync(join(tmpdir(), 'pc-script-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('exit 0 is passing, 1 warning, 2 critical; stdout and stderr are captured', async () => {
    const p = script('exit.sh', 'echo "out $1"; echo "err $1" >&2; exit $1');
    expect(await t.run(def({ Args: [p, '0'] }), never)).to.deep.equal({ status: 'passing', output: 'out 0\nerr 0\n' });
    expect(await t.run(def({ Args: [p, '1'] }), never)).to.deep.equal({ status: 'warning', output: 'out 1\nerr 1\n' });
    expect(await t.run(def({ Args: [p, '2'] }), never)).to.deep.equal({ status: 'critical', output: 'out 2\nerr 2\n' });
  });

  it('runs without a shell: metacharacters in args stay literal', async () => {
    const r = await t.run(def({ Args: ['/bin/echo', '$HOME', '; exit 3', '`id`'] }), never);
    expect(r).to.deep.equal({ status: 'passing', output: '$HOME ; exit 3 `id`\n' });
  });

  it('keeps the last 4 KiB of long output and says how much was written', async () => {
    const p = script('long.sh', 'head -c 10000 /dev/zero | tr "\\0" a; echo -n END');
    const r = await t.run(def({ Args: [p] }), never);
    expect(r.output).to.match(/^Captured 4096 of 10003 bytes\n\.\.\.\na{4093}END$/);
  });

  it('a missing program is critical with the spawn error', async () => {
    const r = await t.run(def({ Args: [join(dir, 'absent')] }), never);
    expect(r.status).to.equal('critical');
    expect(r.output).to.contain('ENOENT');
  });

  it("on timeout kills the whole process group, including children, and reports Consul's message", async () => {
    const pidFile = join(dir, 'child.pid');
    const p = script('hang.sh', `echo started; sleep 30 & echo $! > ${pidFile}; wait`);
    const ac = new AbortController();
    setTimeout(() => ac.abort(new DOMException('t', 'TimeoutError')), 400);
    const started = Date.now();
    const r = await t.run(def({ Args: [p], TimeoutMs: 400 }), ac.signal);
    expect(Date.now() - started).to.be.lessThan(3000);
    expect(r).to.deep.equal({ status: 'critical', output: 'Timed out (400ms) running check\n\nstarted\n' });
    expect(existsSync(pidFile)).to.equal(true);
    const childPid = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((res) => setTimeout(res, 50));
    expect(alive(childPid), 'background child of the script must be killed').to.equal(false);
  });
});

describe('checks-script: enable_script_checks / enable_local_script_checks', () => {
  const runnerWith = (cfg: Partial<RuntimeConfig>) => {
    const c = new Container();
    c.load(plugin.createModule({}, { config: cfg as RuntimeConfig, logger: new NullLogger() }));
    return new CheckRunner({ types: c.getAll<CheckType>(CheckType), onUpdate: () => {}, random: () => 0 });
  };
  const check = { name: 'disk', args: ['/bin/true'], interval: '10s' };

  function refusal(fn: () => unknown): Error & { statusCode: number } {
    try {
      fn();
    } catch (err) {
      expect(isCoded(err, 'SCRIPT_CHECKS_DISABLED')).to.equal(true);
      return err as Error & { statusCode: number };
    }
    throw new Error('expected the definition to be refused');
  }

  it('refuses everything when neither is set', async () => {
    const r = runnerWith({ enableScriptChecks: false, enableLocalScriptChecks: false });
    expect(refusal(() => r.add(check, 'config')).statusCode).to.equal(400);
    refusal(() => r.add(check, 'api'));
    await r.stopAll();
  });

  it('enable_local_script_checks allows config-file checks only, and explains the API refusal', async () => {
    const r = runnerWith({ enableScriptChecks: false, enableLocalScriptChecks: true });
    expect(r.add(check, 'config').type).to.equal('script');
    const err = refusal(() => r.add({ ...check, name: 'api-disk' }, 'api'));
    expect(err.message).to.contain('remote code execution').and.to.contain('enable_script_checks');
    await r.stopAll();
  });

  it('enable_script_checks allows both; ScriptArgs is an alias of Args; default timeout is 30s', async () => {
    const r = runnerWith({ enableScriptChecks: true, enableLocalScriptChecks: false });
    expect(r.add(check, 'api').definition.TimeoutMs).to.equal(30_000);
    expect(r.add({ Name: 'x', ScriptArgs: ['/bin/true'], Interval: '10s' }, 'config').definition['Args']).to.deep.equal([
      '/bin/true',
    ]);
    await r.stopAll();
  });

  it('runs under the runner and reports a real exit status', async () => {
    const updates: string[] = [];
    const c = new Container();
    c.load(plugin.createModule({}, { config: { enableLocalScriptChecks: true } as RuntimeConfig, logger: new NullLogger() }));
    const r = new CheckRunner({
      types: c.getAll<CheckType>(CheckType),
      random: () => 0,
      onUpdate: (id, s, o) => updates.push(`${id}:${s}:${o}`),
    });
    r.add({ name: 'warn', args: ['/bin/bash', '-c', 'echo degraded; exit 1'], interval: '5s', status: 'passing' }, 'config');
    await new Promise((res) => setTimeout(res, 500));
    await r.stopAll();
    expect(updates).to.deep.equal(['warn:warning:degraded\n']);
  });
});
