// Authenticated calls to one vendor: bearer token from the TokenKeeper, one renewal on 401,
// status codes turned into ConnectorErrors, transient ones retried with backoff/Retry-After.
import { connectorRetry, ConnectorError } from './errors';
import type { HttpClient, HttpRequest, HttpResponse } from './http';
import { parseRetryAfter, withRetry, type BackoffPolicy, type RetryClock } from '../net/retry';
import type { TokenKeeper } from './tokens';

/** The vendor's own words from an error body, whatever its shape. */
export function vendorMessage(res: HttpResponse): string {
  const b = res.body as Record<string, unknown> | undefined;
  if (b && typeof b === 'object') {
    const errors = b.errors;
    if (Array.isArray(errors) && errors[0] && typeof errors[0] === 'object') {
      const e = errors[0] as Record<string, unknown>;
      return [e.code, e.detail ?? e.message].filter(Boolean).join(': ');
    }
    for (const k of ['message', 'error_description', 'error', 'detail']) {
      const v = b[k];
      if (typeof v === 'string' && v) return v;
      if (v && typeof v === 'object' && typeof (v as Record<string, unknown>).message === 'string')
        return String((v as Record<string, unknown>).message);
    }
  }
  return res.text.slice(0, 200) || `HTTP ${res.status}`;
}

/** Default mapping of an HTTP answer to a problem; vendors refine 403/404 where they can. */
export function classify(vendor: string, res: HttpResponse, now: number): ConnectorError | undefined {
  if (res.status >= 200 && res.status < 300) return undefined;
  const msg = `${vendor}: ${vendorMessage(res)} (HTTP ${res.status})`;
  if (res.status === 401) return new ConnectorError('bad_credentials', msg, { status: 401 });
  if (res.status === 403) return new ConnectorError('missing_scope', msg, { status: 403 });
  if (res.status === 429)
    return new ConnectorError('rate_limited', msg, { status: 429, retryAfterMs: parseRetryAfter(res.headers['retry-after'], now) });
  if (res.status >= 500)
    return new ConnectorError('vendor_error', msg, { status: res.status, retryAfterMs: parseRetryAfter(res.headers['retry-after'], now) });
  return new ConnectorError('bad_response', msg, { status: res.status });
}

export interface VendorApiOptions {
  vendor: string;
  http: HttpClient;
  tokens: TokenKeeper;
  backoff: BackoffPolicy;
  clock: RetryClock;
  /** Extra headers on every call (Square-Version, Toast-Restaurant-External-ID). */
  headers?: Record<string, string>;
  /** Vendor-specific refinement (e.g. "unknown restaurant" on a 403 that says so). */
  refine?: (res: HttpResponse, error: ConnectorError) => ConnectorError;
  onWait?: (ms: number, error: ConnectorError) => void;
  /** Pacing before the next call, read from a successful answer (e.g. a leaky bucket nearly full). */
  pace?: (res: HttpResponse) => number | undefined;
}

export class VendorApi {
  constructor(readonly o: VendorApiOptions) {}

  /** A successful (2xx) response with a JSON body, or a ConnectorError. */
  async call(req: HttpRequest): Promise<HttpResponse> {
    const res = await withRetry(() => this.once(req), {
      ...connectorRetry,
      policy: this.o.backoff,
      clock: this.o.clock,
      onWait: this.o.onWait,
    });
    const wait = this.o.pace?.(res);
    if (wait && wait > 0) await this.o.clock.sleep(Math.min(wait, this.o.backoff.capMs));
    return res;
  }

  private async once(req: HttpRequest): Promise<HttpResponse> {
    let token = await this.o.tokens.accessToken();
    let res = await this.send(req, token);
    if (res.status === 401) {
      token = await this.o.tokens.rejected(token);
      res = await this.send(req, token);
    }
    const error = classify(this.o.vendor, res, this.o.clock.now());
    if (error) throw this.o.refine ? this.o.refine(res, error) : error;
    if (res.body === undefined)
      throw new ConnectorError('bad_response', `${this.o.vendor}: ${req.url} answered HTTP ${res.status} without a JSON body`);
    return res;
  }

  private send(req: HttpRequest, token: string): Promise<HttpResponse> {
    return this.o.http.request({ ...req, headers: { ...this.o.headers, ...req.headers, authorization: `Bearer ${token}` } });
  }
}
