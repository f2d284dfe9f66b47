// A loopback stand-in for the FIRS/NRS MBS API, following the documented contract
// (shared/docs/firs-mbs.md): x-api-key/x-api-secret on every call, {code, data} success
// envelopes, the {code, data:null, message, error:{id, handler, details, public_message}} error
// envelope, validate then sign, duplicate IRNs refused as a validation error, confirm/{IRN},
// update/{IRN}, irn/validate, health, resources/{name}. Faults are switchable so the client and
// the worker can be driven through every failure the issue lists. It records every IRN signed.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackServer } from './loopback-server';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

export type Fault =
  | { kind: 'status500' }
  | { kind: 'rate_limited'; retryAfter: string } // the Retry-After header value as sent (seconds or an HTTP date)
  | { kind: 'drop' } // headers and half a body, then the connection is destroyed
  | { kind: 'drop_after_processing' } // the request takes effect (e.g. the IRN is signed), then the answer is lost
  | { kind: 'malformed' } // 200 with a body that is not JSON
  | { kind: 'expired_credentials' }
  | { kind: 'hang' }; // never answers (the client's timeout must fire)

export interface FaultRule {
  fault: Fault;
  /** Only requests whose path contains this (e.g. '/invoice/sign'); all when absent. */
  path?: string;
  /** Only requests to exactly this path (e.g. '/api', which every path contains). */
  exactPath?: string;
  /** How many requests it applies to; unlimited when absent. */
  times?: number;
}

export const FAKE_CODE_LISTS: Record<string, unknown[]> = {
  'invoice-types': [
    { code: '381', value: 'Commercial Invoice' }, { code: '380', value: 'Credit Note' }, { code: '384', value: 'Debit Note' },
    { code: '385', value: 'Self Billed Invoice' }, { code: '390', value: 'Proforma Invoice' },
  ],
  currencies: [{ code: 'NGN', name: 'Nigerian Naira' }, { code: 'USD', name: 'US Dollar' }, { code: 'GBP', name: 'Pound Sterling' }],
  'tax-categories': [
    { code: 'STANDARD_VAT', value: 'Standard Value-Added Tax', percent: '7.5' }, { code: 'REDUCED_VAT', value: 'Reduced VAT' },
    { code: 'ZERO_VAT', value: 'Zero VAT', percent: '0' }, { code: 'EXEMPTED', value: 'Exempted' }, { code: 'STAMP_DUTY', value: 'Stamp Duty' },
  ],
  'payment-means': [
    { code: '10', value: 'In cash' }, { code: '20', value: 'Cheque' }, { code: '30', value: 'Credit transfer' },
    { code: '48', value: 'Bank card' }, { code: '49', value: 'Direct debit' }, { code: '68', value: 'Online payment service' },
  ],
  countries: [{ alpha_2: 'NG', name: 'Nigeria' }, { alpha_2: 'GH', name: 'Ghana' }, { alpha_2: 'US', name: 'United States' }],
};

const amount = z.number().finite();
const party = z.object({ party_name: z.string().min(1), tin: z.string().min(1), email: z.string().email() }).passthrough();
// The mandatory fields plus the ones sandbox users found required in practice.
const InvoiceBody = z.object({
  business_id: z.string().uuid(),
  irn: z.string().min(1).max(140),
  issue_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  invoice_type_code: z.string().min(1),
  document_currency_code: z.string().length(3),
  tax_currency_code: z.string().length(3),
  accounting_supplier_party: party,
  tax_total: z.array(z.object({ tax_amount: amount }).passthrough()).min(1),
  legal_monetary_total: z.object({
    line_extension_amount: amount, tax_exclusive_amount: amount, tax_inclusive_amount: amount, payable_amount: amount,
  }),
  invoice_line: z.array(z.object({ invoiced_quantity: amount, line_extension_amount: amount, price: z.object({ price_amount: amount }).passthrough() }).passthrough()).min(1),
}).passthrough();

export interface SignRecord { irn: string; count: number; at: number; body: unknown }
export interface RequestRecord { method: string; path: string; status: number | 'dropped' | 'hung'; idempotencyKey?: string }

export interface FakeFirsOptions {
  apiKey?: string;
  apiSecret?: string;
  port?: number;
  /** Added before each answer: a fixed number of ms, or a function giving one. */
  latencyMs?: number | (() => number);
}

