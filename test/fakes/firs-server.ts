// A loopback stand-in for the FIRS/NRS MBS API that answers like the REAL sandbox (captures of
// May 2025, shared/docs/firs-mbs.md): x-api-key/x-api-secret on every call, {code, data} success
// envelopes, and for nearly every failure HTTP 400 with the literal envelope
//   {"code":400,"data":null,"message":"error has occurred","error":{"id","handler","details","public_message"}}
// — a bad key is 400 with handler "handler" and public_message "unable to validate api key" (no
// details); every validation problem (a duplicate IRN included) carries the specific `details`
// and the GENERIC public_message "validation failed: … also confirm this is not a duplicate request".
// NRS v1.1 checks (invoice_kind, supplier state/LGA, B2B buyer, item classification, the price
// identity) answer with the field path in `details`. mode 'friendly' (only where a test needs it)
// answers 401 for credentials, 404 for an unknown IRN and specific public messages, as some access
// point providers do. Faults are switchable; every IRN signed is recorded.
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

/** The literal strings of the sandbox captures. */
export const SANDBOX = {
  message: 'error has occurred',
  apiKeyRefused: 'unable to validate api key',
  validationFailed: 'validation failed: we are unable to process your request. also confirm this is not a duplicate request',
} as const;

/** The literal bodies from the captures (ids as captured), for tests that classify them directly. */
export const SANDBOX_CAPTURES = {
  badApiKey: {
    code: 400,
    data: null,
    message: SANDBOX.message,
    error: { id: 'e879185c-2f48-4906-9e56-9e4699820e56', handler: 'handler', public_message: SANDBOX.apiKeyRefused },
  },
  validation: {
    code: 400,
    data: null,
    message: SANDBOX.message,
    error: {
      id: '948f82c9-1e3a-436b-a460-166e93f6e95b',
      handler: 'entity_actions',
      details: 'invalid UUID length: 13',
      public_message: SANDBOX.validationFailed,
    },
  },
} as const;

export const FAKE_CODE_LISTS: Record<string, unknown[]> = {
  'invoice-types': [
    { code: '381', value: 'Commercial Invoice' },
    { code: '380', value: 'Credit Note' },
    { code: '384', value: 'Debit Note' },
    { code: '385', value: 'Self Billed Invoice' },
    { code: '390', value: 'Proforma Invoice' },
  ],
  currencies: [
    { code: 'NGN', name: 'Nigerian Naira' },
    { code: 'USD', name: 'US Dollar' },
    { code: 'GBP', name: 'Pound Sterling' },
  ],
  'tax-categories': [
    { code: 'STANDARD_VAT', value: 'Standard Value-Added Tax', percent: '7.5' },
    { code: 'REDUCED_VAT', value: 'Reduced VAT' },
    { code: 'ZERO_VAT', value: 'Zero VAT', percent: '0' },
    { code: 'EXEMPTED', value: 'Exempted' },
    { code: 'STAMP_DUTY', value: 'Stamp Duty' },
  ],
  'payment-means': [
    { code: '10', value: 'In cash' },
    { code: '20', value: 'Cheque' },
    { code: '30', value: 'Credit transfer' },
    { code: '48', value: 'Bank card' },
    { code: '49', value: 'Direct debit' },
    { code: '68', value: 'Online payment service' },
  ],
  countries: [
    { alpha_2: 'NG', name: 'Nigeria' },
    { alpha_2: 'GH', name: 'Ghana' },
    { alpha_2: 'US', name: 'United States' },
  ],
  // Shapes as captured from /invoice/resources (states {name, code}; lgas {name, code, state_code};
  // hs-codes {hscode, description}; services-codes {code, description}; quantity codes {code, name, description}).
  states: [
    { name: 'Abia', code: 'NG-AB' },
    { name: 'Lagos', code: 'NG-LA' },
    { name: 'Federal Capital Territory', code: 'NG-FC' },
    { name: 'Kano', code: 'NG-KN' },
  ],
  lgas: [
    { name: 'Aba North', code: 'NG-AB-ANO', state_code: 'NG-AB' },
    { name: 'Aba South', code: 'NG-AB-ASO', state_code: 'NG-AB' },
    { name: 'Ikeja', code: 'NG-LA-IKJ', state_code: 'NG-LA' },
    { name: 'Surulere', code: 'NG-LA-SUR', state_code: 'NG-LA' },
    { name: 'Municipal Area Council', code: 'NG-FC-AMA', state_code: 'NG-FC' },
  ],
  'hs-codes': [
    { hscode: '1006.30', description: 'Rice, semi-milled or wholly milled' },
    { hscode: '3401.11', description: 'Soap for toilet use' },
    { hscode: '2202.10', description: 'Waters, sweetened or flavoured' },
    { hscode: '1101.00', description: 'Wheat or meslin flour' },
  ],
  'services-codes': [
    { code: '9602', description: 'Hairdressing and other beauty treatment' },
    { code: '5610', description: 'Restaurants and mobile food service activities' },
  ],
  'invoice-quantity-codes': [{ code: 'C62', name: 'one', description: 'A unit of count defining the number of articles (one).' }],
};

