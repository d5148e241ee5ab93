import { errorText, type ConsulHttpClient } from '../http-client.js';
import { REXEC_EVENT, REXEC_PREFIX, type RexecJob } from '../remote-exec/remote-exec-job.js';
import { readAllStdin } from './support/cli-io.js';
import { defineCommand } from './support/define-command.js';
import { shutdownSignal } from './support/shutdown-signal.js';

/** Consul's session for a job: deleted with its keys when this command ends or stops renewing. */
const SESSION_TTL = '15s';
const RENEW_MS = 5_000;

interface NodeProgress {
  acked: boolean;
  exit?: number;
  printed: Set<string>;
}

export const execCommand = defineCommand({
  name: 'exec',
  synopsis: 'Executes a command on Proconsul nodes',
  usage: 'exec [options] [-|command...]',
  description: `Runs a command on every node the filters match, as Consul's exec: the job is written to
KV under _rexec/<session>, a "_rexec" user event tells the agents, and each matching agent
with disable_remote_exec = false runs it and reports its output and exit code. Refused when
the agent this command talks to has disable_remote_exec = true (the default). "-" reads a
script from stdin.`,
  http: 'client',
  flags: [
    {
      name: 'datacenter',
      kind: 'string',
      value: '<name>',
      usage: "Name of the datacenter to dispatch in. Defaults to the agent's datacenter.",
    },
    { name: 'node', kind: 'string', value: '<regexp>', usage: 'Regular expression to filter on node names.' },
    { name: 'service', kind: 'string', value: '<name>', usage: 'Name of a service to filter on.' },
    { name: 'tag', kind: 'string', value: '<tag>', usage: 'Tag of a service to filter on (requires -service).' },
    {
      name: 'wait',
      kind: 'duration',
      default: 2_000,
      usage: 'Return after this long with no new output or acknowledgement. Default 2s.',
    },
  ],
  async run({ flags, args, io, client }) {
    if (args.length === 0) {
      io.err('Must specify a command to execute');
      return 1;
    }
    if (flags.string('tag') && !flags.string('service')) {
      io.err('Cannot provide tag filter with no service filter.');
      return 1;
    }
    const c = client();
    let disabled: unknown;
    try {
      disabled = (await c.get('/v1/agent/self')).json<{ DebugConfig?: { DisableRemoteExec?: boolean } }>().DebugConfig
        ?.DisableRemoteExec;
    } catch (e) {
      io.err(`Error querying agent: ${errorText(e)}`);
      return 1;
    }
    if (disabled !== false) {
      io.err('Remote exec is disabled on this agent (disable_remote_exec = true); set disable_remote_exec = false to allow it');
      return 1;
    }
    const job: RexecJob =
      args.length === 1 && args[0] === '-'
        ? { Command: '', Script: (await readAllStdin(io)).toString('base64'), Wait: flags.number('wait') * 1e6 }
        : { Command: args.join(' '), Script: null, Wait: flags.number('wait') * 1e6 };
    const stop = shutdownSignal(io.signal);
    let session = '';
    let renew: NodeJS.Timeout | undefined;
    try {
      const self = (await c.get('/v1/agent/self')).json<{ Config: { NodeName: string; Datacenter: string } }>();
      session = (
        await c.put('/v1/session/create', {
          body: {
            Name: `Remote Exec via ${self.Config.NodeName}`,
            ...(await sessionNode(c, flags.string('datacenter'), self.Config.Datacenter)),
            Behavior: 'delete',
            TTL: SESSION_TTL,
            LockDelay: '0s',
          },
        })
      ).json<{ ID: string }>().ID;
      renew = setInterval(() => void c.put(`/v1/session/renew/${session}`).catch(() => {}), RENEW_MS);
      const prefix = `${REXEC_PREFIX}/${session}`;
      const ok = await c.put(`/v1/kv/${prefix}/job`, { body: JSON.stringify(job), query: { acquire: session } });
      if (ok.json<boolean>() !== true) throw new Error('could not write the job to KV');
      await c.put(`/v1/event/fire/${REXEC_EVENT}`, {
        body: JSON.stringify({ Prefix: REXEC_PREFIX, Session: session }),
        query: {
          node: flags.string('node') || undefined,
          service: flags.string('service') || undefined,
          tag: flags.string('tag') || undefined,
        },
      });
      const nodes = await follow(c, prefix, flags.number('wait'), io.out, stop.signal);
      const acked = [...nodes.values()].filter((n) => n.acked).length;
      const done = [...nodes.values()].filter((n) => n.exit !== undefined);
      io.out(`${done.length} / ${acked} node(s) completed / acknowledged`);
      return done.some((n) => n.exit !== 0) ? 2 : 0;
    } catch (e) {
      io.err(`Error executing: ${errorText(e)}`);
      return 1;
    } finally {
      clearInterval(renew);
      stop.dispose();
      if (session) {
        await c.put(`/v1/session/destroy/${session}`).catch(() => {});
        await c.delete(`/v1/kv/${REXEC_PREFIX}/${session}`, { query: { recurse: true } }).catch(() => {});
      }
    }
  },
});

