// The FIRS/NRS MBS API client (over main/net/http-client.ts). Every call carries x-api-key/x-api-secret; answers are
// parsed from text and validated with zod; every failure is classified (see errors.ts) with the
// platform's `details` (dotted field path and reason) kept for the manager.
import { z } from 'zod';
import { FirsError } from './errors';
import { createHttpClient, type HttpAnswer, type HttpClient } from '../net/http-client';
import { NetError, TimeoutError, UnreachableError } from '../net/net-errors';
import { parseRetryAfter } from '../net/retry';
import { InvalidInput } from '../../shared/domain/sale';
import {
  CodeListData,
  ConfirmData,
  ErrorEnvelope,
  HealthBody,
  OkData,
  PaymentUpdate,
  successEnvelope,
  type CodeListEntry,
  type CodeListName,
} from './wire';

export interface FirsConfig {
  /** Sandbox, production or an access point provider exposing the same API, e.g. https://host (no /api). */
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
  /** Per request; a hung platform must not hold a job forever. */
  timeoutMs?: number;
}

export const FirsConfigSchema = z.object({
  baseUrl: z.string().url('must be a URL like https://einvoice.firs.gov.ng'),
  apiKey: z.string().min(1, 'the FIRS API key is missing'),
  apiSecret: z.string().min(1, 'the FIRS API secret is missing'),
  timeoutMs: z.number().int().positive().optional(),
});

const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'timed out',
  ECONNABORTED: 'timed out',
  ENOTFOUND: 'host not found (DNS)',
  EAI_AGAIN: 'DNS lookup failed',
  EPIPE: 'connection closed',
  ERR_BAD_RESPONSE: 'bad response',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

/** The platform's words for a refused API key (captured from the sandbox, May 2025; any status). */
export const API_KEY_REFUSED = /unable to validate api key/i;

// Answer schemas made once (see envelopeFor).
const ANY = z.unknown();
const OK_OR_ANY = OkData.or(ANY);

/**
 * confirm/download of an IRN the platform does not have. The published docs give no capture of
 * this answer; the sandbox answers HTTP 400 for nearly everything, so a 404 or any 4xx envelope
 * that is not about credentials reads as "absent". One place to change when a capture settles it.
 */
export const PLATFORM_ABSENT = (e: FirsError): boolean =>
  e.kind === 'not_found' || (e.kind === 'rejected' && e.status !== undefined && e.status >= 400 && e.status < 500);

/** A request body already encoded: an invoice sent to validate and then sign is stringified once. */
export class JsonBody {
  readonly text: string;
  constructor(value: unknown) {
    this.text = JSON.stringify(value);
  }
}

export class FirsClient {
  private readonly http: HttpClient;

  constructor(config: FirsConfig) {
    const parsed = FirsConfigSchema.safeParse(config);
    if (!parsed.success) throw new InvalidInput(parsed.error.issues.map((i) => `firs.${i.path.join('.')}: ${i.message}`).join('; '));
    const c = parsed.data;
    // Every status comes back as an answer: classification happens in one place below.
    this.http = createHttpClient({
      baseUrl: c.baseUrl,
      timeoutMs: c.timeoutMs ?? 15_000,
      headers: { 'x-api-key': c.apiKey, 'x-api-secret': c.apiSecret, accept: 'application/json' },
    });
  }

  /** GET /api → {healthy:true}. Never throws: false when unreachable or unhealthy. */
  async health(): Promise<boolean> {
    return (await this.healthProblem()) === undefined;
  }

  /** Why GET /api does not answer healthy (for the status line), or undefined when it does. */
  async healthProblem(): Promise<string | undefined> {
    return (await this.healthCheck()).problem;
  }

  /**
   * GET /api. `reachable` is true whenever the platform answered at all: an access point provider
   * without the health route (404) is still online; only a network failure means offline.
   */
  async healthCheck(): Promise<{ reachable: boolean; problem?: string }> {
    let res: HttpAnswer;
    try {
      res = await this.http.request({ method: 'GET', url: '/api' });
    } catch (e) {
      return { reachable: false, problem: networkError(e, 'GET /api').message };
    }
    if (res.status !== 200) return { reachable: true, problem: `FIRS health check answered HTTP ${res.status}` };
    return HealthBody.safeParse(parseBody(res.text)).data?.healthy === true
      ? { reachable: true }
      : { reachable: true, problem: 'FIRS health check did not answer {"healthy":true}' };
  }

  async validateIrn(body: { invoice_reference: string; business_id: string; irn: string }): Promise<void> {
    await this.call('POST', '/api/v1/invoice/irn/validate', body, OK_OR_ANY);
  }

  /** POST /api/v1/invoice/validate: checks the invoice without submitting it. */
  async validate(invoice: unknown, idempotencyKey: string): Promise<void> {
    await this.call('POST', '/api/v1/invoice/validate', invoice, OkData, idempotencyKey);
  }

  /** POST /api/v1/invoice/sign: the official submission (the B2C report / B2B clearance). */
  async sign(invoice: unknown, idempotencyKey: string): Promise<void> {
    await this.call('POST', '/api/v1/invoice/sign', invoice, ANY, idempotencyKey);
  }

  /**
   * GET /api/v1/invoice/confirm/{IRN}: the platform's record, or null when it has none. The
   * sandbox answers HTTP 400 for nearly everything, so "has none" is a 404 or any non-auth 4xx
   * envelope (see PLATFORM_ABSENT below); auth, 5xx and network failures still throw.
   */
  async confirm(irn: string): Promise<ConfirmData | null> {
    try {
      return await this.call('GET', `/api/v1/invoice/confirm/${encodeURIComponent(irn)}`, undefined, ConfirmData);
    } catch (e) {
      if (e instanceof FirsError && PLATFORM_ABSENT(e)) return null;
      throw e;
    }
  }

