import { randomInt } from 'node:crypto';
import dgram from 'node:dgram';
import type { Logger } from '@proconsul/kernel';
import { canonicalIp } from './ip-names.js';
import { formatRecursor, type RecursorAddress } from './recursor-address.js';

/**
 * Forwards a query to the configured recursors over UDP, one after the other (Consul's
 * "sequential" strategy), each bounded by `timeoutMs`. Each attempt uses a fresh socket and
 * a fresh random ID so a spoofed or late reply to another query cannot be accepted.
 * Never rejects: undefined means every recursor failed (the caller answers SERVFAIL).
 */
export class RecursorClient {
  constructor(
    private readonly recursors: readonly RecursorAddress[],
    private readonly timeoutMs: number,
    private readonly logger: Logger,
  ) {}

  /** `query` is not modified; the reply carries the query's own ID. */
  async forward(query: Buffer): Promise<Buffer | undefined> {
    for (const r of this.recursors) {
      const reply = await this.exchange(r, query);
      if (reply) return reply;
    }
    return undefined;
  }

  private exchange(r: RecursorAddress, query: Buffer): Promise<Buffer | undefined> {
    const originalId = query.readUInt16BE(0);
    const id = randomInt(0, 0x10000);
    const out = Buffer.from(query);
    out.writeUInt16BE(id, 0);
    const host = canonicalIp(r.host);
    return new Promise((resolve) => {
      const socket = dgram.createSocket(r.family === 6 ? 'udp6' : 'udp4');
      let finished = false;
      const done = (reply: Buffer | undefined, why?: string) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        socket.close();
        if (!reply) this.logger.debug('recursor failed', { recursor: formatRecursor(r), reason: why });
        resolve(reply);
      };
      const timer = setTimeout(() => done(undefined, `no answer within ${this.timeoutMs} ms`), this.timeoutMs);
      socket.on('error', (err) => done(undefined, err.message));
      socket.on('message', (msg, rinfo) => {
        if (canonicalIp(rinfo.address) !== host || rinfo.port !== r.port) return;
        if (msg.length < 12 || msg.readUInt16BE(0) !== id || (msg[2]! & 0x80) === 0) return;
        const reply = Buffer.from(msg);
        reply.writeUInt16BE(originalId, 0);
        done(reply);
      });
      socket.send(out, r.port, r.host, (err) => {
        if (err) done(undefined, err.message);
      });
    });
  }
}
