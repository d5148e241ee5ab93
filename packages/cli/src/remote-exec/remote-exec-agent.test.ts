import { expect } from 'chai';
import { NullLogger, type ClusterRpcPort, type RuntimeConfig, type UserEvent, type UserEventsPort } from '@proconsul/kernel';
import { RemoteExecAgent } from './remote-exec-agent.js';

const SESSION = '11111111-2222-3333-4444-555555555555';

function harness(disableRemoteExec: boolean, job: object) {
  const events: UserEvent[] = [];
  let wake: (() => void) | undefined;
  const port = {
    fire: () => Promise.reject(new Error('unused')),
    buffer: {
      list: (name?: string) => events.filter((e) => !name || e.Name === name),
      waitForEvent: (ms: number, signal?: AbortSignal) =>
        new Promise<boolean>((resolve) => {
          wake = () => resolve(true);
          const t = setTimeout(() => resolve(false), ms);
          signal?.addEventListener('abort', () => (clearTimeout(t), resolve(false)), { once: true });
        }),
    },
  } as unknown as UserEventsPort;
  const writes: { Key: string; Value: string; Session: string }[] = [];
  const rpc = {
    read: async () => ({ value: { Value: Buffer.from(JSON.stringify(job)) }, meta: {} }),
    write: async (c: { Key: string; Value: Uint8Array; Session: string }) => {
      writes.push({ Key: c.Key, Value: Buffer.from(c.Value).toString(), Session: c.Session });
      return { index: 1, value: true };
    },
  } as unknown as ClusterRpcPort;
  const agent = new RemoteExecAgent({
    events: port,
    rpc,
    config: { nodeName: 'n1', disableRemoteExec } as RuntimeConfig,
    log: new NullLogger(),
  });
  const fire = () => {
    events.push({
      ID: `e${events.length}`,
      Name: '_rexec',
      Payload: Buffer.from(JSON.stringify({ Prefix: '_rexec', Session: SESSION })),
      NodeFilter: '',
      ServiceFilter: '',
      TagFilter: '',
      Version: 1,
      LTime: 1,
    });
    wake?.();
  };
  return { agent, fire, writes };
}

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 100 && !cond(); i++) await new Promise((r) => setTimeout(r, 20));
};

describe('RemoteExecAgent', () => {
  it('with disable_remote_exec = false: acknowledges, runs the job and writes output and exit under the session', async () => {
    const h = harness(false, { Command: 'echo out; echo err >&2; exit 3', Script: null, Wait: 0 });
    h.agent.start();
    h.fire();
    await until(() => h.writes.some((w) => w.Key.endsWith('/exit')));
    await h.agent.close();
    const keys = h.writes.map((w) => w.Key);
    expect(keys[0]).to.equal(`_rexec/${SESSION}/n1/ack`);
    expect(keys[keys.length - 1]).to.equal(`_rexec/${SESSION}/n1/exit`);
    expect(h.writes.find((w) => w.Key.endsWith('/exit'))!.Value).to.equal('3');
    const output = h.writes
      .filter((w) => w.Key.includes('/out/'))
      .map((w) => w.Value)
      .join('');
    expect(output).to.contain('out\n').and.to.contain('err\n');
    expect(h.writes.every((w) => w.Session === SESSION)).to.equal(true);
  });

  it('with disable_remote_exec = true (the default): runs nothing and writes nothing', async () => {
    const h = harness(true, { Command: 'touch /tmp/should-not-exist', Script: null, Wait: 0 });
    h.agent.start();
    h.fire();
    await new Promise((r) => setTimeout(r, 200));
    await h.agent.close();
    expect(h.writes).to.deep.equal([]);
  });
});
