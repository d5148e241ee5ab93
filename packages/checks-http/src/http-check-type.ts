import {
  formatDuration,
  isTimeoutAbort,
  type CheckDefinitionFields,
  type CheckResult,
  type CheckStatus,
  type CheckType,
} from '@proconsul/kernel';
import type { ConnectionOptions } from 'node:tls';
import { describeRequestError } from './go-errors.js';
import { REDIRECT_CODES, httpProbe, type HttpProbeResponse } from './http-probe.js';

/** Go's http.Client default; Consul inherits it when redirects are not disabled. */
export const MAX_REDIRECTS = 10;
/** Consul's DefaultBufSize: how much of the body goes into the output. */
const MAX_BODY = 4 * 1024;
const USER_AGENT = 'Consul Health Check';
const ACCEPT = 'text/plain, text/*, */*';

/**
 * Consul's http check: 2xx passing, 429 warning, anything else (or no response within the
 * timeout) critical. Output "HTTP GET <url>: 200 OK Output: <start of body>".
 * Stateless: concurrent runs of different checks share nothing but this object.
 */
export class HttpCheckType implements CheckType {
  readonly type = 'http';

  /** `agentTls`: the agent's TLS options when enable_agent_tls_for_checks is on (read per run: reloads apply). */
  constructor(private readonly agentTls?: () => ConnectionOptions) {}

  readonly schema = {
    type: 'object',
    properties: {
      HTTP: { type: 'string', minLength: 1 },
      Method: { type: 'string', pattern: '^[A-Za-z]+$' },
      Header: {
        type: 'object',
        additionalProperties: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      },
      Body: { type: 'string' },
      DisableRedirects: { type: 'boolean' },
      TLSSkipVerify: { type: 'boolean' },
      TLSServerName: { type: 'string' },
    },
    required: ['HTTP'],
  };

  matches(d: CheckDefinitionFields): boolean {
    return d['HTTP'] !== undefined && d['HTTP'] !== '';
  }

  async run(d: CheckDefinitionFields, signal: AbortSignal): Promise<CheckResult> {
    const p = prepare(d);
    if (p.invalid !== undefined) return { status: 'critical', output: p.invalid };
    let res: HttpProbeResponse;
    try {
      res = await this.follow(p, signal);
    } catch (err) {
      const output = describeRequestError(p.method, p.target, err, isTimeoutAbort(signal), formatDuration(d.TimeoutMs));
      return { status: 'critical', output };
    }
    return { status: statusOf(res.statusCode), output: `HTTP ${p.method} ${p.target}: ${res.status} Output: ${res.body}` };
  }

  private async follow(p: PreparedRequest, signal: AbortSignal): Promise<HttpProbeResponse> {
    let url = p.url!;
    let method = p.method;
    let body = p.body;
    for (let hop = 0; ; hop++) {
      const res = await httpProbe({
        url,
        method,
        headers: p.headers,
        body,
        tlsSkipVerify: p.tlsSkipVerify,
        tlsServerName: p.tlsServerName,
        agentTls: this.agentTls?.(),
        maxBody: MAX_BODY,
        signal,
      });
      const location = res.location;
      if (p.disableRedirects || !REDIRECT_CODES.has(res.statusCode) || location === undefined) return res;
      if (hop >= MAX_REDIRECTS) throw new Error(`stopped after ${MAX_REDIRECTS} redirects`);
      url = new URL(location, url);
      // As Go's client: 301/302/303 turn into a GET without body (HEAD stays HEAD); 307/308 replay as is.
      if (res.statusCode <= 303 && method !== 'HEAD') {
        method = 'GET';
        body = '';
      }
    }
  }
}

/** What every run of one definition would otherwise recompute: parsed URL, headers, flags. */
interface PreparedRequest {
  readonly target: string;
  readonly method: string;
  /** Undefined when `invalid` says why the URL cannot be requested. */
  readonly url: URL | undefined;
  readonly invalid: string | undefined;
  readonly headers: Readonly<Record<string, string | string[]>>;
  readonly body: string;
  readonly tlsSkipVerify: boolean;
  readonly tlsServerName: string;
  readonly disableRedirects: boolean;
}

// Keyed by the definition object: the runner hands the same (immutable) object to every run
// of a check and a new one when the check is re-registered, so entries never go stale.
const prepared = new WeakMap<CheckDefinitionFields, PreparedRequest>();

function prepare(d: CheckDefinitionFields): PreparedRequest {
  const known = prepared.get(d);
  if (known) return known;
  const method = ((d['Method'] as string | undefined) || 'GET').toUpperCase();
  const target = d['HTTP'] as string;
  let url: URL | undefined;
  let invalid: string | undefined;
  try {
    url = new URL(target);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new Error(`unsupported protocol scheme "${url.protocol.replace(':', '')}"`);
  } catch (err) {
    url = undefined;
    invalid = `${method} ${JSON.stringify(target)}: ${(err as Error).message}`;
  }
  const p: PreparedRequest = {
    target,
    method,
    url,
    invalid,
    headers: buildHeaders(d['Header']),
    body: (d['Body'] as string | undefined) ?? '',
    tlsSkipVerify: d['TLSSkipVerify'] === true,
    tlsServerName: (d['TLSServerName'] as string | undefined) ?? '',
    disableRedirects: d['DisableRedirects'] === true,
  };
  prepared.set(d, p);
  return p;
}

function statusOf(code: number): CheckStatus {
  if (code >= 200 && code <= 299) return 'passing';
  // 429 Too Many Requests: the service is up but shedding load.
  if (code === 429) return 'warning';
  return 'critical';
}

/** Consul's Header is a multi-valued map; single strings are accepted too. Adds Consul's defaults. */
function buildHeaders(raw: unknown): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (raw && typeof raw === 'object') {
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      if (typeof v === 'string') out[k] = v;
      else if (Array.isArray(v)) out[k] = v.map(String);
    }
  }
  const has = (name: string) => Object.keys(out).some((k) => k.toLowerCase() === name);
  if (!has('user-agent')) out['User-Agent'] = USER_AGENT;
  if (!has('accept')) out['Accept'] = ACCEPT;
  return out;
}
