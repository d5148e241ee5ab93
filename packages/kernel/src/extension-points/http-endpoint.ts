/**
 * One HTTP route, framework-free so any plugin can contribute API surface (the acl
 * plugin adds /v1/acl/*, a user plugin its own /v1/x/*) without importing an HTTP framework. The
 * api-http plugin collects every binding and serves them.
 */
export const HttpEndpoint = Symbol.for('proconsul.HttpEndpoint');

export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'PATCH' | 'HEAD';

export interface HttpRequest {
  readonly method: HttpMethod;
  /** Path as received, without the query string. */
  readonly path: string;
  /** Route parameters, decoded; a trailing `*rest` parameter keeps its slashes. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Raw body bytes (empty when none, and always empty for a `streamBody` endpoint). Owned by the handler. */
  readonly body: Buffer;
  /**
   * For an endpoint with `streamBody`: the body as it arrives, read at most once (no size
   * cap; the handler bounds what it keeps). Absent otherwise.
   */
  readonly bodyStream?: AsyncIterable<Buffer>;
  /** The ACL token from X-Consul-Token, Authorization: Bearer or ?token=, if any. Never log it. */
  readonly token: string | undefined;
  /** Aborted when the client goes away; blocking handlers must stop waiting. */
  readonly signal: AbortSignal;
}

export interface HttpResponse {
  /** Default 200. */
  readonly status?: number;
  /** JSON-serialised unless a string, a Buffer or a node Readable (sent as is; a Readable is streamed). */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface HttpEndpoint {
  readonly method: HttpMethod | readonly HttpMethod[];
  /**
   * Route pattern: `:id` one segment, `*rest` the rest of the path with its slashes, `{…}`
   * optional, `\` escapes (e.g. "/v1/agent/service/:id", "/v1/kv{/*key}"). Matched
   * case-insensitively with an optional trailing slash; parameters arrive percent-decoded.
   * At most one parameter per segment and none after a wildcard: anything else stops the
   * agent at start (HTTP_ROUTE_PATTERN_INVALID).
   */
  readonly path: string;
  /** Hand the body over unread as `bodyStream` (uploads larger than memory should hold, like snapshots). */
  readonly streamBody?: boolean;
  /**
   * Runs concurrently with other requests. Throw a ProconsulError for client errors
   * (its statusCode and message become a plain-text response); anything else is a 500.
   */
  handle(req: HttpRequest): Promise<HttpResponse>;
}
