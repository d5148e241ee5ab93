/**
 * Network partitions for the slow suites with Linux network namespaces. Each node gets its own
 * namespace, joined to a bridge in a hub namespace by a veth pair; cutting node i off is
 * `ip link set h<i> down` on the hub side. Addresses stay in 127.0.0.0/8 (route_localnet lets
 * 127.x travel over veth; lo keeps only 127.0.0.1/32 so 127.0.4.x is not swallowed by lo).
 *
 * The test process lives in the root namespace and cannot route into those namespaces, so each
 * node's HTTP API is reached through two pipes: a TCP listener here on 127.0.5.<i> → a unix
 * socket (sockets in the file system cross namespaces) → a forwarder process inside the node's
 * namespace → the agent. The API path never crosses the partitioned links.
 *
 * Segments (for two datacenters): nodes can be split over several hubs, each with its own
 * bridge, and two hubs joined by one veth pair (`link(a, b)`): that pair is then the only path
 * between the segments, so `cut(a, b)` (`ip link set … down` on one end) separates them while
 * each segment stays whole. No delay can be put on that link here: `tc qdisc … netem` needs the
 * sch_netem kernel module, which this machine lacks.
 *
 * Needs root and `ip`; `netnsAvailability()` says why not otherwise. Everything created carries
 * a per-process prefix and is removed by destroy() and, as a last resort, at process exit or on
 * SIGINT/SIGTERM.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FORWARDER = fileURLToPath(new URL('./netns-forwarder.js', import.meta.url));

/**
 * First port a node namespace hands out to outgoing connections (Linux's default is 32768).
 * A connect from a node to its own address on a port nobody listens on yet can be given that
 * very port as its source and then connects to itself (TCP simultaneous open), holding the port
 * so the agent's listen() fails with EADDRINUSE: the forwarder polls the HTTP port exactly that
 * way while an agent starts. Suites therefore use ports below this.
 */
export const NETNS_EPHEMERAL_FIRST = 40000;

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
}

/** Why partitions cannot run here, or undefined when they can (probes by creating and deleting a namespace pair). */
export function netnsAvailability(): string | undefined {
  if (process.platform !== 'linux') return 'network namespaces need Linux';
  if (process.getuid?.() !== 0) return 'creating network namespaces needs root';
  const probe = `pcprobe${process.pid}`;
  try {
    ip('netns', 'add', probe);
    ip('link', 'add', 'pcpa', 'netns', probe, 'type', 'veth', 'peer', 'name', 'pcpb', 'netns', probe);
    return undefined;
  } catch (e) {
    return `cannot create a network namespace with a veth pair: ${((e as { stderr?: Buffer }).stderr ?? '').toString().trim() || (e as Error).message}`;
  } finally {
    try {
      ip('netns', 'del', probe);
    } catch {
      // the probe namespace was never created
    }
  }
}

function pipeBoth(a: Socket, b: Socket): void {
  a.pipe(b);
  b.pipe(a);
  const end = () => {
    a.destroy();
    b.destroy();
  };
  a.on('error', end).on('close', end);
  b.on('error', end).on('close', end);
}

export interface NetnsLabOptions {
  /** Names the namespaces (with the pid), so concurrent suites' labs never share a name. Default "pcl". */
  readonly label?: string;
  /** Which hub (segment) node i hangs off. Default: all nodes on segment 0. */
  readonly segmentOf?: (i: number) => number;
  /** Prefix length of the node addresses; it must cover every segment that may be linked. Default 24. */
  readonly prefixLength?: number;
}

export class NetnsLab {
  readonly prefix: string;
  private readonly namespaces: string[] = [];
  private readonly forwarders: ChildProcess[] = [];
  private readonly listeners: Server[] = [];
  private readonly exitHook = () => {
    this.killForwarders();
    this.destroyNamespaces();
  };
  private readonly signalHook = (sig: NodeJS.Signals) => {
    this.exitHook();
    // Whoever else listens (cluster-node.ts) re-raises too; with no listener left the signal kills us.
    process.kill(process.pid, sig);
  };
  private readonly segmentOf: (i: number) => number;
  private readonly prefixLength: number;

  /** @param nodeIp node i's agent address, e.g. (i) => `127.0.4.${i}` */
  constructor(
    private readonly count: number,
    readonly nodeIp: (i: number) => string,
    readonly accessIp: (i: number) => string,
    private readonly socketDir: string,
    opts: NetnsLabOptions = {},
  ) {
    this.prefix = `${opts.label ?? 'pcl'}${process.pid % 100000}`;
    this.segmentOf = opts.segmentOf ?? (() => 0);
    this.prefixLength = opts.prefixLength ?? 24;
  }

  /** The namespace holding segment 0's bridge. */
  get hub(): string {
    return this.hubNs(0);
  }
  hubNs(segment: number): string {
    return segment === 0 ? `${this.prefix}-hub` : `${this.prefix}-hub${segment}`;
  }
  nodeNs(i: number): string {
    return `${this.prefix}-n${i}`;
  }

