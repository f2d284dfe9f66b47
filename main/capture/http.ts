// The one HTTP client the connectors use (axios underneath): every answer comes back as
// {status, headers, body}; only "could not reach the server at all" throws, as `unreachable`.
// Vendors' own status handling lives in each vendor's api module.
import axios, { type AxiosInstance } from 'axios';
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
  private readonly axios: AxiosInstance;

  constructor(readonly timeoutMs = 30_000) {
    this.axios = axios.create({
      timeout: timeoutMs,
      validateStatus: () => true,
      transformResponse: [(data: unknown) => data], // raw text: we parse (and report) ourselves
      responseType: 'text',
      maxRedirects: 0,
      proxy: false,
    });
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
    try {
      const r = await this.axios.request<string>({ method: req.method, url: url.toString(), headers, data });
      const text = typeof r.data === 'string' ? r.data : '';
      const outHeaders: Record<string, string> = {};
      for (const [k, v] of Object.entries(r.headers))
        if (v !== undefined && v !== null) outHeaders[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
      let body: unknown;
      if (text && /json/i.test(outHeaders['content-type'] ?? 'json')) {
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
      }
      return { status: r.status, headers: outHeaders, text, body };
    } catch (e) {
      const err = e as { code?: string; message: string };
      throw new ConnectorError('unreachable', `cannot reach ${url.origin}: ${err.code ?? err.message}`);
    }
  }
}
