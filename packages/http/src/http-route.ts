import type { HttpEndpoint, HttpMethod, HttpRequest, HttpResponse } from '@proconsul/kernel';

/** One {@link HttpEndpoint}; shared by every plugin that serves HTTP (api-http, acl, user plugins). */
export function route(
  method: HttpMethod | HttpMethod[],
  path: string,
  handle: (req: HttpRequest) => Promise<HttpResponse>,
): HttpEndpoint {
  return { method, path, handle };
}
