/**
 * What memberlist needs from the network: an unreliable datagram path (UDP) and a
 * reliable request/response path (TCP). Both carry opaque bytes; sealing (encryption)
 * happens above this layer, so the simulated network carries exactly what sockets do.
 */
export type PacketHandler = (data: Uint8Array, fromAddr: string, fromPort: number) => void;
/** Returns the response to write back; a rejection closes the stream without a reply. */
export type StreamHandler = (data: Uint8Array, fromAddr: string) => Promise<Uint8Array>;

export interface Transport {
  /** The address and port actually bound (port 0 resolves to the real one). */
  readonly addr: string;
  readonly port: number;
  /** Fire and forget; never throws (a send error is a lost packet, as with UDP). */
  sendPacket(addr: string, port: number, data: Uint8Array): void;
  /** One request, one response; rejects on connect failure or after timeoutMs. */
  request(addr: string, port: number, data: Uint8Array, timeoutMs: number): Promise<Uint8Array>;
  setPacketHandler(h: PacketHandler): void;
  setStreamHandler(h: StreamHandler): void;
  close(): Promise<void>;
}

/** Splits "host:port", "[v6]:port" or a bare host (then defaultPort). */
export function parseHostPort(s: string, defaultPort: number): { host: string; port: number } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (v6) return { host: v6[1]!, port: v6[2] ? Number(v6[2]) : defaultPort };
  const i = s.lastIndexOf(':');
  if (i > 0 && s.indexOf(':') === i) return { host: s.slice(0, i), port: Number(s.slice(i + 1)) };
  return { host: s, port: defaultPort };
}