  create(): void {
    process.once('exit', this.exitHook);
    process.once('SIGINT', this.signalHook);
    process.once('SIGTERM', this.signalHook);
    const segments = new Set<number>();
    for (let i = 1; i <= this.count; i++) segments.add(this.segmentOf(i));
    for (const seg of segments) {
      const hub = this.hubNs(seg);
      this.addNs(hub);
      ip('-n', hub, 'link', 'add', 'br0', 'type', 'bridge', 'forward_delay', '0');
      ip('-n', hub, 'link', 'set', 'br0', 'up');
    }
    for (let i = 1; i <= this.count; i++) {
      const ns = this.nodeNs(i);
      const hub = this.hubNs(this.segmentOf(i));
      this.addNs(ns);
      ip('link', 'add', 'v0', 'netns', ns, 'type', 'veth', 'peer', 'name', `h${i}`, 'netns', hub);
      ip('-n', hub, 'link', 'set', `h${i}`, 'master', 'br0');
      ip('-n', hub, 'link', 'set', `h${i}`, 'up');
      ip('-n', ns, 'link', 'set', 'lo', 'up');
      ip('-n', ns, 'addr', 'del', '127.0.0.1/8', 'dev', 'lo');
      ip('-n', ns, 'addr', 'add', '127.0.0.1/32', 'dev', 'lo');
      execFileSync('ip', [
        'netns',
        'exec',
        ns,
        'sysctl',
        '-qw',
        'net.ipv4.conf.all.route_localnet=1',
        'net.ipv4.conf.v0.route_localnet=1',
        `net.ipv4.ip_local_port_range=${NETNS_EPHEMERAL_FIRST} 60999`,
      ]);
      ip('-n', ns, 'addr', 'add', `${this.nodeIp(i)}/${this.prefixLength}`, 'dev', 'v0');
      ip('-n', ns, 'link', 'set', 'v0', 'up');
    }
  }

  /** Expose node i's `port` on accessIp(i):port in this namespace. */
  async expose(i: number, port: number): Promise<void> {
    if (port >= NETNS_EPHEMERAL_FIRST) {
      throw new Error(
        `port ${port} is in the namespaces' ephemeral range (from ${NETNS_EPHEMERAL_FIRST}): its forwarder can connect to itself`,
      );
    }
    const sock = join(this.socketDir, `fwd-${i}-${port}.sock`);
    const fwd = spawn('ip', ['netns', 'exec', this.nodeNs(i), process.execPath, FORWARDER, sock, this.nodeIp(i), String(port)], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    this.forwarders.push(fwd);
    const server = createServer((client) => pipeBoth(client, connect(sock)));
    this.listeners.push(server);
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, this.accessIp(i), resolve));
  }

  /** Cut node i off from every other node (both directions), or reconnect it. */
  isolate(i: number): void {
    ip('-n', this.hubNsOfNode(i), 'link', 'set', `h${i}`, 'down');
  }
  heal(i: number): void {
    ip('-n', this.hubNsOfNode(i), 'link', 'set', `h${i}`, 'up');
  }

  /**
   * Join two segments' bridges with one veth pair (`x<b>` in hub a, `x<a>` in hub b): a
   * layer-2 link, so the node addresses need a prefix covering both segments.
   */
  link(a: number, b: number): void {
    ip('link', 'add', `x${b}`, 'netns', this.hubNs(a), 'type', 'veth', 'peer', 'name', `x${a}`, 'netns', this.hubNs(b));
    for (const [hub, end] of [
      [this.hubNs(a), `x${b}`],
      [this.hubNs(b), `x${a}`],
    ] as const) {
      ip('-n', hub, 'link', 'set', end, 'master', 'br0');
      ip('-n', hub, 'link', 'set', end, 'up');
    }
  }
  /** Take the a–b link down (its peer loses carrier, so nothing crosses either way), or bring it back. */
  cut(a: number, b: number): void {
    ip('-n', this.hubNs(a), 'link', 'set', `x${b}`, 'down');
  }
  restore(a: number, b: number): void {
    ip('-n', this.hubNs(a), 'link', 'set', `x${b}`, 'up');
  }

  /** Run a command inside node i's namespace (e.g. dig against its agent); returns stdout. */
  exec(i: number, cmd: string, args: readonly string[], timeoutMs = 10_000): string {
    return execFileSync('ip', ['netns', 'exec', this.nodeNs(i), cmd, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
    });
  }

  async destroy(): Promise<void> {
    this.killForwarders();
    await Promise.all(this.listeners.splice(0).map((s) => new Promise((r) => s.close(r))));
    this.destroyNamespaces();
    process.removeListener('exit', this.exitHook);
    process.removeListener('SIGINT', this.signalHook);
    process.removeListener('SIGTERM', this.signalHook);
  }

  private killForwarders(): void {
    for (const f of this.forwarders.splice(0)) f.kill('SIGKILL');
  }

  private hubNsOfNode(i: number): string {
    return this.hubNs(this.segmentOf(i));
  }

  private addNs(name: string): void {
    try {
      ip('netns', 'del', name); // a leftover from a crashed run with the same pid
    } catch {
      // none
    }
    ip('netns', 'add', name);
    this.namespaces.push(name);
  }

  private destroyNamespaces(): void {
    for (const ns of this.namespaces.splice(0)) {
      try {
        ip('netns', 'del', ns);
      } catch {
        // already gone
      }
    }
  }
}
