// The HTTP client the connectors use (built by main/net/http-client.ts): every answer comes back
// as {status, headers, body}; only "could not reach the server at all" (or no answer in time)
// throws, as `unreachable`. Vendors' own status handling lives in each vendor's api module.
import { createHttpClient, type HttpClient as NetClient } from '../net/http-client';
import { NetError, TimeoutError, UnreachableError } from '../net/net-errors';
import { ConnectorError } from './errors';
export interface HttpRequest {
  method: 'GET' | 'POST' | 'PATCH';
  url: string;
  headers?: Record<string, string>;
  /** JSON body (sent with content-type application/json). */
  json?: unknown;
  /** Form body (application/x-www-form-urlencoded), for OAuth token endpoints that want it. */
  form?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** Parsed JSON when the body is JSON, else undefined. */
  body: unknown;
}

export class HttpClient {
  private readonly net: NetClient;

  constructor(readonly timeoutMs = 30_000) {
    this.net = createHttpClient({ timeoutMs });
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    const url = new URL(req.url);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    let data: string | undefined;
    if (req.json !== undefined) {
      headers['content-type'] = 'application/json';
      data = JSON.stringify(req.json);
    } else if (req.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      data = new URLSearchParams(req.form).toString();
    }
    let r;
    try {
      r = await this.net.request({ method: req.method, url: url.toString(), headers, body: data });
    } catch (e) {
      if (!(e instanceof NetError)) throw e;
      const why = e instanceof TimeoutError || e instanceof UnreachableError ? e.code : e.message;
      throw new ConnectorError('unreachable', `cannot reach ${url.origin}: ${why}`);
    }
    let body: unknown;
    if (r.text && /json/i.test(r.headers['content-type'] ?? 'json')) {
      try {
        body = JSON.parse(r.text);
      } catch {
        body = undefined;
      }
    }
    return { status: r.status, headers: r.headers, text: r.text, body };
  }
}