  /** GET /api/v1/invoice/download/{IRN}: the platform's copy (shape not published; may be encrypted). */
  async download(irn: string): Promise<unknown> {
    try {
      return await this.call('GET', `/api/v1/invoice/download/${encodeURIComponent(irn)}`, undefined, ANY);
    } catch (e) {
      if (e instanceof FirsError && PLATFORM_ABSENT(e)) return null;
      throw e;
    }
  }

  /** POST /api/v1/invoice/transmit/{IRN}: deliver a signed invoice to the buyer (B2B exchange). */
  async transmit(irn: string, idempotencyKey: string): Promise<void> {
    await this.call('POST', `/api/v1/invoice/transmit/${encodeURIComponent(irn)}`, {}, ANY, idempotencyKey);
  }

  /** PATCH /api/v1/invoice/update/{IRN} {payment_status, reference}. */
  async updatePayment(irn: string, update: PaymentUpdate, idempotencyKey: string): Promise<void> {
    const body = PaymentUpdate.parse(update);
    await this.call('PATCH', `/api/v1/invoice/update/${encodeURIComponent(irn)}`, body, ANY, idempotencyKey);
  }

  /** GET /api/v1/invoice/resources/{name}: a code list. */
  async codeList(name: CodeListName): Promise<CodeListEntry[]> {
    return this.call('GET', `/api/v1/invoice/resources/${name}`, undefined, CodeListData);
  }

  private async call<T extends z.ZodType>(
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    body: unknown,
    data: T,
    idempotencyKey?: string,
  ): Promise<z.infer<T>> {
    let res: HttpAnswer;
    try {
      res = await this.http.request({
        method,
        url: path,
        body: body === undefined ? undefined : body instanceof JsonBody ? body.text : JSON.stringify(body),
        headers: {
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
        },
      });
    } catch (e) {
      throw networkError(e, `${method} ${path}`);
    }
    return interpret(res, data, `${method} ${path}`);
  }
}

function networkError(e: unknown, what: string): FirsError {
  const code =
    e instanceof TimeoutError || e instanceof UnreachableError ? e.code : e instanceof NetError ? 'ERR_BAD_RESPONSE' : 'EUNKNOWN';
  const words = NETWORK_WORDS[code] ?? (e as Error).message ?? 'network error';
  return new FirsError('retryable', `FIRS unreachable (${what}): ${words}`, { code });
}

function parseBody(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return Symbol.for('malformed');
  }
}

// One envelope schema per data schema: building (and zod compiling) it per answer was ~9 % of a
// drain's CPU (issue 15, --cpu-prof).
const envelopes = new WeakMap<z.ZodType, z.ZodType>();
function envelopeFor(data: z.ZodType): z.ZodType {
  let env = envelopes.get(data);
  if (!env) envelopes.set(data, (env = successEnvelope(data)));
  return env;
}

function interpret<T extends z.ZodType>(res: HttpAnswer, data: T, what: string): z.infer<T> {
  const status = res.status;
  const parsed = parseBody(res.text);
  if (status >= 200 && status < 300) {
    const ok = envelopeFor(data).safeParse(parsed) as z.ZodSafeParseResult<{ data: unknown }>;
    if (!ok.success) {
      const snippet = res.text.slice(0, 80);
      throw new FirsError('retryable', `FIRS answered ${what} with a malformed body (HTTP ${status}): ${snippet}`, {
        status,
        code: 'MALFORMED',
      });
    }
    return ok.data.data as z.infer<T>;
  }
  const env = ErrorEnvelope.safeParse(parsed);
  const details = env.success ? env.data.error?.details : undefined;
  const publicMessage = env.success ? env.data.error?.public_message : undefined;
  const message = publicMessage ?? (env.success ? env.data.message : undefined);
  // The specific part first and alone when there is one: the sandbox's public_message is the same
  // generic sentence (mentioning a "duplicate request") on every validation error.
  const readable = details ?? message ?? `HTTP ${status}`;
  const retryAfterMs = parseRetryAfter(res.headers['retry-after']);

  // Classified from what is specific. The real sandbox sends a bad key as HTTP 400 with
  // public_message "unable to validate api key" (no details), not 401: any status counts.
  if (status === 401 || status === 403 || (publicMessage !== undefined && API_KEY_REFUSED.test(publicMessage))) {
    return fail(
      'auth',
      `FIRS refused the API credentials (HTTP ${status}): ${readable}. Check or renew the API key and secret in Settings.`,
    );
  }
  if (status === 404) return fail('not_found', `FIRS: ${readable}`);
  if (status === 429)
    return fail(
      'retryable',
      `FIRS rate limit (HTTP 429)${retryAfterMs !== undefined ? `: retry after ${Math.ceil(retryAfterMs / 1000)} s` : ''}`,
    );
  if (status === 408 || status === 425 || status >= 500) return fail('retryable', `FIRS server error (HTTP ${status}): ${readable}`);
  if (!env.success) return fail('retryable', `FIRS answered ${what} with HTTP ${status} and a malformed body`);
  // Never "duplicate" from these words: the sandbox's generic public_message mentions a duplicate
  // request on every validation error. The caller asks confirm/{IRN} when it matters.
  return fail('rejected', `FIRS refused ${what} (HTTP ${status}): ${readable}`);

  function fail(kind: FirsError['kind'], msg: string): never {
    throw new FirsError(kind, msg, { status, details, publicMessage, retryAfterMs });
  }
}