const amount = z.number().finite();
const party = z.object({ party_name: z.string().min(1), tin: z.string().min(1), email: z.string().email() }).passthrough();
// The mandatory fields plus the ones sandbox users found required in practice.
const InvoiceBody = z
  .object({
    business_id: z.string().uuid(),
    irn: z.string().min(1).max(140),
    issue_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    invoice_type_code: z.string().min(1),
    document_currency_code: z.string().length(3),
    tax_currency_code: z.string().length(3),
    accounting_supplier_party: party,
    tax_total: z.array(z.object({ tax_amount: amount }).passthrough()).min(1),
    legal_monetary_total: z.object({
      line_extension_amount: amount,
      tax_exclusive_amount: amount,
      tax_inclusive_amount: amount,
      payable_amount: amount,
    }),
    invoice_line: z
      .array(
        z
          .object({ invoiced_quantity: amount, line_extension_amount: amount, price: z.object({ price_amount: amount }).passthrough() })
          .passthrough(),
      )
      .min(1),
  })
  .passthrough();

export interface SignRecord {
  irn: string;
  count: number;
  at: number;
  body: unknown;
}
export type FakeMode = 'sandbox' | 'friendly';
export interface RequestRecord {
  method: string;
  path: string;
  status: number | 'dropped' | 'hung';
  idempotencyKey?: string;
}

export interface FakeFirsOptions {
  apiKey?: string;
  apiSecret?: string;
  port?: number;
  /** Added before each answer: a fixed number of ms, or a function giving one. */
  latencyMs?: number | (() => number);
  /** 'sandbox' (default): the real sandbox's answers. 'friendly': 401/404 and specific messages. */
  mode?: FakeMode;
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
  /** IRNs delivered to the buyer (POST transmit/{IRN}). */
  readonly transmitted = new Set<string>();
  /** transmit refuses ("webhook url is not setup") until the business configured one on the dashboard. */
  webhookConfigured = true;
  readonly mode: FakeMode;
  latencyMs: number | (() => number);
  private rules: FaultRule[] = [];
  private credentialsExpired = false;

  constructor(opts: FakeFirsOptions = {}) {
    super(opts.port ?? 0);
    this.apiKey = opts.apiKey ?? 'test-api-key';
    this.apiSecret = opts.apiSecret ?? 'test-api-secret';
    this.latencyMs = opts.latencyMs ?? 0;
    this.mode = opts.mode ?? 'sandbox';
  }