/**
 * Where the job's session lives. Locally it is this agent's node (the default); in another
 * datacenter this node is unknown, so, as Consul's exec does, the session is tied to one of
 * that datacenter's servers, without checks (the TTL and this command's renewals keep it).
 */
async function sessionNode(c: ConsulHttpClient, dc: string, localDc: string): Promise<{ Node?: string; NodeChecks?: string[] }> {
  if (!dc || dc.toLowerCase() === localDc.toLowerCase()) return {};
  const servers = (await c.get('/v1/catalog/service/consul')).json<{ Node: string }[]>();
  if (servers.length === 0) throw new Error(`no Proconsul server is registered in datacenter "${dc}"`);
  return { Node: servers[0]!.Node, NodeChecks: [] };
}

/**
 * Blocking reads on the job's prefix, printing each node's output lines as they arrive
 * (`    node: line`) and its exit. Ends once `waitMs` passes with nothing new and every node
 * that acknowledged has exited, or on interrupt.
 */
async function follow(
  c: ConsulHttpClient,
  prefix: string,
  waitMs: number,
  out: (line: string) => void,
  signal: AbortSignal,
): Promise<Map<string, NodeProgress>> {
  const nodes = new Map<string, NodeProgress>();
  let index = 0;
  let lastChange = Date.now();
  while (!signal.aborted) {
    const r = await c.get(`/v1/kv/${prefix}/`, {
      query: { recurse: true, index, wait: `${Math.max(1, Math.ceil(waitMs / 1000))}s` },
      allow404: true,
      signal,
    });
    const changed = r.index !== index;
    index = r.index;
    const entries = r.status === 404 ? [] : r.json<{ Key: string; Value: string | null }[]>();
    for (const e of entries.sort((a, b) => (a.Key < b.Key ? -1 : 1))) {
      const m = /^[^/]+\/[^/]+\/([^/]+)\/(ack|exit|out\/\d+)$/.exec(e.Key);
      if (!m) continue;
      const [, node, part] = m as unknown as [string, string, string];
      let p = nodes.get(node);
      if (!p) nodes.set(node, (p = { acked: false, printed: new Set() }));
      const value = e.Value ? Buffer.from(e.Value, 'base64').toString('utf8') : '';
      if (part === 'ack') p.acked = true;
      else if (part === 'exit' && p.exit === undefined) {
        p.exit = Number(value);
        out(`==> ${node}: finished with exit code ${p.exit}`);
      } else if (part.startsWith('out/') && !p.printed.has(part)) {
        p.printed.add(part);
        for (const line of value.replace(/\n$/, '').split('\n')) out(`    ${node}: ${line}`);
      }
    }
    if (changed) lastChange = Date.now();
    const pending = [...nodes.values()].some((n) => n.acked && n.exit === undefined);
    if (!pending && Date.now() - lastChange >= waitMs) break;
  }
  return nodes;
}