export class FakeFirs extends LoopbackServer {
  readonly apiKey: string;
  readonly apiSecret: string;
  /** IRN → how many times it was signed (successfully). Exactly once means every value is 1. */
  readonly signed = new Map<string, SignRecord>();
  /** How many sign requests arrived per IRN (including those refused as duplicates). */
  readonly signRequests = new Map<string, number>();
  readonly validated = new Map<string, number>();
  readonly payments = new Map<string, { payment_status: string; reference?: string }>();
  readonly requests: RequestRecord[] = [];
  /** IRNs the platform refuses with a validation error (details as the platform would word them). */
  readonly rejectIrns = new Map<string, string>();
  latencyMs: number | (() => number);
  private rules: FaultRule[] = [];
  private credentialsExpired = false;

  constructor(opts: FakeFirsOptions = {}) {
    super(opts.port ?? 0);
    this.apiKey = opts.apiKey ?? 'test-api-key';
    this.apiSecret = opts.apiSecret ?? 'test-api-secret';
    this.latencyMs = opts.latencyMs ?? 0;
  }

  close(): Promise<void> {
    return this.down();
  }

  fault(rule: FaultRule): void {
    this.rules.push({ ...rule });
  }

  clearFaults(): void {
    this.rules = [];
  }

  /** Every request is answered 401 until `renewCredentials()` (the keys were rotated on the dashboard). */
  expireCredentials(): void {
    this.credentialsExpired = true;
  }

  renewCredentials(): void {
    this.credentialsExpired = false;
  }

  /** IRNs signed more than once (must stay empty). */
  signedTwice(): string[] {
    return [...this.signed.values()].filter((r) => r.count > 1).map((r) => r.irn);
  }

  private takeFault(path: string): Fault | undefined {
    const i = this.rules.findIndex((r) => (r.exactPath === undefined || path === r.exactPath) && (!r.path || path.includes(r.path)));
    if (i < 0) return undefined;
    const rule = this.rules[i]!;
    if (rule.times !== undefined) {
      rule.times--;
      if (rule.times <= 0) this.rules.splice(i, 1);
    }
    return rule.fault;
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    const record: RequestRecord = { method: req.method ?? 'GET', path, status: 0 };
    const key = req.headers['idempotency-key'];
    if (typeof key === 'string') record.idempotencyKey = key;
    this.requests.push(record);

    const delay = typeof this.latencyMs === 'function' ? this.latencyMs() : this.latencyMs;
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    if (res.destroyed) return;

    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
      res.end(text);
    };
    const error = (status: number, message: string, details: string, handler = 'validation') =>
      send(status, {
        code: status, data: null, message,
        error: { id: randomUUID(), handler, details, public_message: message },
      });

    const fault = this.takeFault(path);
    if (fault) {
      switch (fault.kind) {
        case 'status500':
          return error(500, 'Internal Server Error', 'an unexpected error occurred', 'internal');
        case 'rate_limited':
          return send(429, { code: 429, data: null, message: 'Too many requests', error: { id: randomUUID(), handler: 'rate_limit', details: 'rate limit exceeded', public_message: 'Too many requests' } }, { 'retry-after': fault.retryAfter });
        case 'malformed':
          record.status = 200;
          res.writeHead(200, { 'content-type': 'application/json' });
          return void res.end('<html><body>Bad gateway</body></html>');
        case 'expired_credentials':
          return error(401, 'Unauthorized', 'the api key or secret has expired', 'auth');
        case 'drop':
          record.status = 'dropped';
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': '200' });
          res.write('{"code":200,"da');
          return void setImmediate(() => res.socket?.destroy());
        case 'hang':
          record.status = 'hung';
          return; // the socket stays open with no answer
        case 'drop_after_processing':
          break; // handled below, after the request took effect
      }
    }
    const dropAfter = fault?.kind === 'drop_after_processing';
    const reply = (status: number, body: unknown) => {
      if (dropAfter) {
        record.status = 'dropped';
        res.socket?.destroy();
        return;
      }
      send(status, body);
    };

    if (path === '/api' && req.method === 'GET') return reply(200, { healthy: true });

    if (req.headers['x-api-key'] !== this.apiKey || req.headers['x-api-secret'] !== this.apiSecret) {
      return error(401, 'Unauthorized', 'x-api-key or x-api-secret is missing or invalid', 'auth');
    }
    if (this.credentialsExpired) return error(401, 'Unauthorized', 'the api key or secret has expired', 'auth');

