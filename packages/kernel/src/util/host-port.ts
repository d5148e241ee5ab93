/**
 * Split Consul's "host:port" / "[v6]:port" into parts; throws Go-like messages when
 * malformed. An empty host means the local host, as Go's dialer treats it. `minPort` is
 * the lowest port accepted (a tcp check has always taken 0; udp and h2ping refuse it).
 */
export function splitHostPort(addr: string, minPort = 1): { host: string; port: number } {
  let host: string;
  let portText: string;
  if (addr.startsWith('[')) {
    const end = addr.indexOf(']');
    if (end < 0 || addr[end + 1] !== ':') throw new Error(`address ${addr}: missing port in address`);
    host = addr.slice(1, end);
    portText = addr.slice(end + 2);
  } else {
    const i = addr.lastIndexOf(':');
    if (i < 0) throw new Error(`address ${addr}: missing port in address`);
    host = addr.slice(0, i);
    portText = addr.slice(i + 1);
    if (host.includes(':')) throw new Error(`address ${addr}: too many colons in address`);
  }
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < minPort || port > 65535) throw new Error(`address ${addr}: invalid port`);
  return { host: host === '' ? '127.0.0.1' : host, port };
}
