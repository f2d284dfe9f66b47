// Authenticated calls to one CRM: the auth header from the TokenKeeper (bearer, or Pipedrive's
// x-api-token), one renewal when the CRM says the session is gone, vendor statuses turned into
// ConnectorErrors (each CRM refines its own: Salesforce's 403 REQUEST_LIMIT_EXCEEDED is a rate
// limit, not a scope problem), transient ones retried with backoff or the CRM's Retry-After.
import { connectorRetry, ConnectorError } from '../errors';
import type { HttpClient, HttpRequest, HttpResponse } from '../http';
import { withRetry, type BackoffPolicy, type RetryClock } from '../../net/retry';
import type { TokenKeeper } from '../tokens';
import { classify } from '../vendor-api';

export interface CrmApiOptions {
  source: string;
  http: HttpClient;
  tokens: TokenKeeper;
  backoff: BackoffPolicy;
  clock: RetryClock;
  /** The request headers that carry a token (default: Authorization: Bearer). */
  authHeaders?: (token: string) => Record<string, string>;
  /** Is this answer "the session is gone, renew and retry once"? (default: 401) */
  expired?: (res: HttpResponse) => boolean;
  refine?: (res: HttpResponse, error: ConnectorError) => ConnectorError;
  /** Pacing read from a successful answer (HubSpot's remaining-requests headers). */
  pace?: (res: HttpResponse) => number | undefined;
  onWait?: (ms: number, error: ConnectorError) => void;
  /** Told about every answer (Sforce-Limit-Info for the status line). */
  onResponse?: (res: HttpResponse) => void;
}

export class CrmApi {
  constructor(readonly o: CrmApiOptions) {}

  async call(req: HttpRequest, opts: { allowEmpty?: boolean } = {}): Promise<HttpResponse> {
    const res = await withRetry(() => this.once(req, opts), {
      ...connectorRetry,
      policy: this.o.backoff,
      clock: this.o.clock,
      onWait: this.o.onWait,
    });
    const wait = this.o.pace?.(res);
    if (wait && wait > 0) await this.o.clock.sleep(Math.min(wait, this.o.backoff.capMs));
    return res;
  }

  private async once(req: HttpRequest, opts: { allowEmpty?: boolean }): Promise<HttpResponse> {
    let token = await this.o.tokens.accessToken();
    let res = await this.send(req, token);
    const expired = this.o.expired ?? ((r: HttpResponse) => r.status === 401);
    if (expired(res)) {
      token = await this.o.tokens.rejected(token);
      res = await this.send(req, token);
    }
    this.o.onResponse?.(res);
    const error = classify(this.o.source, res, this.o.clock.now());
    if (error) throw this.o.refine ? this.o.refine(res, error) : error;
    if (res.body === undefined && !(opts.allowEmpty && res.status === 204)) {
      throw new ConnectorError('bad_response', `${this.o.source}: ${req.url} answered HTTP ${res.status} without a JSON body`);
    }
    return res;
  }

  private send(req: HttpRequest, token: string): Promise<HttpResponse> {
    const auth = this.o.authHeaders ? this.o.authHeaders(token) : { authorization: `Bearer ${token}` };
    return this.o.http.request({ ...req, headers: { ...req.headers, ...auth } });
  }
}