  /** The platform already holds this IRN with this content (another till, an earlier life of a restored ledger). */
  preload(irn: string, body: unknown): void {
    this.signed.set(irn, { irn, count: 1, at: Date.now(), body });
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
    const friendly = this.mode === 'friendly';
    // Validation problems: HTTP 400, the specific `details`, the generic public_message.
    const invalid = (details: string, handler = 'invoice_actions') =>
      send(400, {
        code: 400,
        data: null,
        message: SANDBOX.message,
        error: { id: randomUUID(), handler, details, public_message: friendly ? 'Validation error' : SANDBOX.validationFailed },
      });
    const badKey = () =>
      friendly
        ? send(401, {
            code: 401,
            data: null,
            message: 'Unauthorized',
            error: {
              id: randomUUID(),
              handler: 'auth',
              details: 'x-api-key or x-api-secret is missing or invalid',
              public_message: 'Unauthorized',
            },
          })
        : send(400, {
            code: 400,
            data: null,
            message: SANDBOX.message,
            error: { id: randomUUID(), handler: 'handler', public_message: SANDBOX.apiKeyRefused },
          });
    const unknownIrn = (irn: string) =>
      friendly
        ? send(404, {
            code: 404,
            data: null,
            message: 'Not found',
            error: { id: randomUUID(), handler: 'not_found', details: `irn: no invoice with irn ${irn}`, public_message: 'Not found' },
          })
        : invalid(`no invoice found with irn ${irn}`);
    const error = (status: number, message: string, details: string, handler = 'internal') =>
      send(status, { code: status, data: null, message, error: { id: randomUUID(), handler, details, public_message: message } });

    const fault = this.takeFault(path);
    if (fault) {
      switch (fault.kind) {
        case 'status500':
          return error(500, 'Internal Server Error', 'an unexpected error occurred', 'internal');
        case 'rate_limited':
          return send(
            429,
            {
              code: 429,
              data: null,
              message: 'Too many requests',
              error: { id: randomUUID(), handler: 'rate_limit', details: 'rate limit exceeded', public_message: 'Too many requests' },
            },
            { 'retry-after': fault.retryAfter },
          );
        case 'malformed':
          record.status = 200;
          res.writeHead(200, { 'content-type': 'application/json' });
          return void res.end('<html><body>Bad gateway</body></html>');
        case 'expired_credentials':
          return badKey();
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

    if (req.headers['x-api-key'] !== this.apiKey || req.headers['x-api-secret'] !== this.apiSecret || this.credentialsExpired)
      return badKey();

    let body: unknown;
    if (req.method === 'POST' || req.method === 'PATCH') {
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        return invalid('body: not valid JSON');
      }
    }

    const resource = /^\/api\/v1\/invoice\/resources\/([a-z-]+)$/.exec(path);
    if (resource && req.method === 'GET') {
      const list = FAKE_CODE_LISTS[resource[1]!];
      if (!list) return invalid(`resources: no code list named ${resource[1]}`, 'resources');
      return reply(200, { code: 200, data: list });
    }

    if (path === '/api/v1/invoice/irn/validate' && req.method === 'POST') {
      const b = z.object({ invoice_reference: z.string().min(1), business_id: z.string().uuid(), irn: z.string().min(1) }).safeParse(body);
      if (!b.success) return invalid(detailsOf(b.error));
      if (!/^[A-Za-z0-9]+-[A-Za-z0-9]{8}-\d{8}$/.test(b.data.irn))
        return invalid('irn: does not match {InvoiceNumber}-{ServiceID}-{YYYYMMDD}');
      if (!b.data.irn.startsWith(`${b.data.invoice_reference}-`)) return invalid('invoice_reference: does not match the IRN');
      return reply(200, { code: 200, data: { ok: true } });
    }

    if ((path === '/api/v1/invoice/validate' || path === '/api/v1/invoice/sign') && req.method === 'POST') {
      const inv = InvoiceBody.safeParse(body);
      if (!inv.success) return invalid(detailsOf(inv.error));
      const problem = this.checkCodes(inv.data) ?? checkV11(inv.data);
      if (problem) return invalid(problem);
      const irn = inv.data.irn;
      const refused = this.rejectIrns.get(irn);
      if (refused) return invalid(refused);
      if (this.signed.has(irn)) return invalid(`irn: ${irn} already exists`); // validate and sign alike
      if (path.endsWith('/validate')) {
        this.validated.set(irn, (this.validated.get(irn) ?? 0) + 1);
        return reply(201, { code: 201, data: { ok: true } });
      }
      this.signRequests.set(irn, (this.signRequests.get(irn) ?? 0) + 1);
      this.signed.set(irn, { irn, count: 1, at: Date.now(), body: inv.data });
      return reply(201, { code: 201, data: { ok: true } });
    }

    const confirm = /^\/api\/v1\/invoice\/confirm\/(.+)$/.exec(path);
    if (confirm && req.method === 'GET') {
      const irn = decodeURIComponent(confirm[1]!);
      const s = this.signed.get(irn);
      if (!s) return unknownIrn(irn);
      const b = s.body as { business_id: string; issue_date: string };
      return reply(200, {
        code: 200,
        data: { irn, business_id: b.business_id, issue_date: b.issue_date, status: 'SIGNED', signed_at: new Date(s.at).toISOString() },
      });
    }

    const download = /^\/api\/v1\/invoice\/download\/(.+)$/.exec(path);
    if (download && req.method === 'GET') {
      const irn = decodeURIComponent(download[1]!);
      const s = this.signed.get(irn);
      if (!s) return unknownIrn(irn);
      return reply(200, { code: 200, data: s.body });
    }

    const transmit = /^\/api\/v1\/invoice\/transmit\/(.+)$/.exec(path);
    if (transmit && req.method === 'POST') {
      const irn = decodeURIComponent(transmit[1]!);
      if (!this.signed.has(irn)) return unknownIrn(irn);
      if (!this.webhookConfigured) return invalid('webhook url is not setup', 'transmit');
      this.transmitted.add(irn);
      return reply(200, { code: 200, data: { ok: true } });
    }

    const update = /^\/api\/v1\/invoice\/update\/(.+)$/.exec(path);
    if (update && req.method === 'PATCH') {
      const irn = decodeURIComponent(update[1]!);
      const b = z
        .object({ payment_status: z.enum(['PENDING', 'PAID', 'REJECTED', 'PARTIAL']), reference: z.string().optional() })
        .safeParse(body);
      if (!b.success) return invalid(detailsOf(b.error));
      if (!this.signed.has(irn)) return unknownIrn(irn);
      this.payments.set(irn, b.data);
      return reply(200, { code: 200, data: { ok: true } });
    }

    return error(404, 'Not found', `path: ${req.method} ${path} is not part of the API`, 'not_found');
  }

  private checkCodes(inv: z.infer<typeof InvoiceBody>): string | undefined {
    const codes = (name: string) =>
      new Set(
        FAKE_CODE_LISTS[name]!.map((e) => {
          const x = e as { code?: string; alpha_2?: string; hscode?: string };
          return String(x.code ?? x.alpha_2 ?? x.hscode);
        }),
      );
    if (!codes('invoice-types').has(inv.invoice_type_code))
      return `invoice_type_code: ${inv.invoice_type_code} is not a valid invoice type`;
    if (!codes('currencies').has(inv.document_currency_code))
      return `document_currency_code: ${inv.document_currency_code} is not a valid currency`;
    const subtotals = (inv.tax_total as { tax_subtotal?: { tax_category?: { id?: string } }[] }[]).flatMap((t) => t.tax_subtotal ?? []);
    for (const [i, s] of subtotals.entries()) {
      const id = s.tax_category?.id ?? '';
      if (!codes('tax-categories').has(id)) return `tax_total.0.tax_subtotal.${i}.tax_category.id: ${id} is not a valid tax category`;
    }
    for (const party of ['accounting_supplier_party', 'accounting_customer_party'] as const) {
      const a = (inv as Record<string, { postal_address?: { state?: string; lga?: string } } | undefined>)[party]?.postal_address;
      if (a?.state && !codes('states').has(a.state)) return `${party}.postal_address.state: ${a.state} is not a valid state`;
      if (a?.lga && !codes('lgas').has(a.lga)) return `${party}.postal_address.lga: ${a.lga} is not a valid lga`;
    }
    for (const [i, l] of (inv.invoice_line as { hsn_code?: string; isic_code?: string }[]).entries()) {
      if (l.hsn_code !== undefined && !codes('hs-codes').has(l.hsn_code))
        return `invoice_line.${i}.hsn_code: ${l.hsn_code} is not a valid hs code`;
      if (l.isic_code !== undefined && !codes('services-codes').has(l.isic_code))
        return `invoice_line.${i}.isic_code: ${l.isic_code} is not a valid service code`;
    }
    return undefined;
  }
}

const address = z
  .object({
    street_name: z.string().min(1),
    city_name: z.string().min(1),
    postal_zone: z.string().min(1),
    state: z.string().min(1),
    lga: z.string().min(1),
    country: z.string().length(2),
  })
  .passthrough();

/** NRS v1.1 rules (changelogs 2025-26, independent validators), answered with the field path. */
function checkV11(inv: z.infer<typeof InvoiceBody>): string | undefined {
  const body = inv as Record<string, unknown>;
  const kind = z.enum(['B2B', 'B2C', 'B2G']).safeParse(body.invoice_kind);
  if (!kind.success) return 'invoice_kind: is required (B2B, B2C or B2G)';
  const supplier = address.safeParse((body.accounting_supplier_party as { postal_address?: unknown }).postal_address);
  if (!supplier.success) return `accounting_supplier_party.postal_address.${detailsOf(supplier.error)}`;
  if (kind.data !== 'B2C') {
    const buyer = party.extend({ postal_address: address }).safeParse(body.accounting_customer_party);
    if (!buyer.success) return `accounting_customer_party${buyer.error.issues[0]!.path.length ? '.' : ': '}${detailsOf(buyer.error)}`;
  }
  const lines = inv.invoice_line as Record<string, unknown>[];
  for (const [i, l] of lines.entries()) {
    const goods = typeof l.hsn_code === 'string' && typeof l.product_category === 'string' && l.product_category !== '';
    const service = typeof l.isic_code === 'string' && typeof l.service_category === 'string' && l.service_category !== '';
    if (!goods && !service)
      return `invoice_line.${i}: needs hsn_code and product_category (goods) or isic_code and service_category (services)`;
    if (l.hsn_code === 'CC-001') return `invoice_line.${i}.hsn_code: CC-001 is not a valid hs code`;
    const item = l.item as { sellers_item_identification?: unknown } | undefined;
    if (typeof item?.sellers_item_identification !== 'string' || item.sellers_item_identification.trim() === '')
      return `invoice_line.${i}.item.sellers_item_identification: must not be empty`;
    // quantity × price − discount = line extension (to the kobo)
    const qty = Number(l.invoiced_quantity);
    const price = Number((l.price as { price_amount?: unknown }).price_amount);
    const discount = Number(l.discount_amount ?? 0);
    const ext = Number(l.line_extension_amount);
    if (Math.abs(qty * price - discount - ext) > 0.005 + 1e-9)
      return `invoice_line.${i}.line_extension_amount: ${ext} is not invoiced_quantity × price_amount − discount_amount (${qty} × ${price} − ${discount})`;
  }
  return undefined;
}

function detailsOf(error: z.ZodError): string {
  const i = error.issues[0]!;
  return `${i.path.map(String).join('.')}: ${i.message}`;
}

export async function startFakeFirs(opts: FakeFirsOptions = {}): Promise<FakeFirs> {
  return new FakeFirs(opts).up();
}