    let body: unknown;
    if (req.method === 'POST' || req.method === 'PATCH') {
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        return error(400, 'Invalid JSON', 'body: not valid JSON');
      }
    }

    const resource = /^\/api\/v1\/invoice\/resources\/([a-z-]+)$/.exec(path);
    if (resource && req.method === 'GET') {
      const list = FAKE_CODE_LISTS[resource[1]!];
      if (!list) return error(404, 'Not found', `resources: no code list named ${resource[1]}`, 'not_found');
      return reply(200, { code: 200, data: list });
    }

    if (path === '/api/v1/invoice/irn/validate' && req.method === 'POST') {
      const b = z.object({ invoice_reference: z.string().min(1), business_id: z.string().uuid(), irn: z.string().min(1) }).safeParse(body);
      if (!b.success) return error(400, 'Validation error', detailsOf(b.error));
      if (!/^[A-Za-z0-9]+-[A-Za-z0-9]{8}-\d{8}$/.test(b.data.irn)) return error(400, 'Invalid IRN', 'irn: does not match {InvoiceNumber}-{ServiceID}-{YYYYMMDD}');
      return reply(200, { code: 200, data: { ok: true } });
    }

    if ((path === '/api/v1/invoice/validate' || path === '/api/v1/invoice/sign') && req.method === 'POST') {
      const inv = InvoiceBody.safeParse(body);
      if (!inv.success) return error(400, 'Validation error', detailsOf(inv.error));
      const codeProblem = this.checkCodes(inv.data);
      if (codeProblem) return error(400, 'Validation error', codeProblem);
      const irn = inv.data.irn;
      const refused = this.rejectIrns.get(irn);
      if (refused) return error(400, 'Validation error', refused);
      if (path.endsWith('/validate')) {
        this.validated.set(irn, (this.validated.get(irn) ?? 0) + 1);
        return reply(201, { code: 201, data: { ok: true } });
      }
      this.signRequests.set(irn, (this.signRequests.get(irn) ?? 0) + 1);
      const existing = this.signed.get(irn);
      if (existing) {
        return error(400, 'Validation error', `irn: invoice with irn ${irn} already exists, please confirm this is not a duplicate request`);
      }
      this.signed.set(irn, { irn, count: 1, at: Date.now(), body: inv.data });
      return reply(201, { code: 201, data: { ok: true } });
    }

    const confirm = /^\/api\/v1\/invoice\/confirm\/(.+)$/.exec(path);
    if (confirm && req.method === 'GET') {
      const irn = decodeURIComponent(confirm[1]!);
      const s = this.signed.get(irn);
      if (!s) return error(404, 'Not found', `irn: no invoice with irn ${irn}`, 'not_found');
      const b = s.body as { business_id: string; issue_date: string };
      return reply(200, { code: 200, data: { irn, business_id: b.business_id, issue_date: b.issue_date, status: 'SIGNED', signed_at: new Date(s.at).toISOString() } });
    }

    const update = /^\/api\/v1\/invoice\/update\/(.+)$/.exec(path);
    if (update && req.method === 'PATCH') {
      const irn = decodeURIComponent(update[1]!);
      const b = z.object({ payment_status: z.enum(['PENDING', 'PAID', 'REJECTED', 'PARTIAL']), reference: z.string().optional() }).safeParse(body);
      if (!b.success) return error(400, 'Validation error', detailsOf(b.error));
      if (!this.signed.has(irn)) return error(404, 'Not found', `irn: no invoice with irn ${irn}`, 'not_found');
      this.payments.set(irn, b.data);
      return reply(200, { code: 200, data: { ok: true } });
    }

    return error(404, 'Not found', `path: ${req.method} ${path} is not part of the API`, 'not_found');
  }

  private checkCodes(inv: z.infer<typeof InvoiceBody>): string | undefined {
    const codes = (name: string) => new Set(FAKE_CODE_LISTS[name]!.map((e) => String((e as { code?: string; alpha_2?: string }).code ?? (e as { alpha_2: string }).alpha_2)));
    if (!codes('invoice-types').has(inv.invoice_type_code)) return `invoice_type_code: ${inv.invoice_type_code} is not a valid invoice type`;
    if (!codes('currencies').has(inv.document_currency_code)) return `document_currency_code: ${inv.document_currency_code} is not a valid currency`;
    const subtotals = (inv.tax_total as { tax_subtotal?: { tax_category?: { id?: string } }[] }[]).flatMap((t) => t.tax_subtotal ?? []);
    for (const [i, s] of subtotals.entries()) {
      const id = s.tax_category?.id ?? '';
      if (!codes('tax-categories').has(id)) return `tax_total.0.tax_subtotal.${i}.tax_category.id: ${id} is not a valid tax category`;
    }
    return undefined;
  }
}

function detailsOf(error: z.ZodError): string {
  const i = error.issues[0]!;
  return `${i.path.map(String).join('.')}: ${i.message}`;
}

export async function startFakeFirs(opts: FakeFirsOptions = {}): Promise<FakeFirs> {
  return new FakeFirs(opts).up();
}
