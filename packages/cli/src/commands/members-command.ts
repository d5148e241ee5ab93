import { columnize } from './support/columns.js';
import { attempt, defineCommand } from './support/define-command.js';

/** GET /v1/agent/members entry. */
export interface AgentMember {
  readonly Name: string;
  readonly Addr: string;
  readonly Port: number;
  readonly Tags: Record<string, string> | null;
  readonly Status: number;
}

/** serf.MemberStatus names, indexed by the numeric status the API returns. */
const STATUS = ['none', 'alive', 'leaving', 'left', 'failed'];
export function memberStatus(n: number): string {
  return STATUS[n] ?? `unknown(${n})`;
}

function hostPort(addr: string, port: number): string {
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}

const isDefault = (p: string) => p === '' || p === 'default';

/** Consul's order: servers first, then default-partition members, then segment, partition, name. */
function compareMembers(a: AgentMember, b: AgentMember): number {
  const ta = a.Tags ?? {};
  const tb = b.Tags ?? {};
  const server = (t: Record<string, string>) => (t.role === 'consul' ? 0 : 1);
  const part = (t: Record<string, string>) => (isDefault(t.ap ?? '') ? 0 : 1);
  return (
    server(ta) - server(tb) ||
    part(ta) - part(tb) ||
    (ta.segment ?? '').localeCompare(tb.segment ?? '') ||
    (ta.ap ?? '').localeCompare(tb.ap ?? '') ||
    (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0)
  );
}

export function renderMembers(members: readonly AgentMember[], detailed: boolean): string {
  if (detailed) {
    const rows = members.map((m) => {
      const tags = m.Tags ?? {};
      const list = Object.keys(tags)
        .sort()
        .map((k) => `${k}=${tags[k]}`)
        .join(',');
      return [m.Name, hostPort(m.Addr, m.Port), memberStatus(m.Status), list];
    });
    return columnize([['Node', 'Address', 'Status', 'Tags'], ...rows]);
  }
  const rows = members.map((m) => {
    const t = m.Tags ?? {};
    const addr = hostPort(m.Addr, m.Port);
    const status = memberStatus(m.Status);
    const type = t.role === 'consul' ? 'server' : t.role === 'node' ? 'client' : undefined;
    if (!type) return [m.Name, addr, status, 'unknown', '', '', '', '', ''];
    let build = t.build ?? '';
    if (build === '') build = '< 0.3';
    else if (build.includes(':')) build = build.slice(0, build.indexOf(':'));
    return [m.Name, addr, status, type, build, t.vsn ?? '', t.dc ?? '', t.ap ?? '', t.segment ?? ''];
  });
  return columnize([['Node', 'Address', 'Status', 'Type', 'Build', 'Protocol', 'DC', 'Partition', 'Segment'], ...rows]);
}

export const membersCommand = defineCommand({
  name: 'members',
  synopsis: 'Lists the members of a Proconsul cluster',
  usage: 'members [options]',
  description: 'Outputs the members of a running agent. Exits 2 when no member matches -status.',
  http: 'client',
  flags: [
    { name: 'detailed', kind: 'bool', usage: 'Provides detailed information about nodes.' },
    {
      name: 'status',
      kind: 'string',
      value: '<regexp>',
      default: '.*',
      usage: 'If provided, output is filtered to only nodes matching the regular expression for status.',
    },
    { name: 'wan', kind: 'bool', usage: 'If the agent is in server mode, return the other peers in the WAN pool.' },
    { name: 'filter', kind: 'string', value: '<expression>', usage: 'Filter to use with the request.' },
  ],
  async run({ flags, args, io, client }) {
    if (args.length > 0) {
      io.err(`Too many arguments (expected 0, got ${args.length})`);
      return 1;
    }
    let statusRe: RegExp;
    try {
      statusRe = new RegExp(flags.string('status'));
    } catch (e) {
      io.err(`Failed to compile status regexp: ${(e as Error).message}`);
      return 1;
    }
    const query = { wan: flags.bool('wan') ? '1' : undefined, filter: flags.string('filter') || undefined };
    const r = await attempt(io, 'Error retrieving members', () => client().get('/v1/agent/members', { query }));
    if (!r.ok) return 1;
    const members = r.value
      .json<AgentMember[]>()
      .map((m) => {
        const tags = { ...(m.Tags ?? {}) };
        if (!tags.ap) tags.ap = 'default';
        if (isDefault(tags.ap)) {
          if (tags.role === 'consul') tags.segment = '<all>';
          else if (!tags.segment) tags.segment = '<default>';
        } else tags.segment = '';
        return { ...m, Tags: tags };
      })
      .filter((m) => statusRe.test(memberStatus(m.Status)))
      .sort(compareMembers);
    if (members.length === 0) return 2;
    io.out(renderMembers(members, flags.bool('detailed')));
    return 0;
  },
});
