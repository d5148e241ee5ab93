import { createServer, type Server } from 'node:net';
import { createSocket, type Socket } from 'node:dgram';
import { NoFreePort } from './errors.js';

const ATTEMPTS = 20;
/** A port handed out is not handed out again for this long: agents started concurrently must not share one. */
const REUSE_AFTER_MS = 60_000;
const handedOut = new Map<number, number>();

/**
 * A loopback port free for TCP and UDP both (DNS and gossip listen on both), found by letting
 * the OS pick a TCP port and then claiming the same UDP port. The agent learns its ports
 * from its config before it binds (gossip advertises them), so they are chosen here; the
 * window between release and the agent's bind is small and only this host's ephemeral range
 * competes for it.
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  let last = 'no attempt';
  for (let i = 0; i < ATTEMPTS; i++) {
    const tcp = await listenTcp(host);
    const port = (tcp.address() as { port: number }).port;
    const since = handedOut.get(port);
    if (since !== undefined && Date.now() - since < REUSE_AFTER_MS) {
      await closeTcp(tcp);
      last = `port ${port} was handed out moments ago`;
      continue;
    }
    const udp = await bindUdp(host, port).catch((e: unknown) => {
      last = (e as Error).message;
      return undefined;
    });
    await closeTcp(tcp);
    if (udp) {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      const now = Date.now();
      for (const [p, at] of handedOut) if (now - at >= REUSE_AFTER_MS) handedOut.delete(p);
      handedOut.set(port, now);
      return port;
    }
  }
  throw NoFreePort(last);
}

/** `count` distinct free ports (the OS may hand a released port out again, so repeats are skipped). */
export async function freePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const ports = new Set<number>();
  // Searched side by side (each search is a few loop turns of binding and closing); a port the
  // OS handed to two searches at once is kept once and the missing one searched for again.
  while (ports.size < count) {
    const found = await Promise.all(Array.from({ length: count - ports.size }, () => freePort(host)));
    for (const p of found) ports.add(p);
  }
  // A closed listener's handle is released a loop turn after close(): let it go now, so a
  // caller that fails before starting anything leaves nothing behind.
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
  return [...ports];
}

function listenTcp(host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen({ host, port: 0, exclusive: true }, () => resolve(s));
  });
}

function closeTcp(s: Server): Promise<void> {
  return new Promise((resolve) => s.close(() => resolve()));
}

function bindUdp(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', (e) => {
      s.close();
      reject(e);
    });
    s.bind({ address: host, port, exclusive: true }, () => resolve(s));
  });
}
