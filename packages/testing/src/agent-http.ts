import { request } from 'node:http';
import { TestAgentRequestFailed } from './errors.js';

export interface AgentResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/**
 * One HTTP request to an agent's API. No keep-alive (agent: false): a pooled socket would
 * outlive the agent's stop() and show up as a leaked handle in the caller's test.
 */
export function agentRequest(
  httpAddr: string,
  method: string,
  path: string,
  options: { body?: string | Buffer; token?: string } = {},
): Promise<AgentResponse> {
  const [host, port] = splitAddr(httpAddr);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host,
        port,
        method,
        path,
        agent: false,
        headers: {
          ...(options.token ? { 'X-Consul-Token': options.token } : {}),
          ...(options.body !== undefined ? { 'Content-Length': Buffer.byteLength(options.body) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Like agentRequest, but a non-2xx answer rejects with the agent's reason. */
export async function agentCall(
  httpAddr: string,
  method: string,
  path: string,
  options: { body?: string | Buffer; token?: string } = {},
): Promise<AgentResponse> {
  const res = await agentRequest(httpAddr, method, path, options);
  if (res.status < 200 || res.status >= 300) throw TestAgentRequestFailed(method, path, res.status, res.body.trim());
  return res;
}

function splitAddr(addr: string): [string, number] {
  const i = addr.lastIndexOf(':');
  return [addr.slice(0, i), Number(addr.slice(i + 1))];
}
