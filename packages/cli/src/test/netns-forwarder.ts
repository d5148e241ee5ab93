/**
 * Runs inside a node's network namespace (see netns-lab.ts): accepts connections on a unix
 * socket and pipes each one to HOST:PORT. Usage: node netns-forwarder.js SOCKET HOST PORT.
 * Exits when its parent test process dies (the lab also kills it explicitly).
 */
import { rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';

const [sock, host, port] = process.argv.slice(2);
if (!sock || !host || !port) {
  console.error('usage: netns-forwarder SOCKET HOST PORT');
  process.exit(2);
}
rmSync(sock, { force: true });
createServer((client) => {
  const upstream = connect(Number(port), host);
  client.pipe(upstream);
  upstream.pipe(client);
  const end = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', end).on('close', end);
  upstream.on('error', end).on('close', end);
}).listen(sock);
// Don't outlive the test run if the parent is killed without cleanup. An orphan is adopted by
// init (or a subreaper), which a root process can always signal, so compare parents instead.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
}, 1000).unref();
