// The one contract between the renderer and the main process, carried over Electron IPC
// (preload: window.taxpoynt) and over HTTP/WebSocket in browser mode (main/server/). Main
// validates every request (and, in development, every response) against these schemas; the
// renderer imports only the types. Money is always integer kobo; dates are Lagos calendar days.
//
// Manager channels (`manager: true`) answer 403 {code:'locked'} until manager.unlock succeeds
// for this window/browser session.
import { z } from 'zod';
import { SaleSchema, TAX_CATEGORIES } from '../domain/sale';
import { CONNECTOR_IDS, SOURCE_IDS, sourceInfo } from '../sources/registry';
import { SOURCE_KINDS, SourceIdSchema } from '../sources/source-info';
import { CREDENTIAL_KEYS } from '../sources/settings-fields';
import { PAYMENT_METHODS } from '../domain/payment-means';
import { BusinessSchema } from '../domain/business';
import { PrinterConfigSchema } from '../receipt/printer-config';
import { MANAGER_PIN_PATTERN, MAX_COUNT, MAX_LEN, PIN_PATTERN, QUANTITY_PATTERN } from '../domain/limits';
import { LinkSchema, RegisterLinkSettingsSchema } from '../sources/register-link/settings';
import { TemplateSchema } from '../sources/register-link/template';
import { TILL_CHANNELS } from './till-contract';
import { SHIFT_CHANNELS } from './shift-contract';
import { CRM_SOURCES } from '../capture/crm/outcome';
import { DEAL_STATES } from '../capture/crm/decide';
import { CLEARANCE_STATES } from '../capture/crm/clearance';

// ---------- building blocks ----------

const kobo = z.number().int();
const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-11-24')
  .refine(
    (d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    'is not a real calendar date',
  );
const irn = z.string().min(1, 'must be an IRN').max(MAX_LEN.irn);
const empty = z.object({}).strict();
const pin = z.string().regex(PIN_PATTERN, 'must be 4 to 8 digits');
/** A new manager PIN (setup, demo, change): longer than a cashier's. */
const managerPin = z.string().regex(MANAGER_PIN_PATTERN, 'must be 6 to 8 digits (a manager PIN is longer than a cashier PIN)');
const decimalQty = z
  .string()
  .regex(QUANTITY_PATTERN, 'must be a quantity like 1 or 0.5')
  .refine((q) => Number(q) > 0, 'must be greater than 0');
const url = z.string().url('must be a URL like https://example.com');

export const InvoiceKindSchema = z.enum(['invoice', 'credit_note']);
/** Report state as the till shows it; demo invoices are never reported. */
export const InvoiceStatusSchema = z.enum(['pending_report', 'reporting', 'reported', 'rejected', 'failed', 'demo']);
export const PrintStateSchema = z.enum(['pending', 'printing', 'printed', 'failed']);

/** One row of the till list / day view. */
export const InvoiceSummarySchema = z.object({
  counter: z.number().int(),
  irn: z.string(),
  invoice_number: z.string(),
  kind: InvoiceKindSchema,
  source: SourceIdSchema,
  external_id: z.string(),
  issued_at: z.number().int(), // unix seconds
  issue_date: z.string(), // Lagos day
  payable_kobo: kobo,
  tax_kobo: kobo,
  net_kobo: kobo,
  b2b: z.boolean(),
  customer: z.string().nullable(),
  methods: z.array(z.enum(PAYMENT_METHODS)),
  original_irn: z.string().nullable(),
  status: InvoiceStatusSchema,
  print: PrintStateSchema,
  demo: z.boolean(),
  /** Invoices: sum of their credit notes' payable (0 = none); absent on credit notes. */
  refunded_kobo: kobo.optional(),
});

export const ReportAttemptSchema = z.object({
  at: z.number().int(), // unix ms
  outcome: z.string(), // e.g. 'accepted', 'rejected', 'transient'
  http_status: z.number().int().nullable(),
  message: z.string().nullable(),
  details: z.unknown(), // the platform's error `details`, as returned
});

export const RefundableLineSchema = z.object({
  index: z.number().int(),
  name: z.string(),
  quantity: z.string(),
  refunded: z.string(), // quantity already credited
  remaining: z.string(),
  unit_price: z.string(),
});

export const InvoiceDetailSchema = InvoiceSummarySchema.extend({
  qr: z.string(), // the encrypted QR string printed on the receipt
  hash: z.string(),
  prev_hash: z.string(),
  firs: z.record(z.string(), z.unknown()), // the FIRS invoice JSON
  sale: z.record(z.string(), z.unknown()), // the canonical sale
  attempts: z.array(ReportAttemptSchema),
  last_error: z.string().nullable(),
  credit_notes: z.array(z.object({ irn: z.string(), invoice_number: z.string(), payable_kobo: kobo })),
  refundable: z.array(RefundableLineSchema), // empty for credit notes
  remaining_kobo: kobo, // what can still be credited
});

export const PrinterStatusSchema = z.object({
  printer: z.enum(['ready', 'offline', 'paper_out', 'error', 'virtual', 'unavailable']),
  message: z.string().optional(),
  queued: z.number().int(),
});

export const CaptureStatusSchema = z.object({
  vendor: z.string(),
  state: z.string(),
  lastPollAt: z.number().nullable(),
  lastError: z.string().nullable(),
});

export const SyncStatusSchema = z.object({
  online: z.boolean(),
  queueDepth: z.number().int(),
  oldestUnreportedAgeS: z.number().nullable(),
  /** ok below 12 h, warning from 12 h, alarm from 20 h (the limit is 24 h). */
  level: z.enum(['ok', 'warning', 'alarm']),
  failures: z.number().int(),
  deadLetters: z.number().int(),
  lastError: z.string().optional(),
  /** false when no SyncService runs (not configured / demo): figures then come from the outbox. */
  running: z.boolean(),
  /** The platform refused the API key: nothing is sent (and no invoice changes state) until the credentials change. */
  authPaused: z.boolean().optional(),
  /** IRNs the platform holds with other content (restored backup, shared terminal code): an alarm. */
  collisions: z.number().int().optional(),
  /** NRS v1.1 profile fields setup must still record before anything is reported. */
  profileGaps: z.array(z.string()).optional(),
});

/** Settings → "Check with FIRS" (and `taxpoynt-pos firs-check`): main/firs/firs-check.ts. */
export const FirsCheckReportSchema = z.object({
  ok: z.boolean(),
  baseUrl: z.string(),
  steps: z.array(
    z.object({
      name: z.string(),
      ok: z.boolean(),
      note: z.string().optional(),
      problems: z.array(z.object({ path: z.string().optional(), message: z.string() })),
    }),
  ),
});

/** The connection strip. */
export const StatusSnapshotSchema = z.object({
  sync: SyncStatusSchema,
  printer: PrinterStatusSchema,
  capture: z.array(CaptureStatusSchema),
  limitS: z.literal(86400),
  demo: z.boolean(),
  demoFeed: z.boolean(),
  at: z.number().int(), // unix ms of the snapshot
});

export const AppStateSchema = z.object({
  mode: z.enum(['electron', 'browser']),
  setup: z.enum(['none', 'configured', 'demo']),
  business: z.object({ name: z.string(), tin: z.string(), terminal: z.string(), service_id: z.string() }).nullable(),
  managerUnlocked: z.boolean(),
  managerPinSet: z.boolean(),
  /** The shop's cashiers (names only). Empty: a single-till shop, the till opens without a sign-in. */
  cashiers: z.array(z.string()),
  /** The cashier signed in at this window/browser (null: nobody yet, or no cashiers). */
  cashier: z.string().nullable(),
  lan: z.boolean(),
  today: z.string(), // Lagos
  version: z.string(),
});

export const VatRowSchema = z.object({ category: z.enum(TAX_CATEGORIES), rate: z.string(), taxable_kobo: kobo, tax_kobo: kobo });
export const PaymentRowSchema = z.object({ method: z.enum(PAYMENT_METHODS), amount_kobo: kobo, count: z.number().int() });
const Sums = z.object({ count: z.number().int(), payable_kobo: kobo, net_kobo: kobo, tax_kobo: kobo, tip_kobo: kobo });

/** Credit notes subtract: total = sales − credits, also per VAT category and payment method. */
export const DaySummarySchema = z.object({
  date: z.string(),
  sales: Sums, // invoices (FIRS type 381)
  credits: Sums, // credit notes (FIRS type 380), as positive figures
  total: Sums, // sales − credits (count = sales.count + credits.count)
  gross_kobo: kobo, // = total.payable_kobo
  net_kobo: kobo, // = total.net_kobo
  vat: z.array(VatRowSchema),
  payments: z.array(PaymentRowSchema),
  hourly: z.array(z.object({ hour: z.number().int().min(0).max(23), count: z.number().int(), payable_kobo: kobo })), // 24 rows
  demo: z.boolean(),
});

export const ZReportSchema = DaySummarySchema.extend({
  business: z.object({ name: z.string(), tin: z.string(), terminal: z.string() }),
  generated_at: z.number().int(), // unix ms
  first_invoice: z.string().nullable(),
  last_invoice: z.string().nullable(),
  chain_head: z.string().nullable(), // hash of the day's last invoice
  reported: z.number().int(),
  unreported: z.number().int(),
  closed: z.object({ z_number: z.number().int(), closed_at: z.number().int() }).nullable(),
});

export const ProblemSchema = z.object({
  irn: z.string(),
  invoice_number: z.string(),
  status: z.enum(['rejected', 'dead']),
  attempts: z.number().int(),
  last_error: z.string().nullable(),
  details: z.unknown(),
  updated_at: z.number().int(),
  /** The platform holds this IRN with other content (see sync/report-worker.ts). */
  collision: z.boolean().optional(),
});

const SecretFlag = z.boolean(); // true when stored; the value itself never reaches the renderer

export const SettingsSchema = z.object({
  business: BusinessSchema.nullable(),
  keysLoaded: z.boolean(),
  printer: PrinterConfigSchema,
  firs: z.object({ baseUrl: z.string().nullable(), apiKeySet: SecretFlag, apiSecretSet: SecretFlag }),
  cloud: z.object({ baseUrl: z.string().nullable(), tokenSet: SecretFlag }),
  pos: z.array(
    z.object({
      vendor: z.string(),
      name: z.string(),
      /** pos (a point of sale) or crm (HubSpot, Salesforce, Pipedrive: Settings → CRM connections). */
      kind: z.enum(SOURCE_KINDS),
      enabled: z.boolean(),
      baseUrl: z.string().nullable(),
      credentialsSet: SecretFlag,
      /** Which of the source's credentials (its secret fields) are stored; never their values. */
      secretsSet: z.array(z.enum(CREDENTIAL_KEYS)),
      config: z.record(z.string(), z.unknown()).nullable(),
    }),
  ),
  serial: z.object({ path: z.string().nullable(), baudRate: z.number().int() }),
  secretNames: z.array(z.string()),
});

export const ConnectionTargetSchema = z.enum(['firs', 'cloud', ...CONNECTOR_IDS, 'printer', 'serial']);

const FirsConnection = z
  .object({ baseUrl: url.optional(), apiKey: z.string().min(1).optional(), apiSecret: z.string().min(1).optional() })
  .strict();
const PrinterResult = z.object({ ok: z.boolean(), message: z.string(), printer: PrinterStatusSchema });

// ---------- register link (issue 16) ----------

const CaptureCounts = z.object({
  issued: z.number().int(),
  review: z.number().int(),
  rejected: z.number().int(),
  not_sale: z.number().int(),
});

// ---------- CRM deals (issue 17) ----------

const crm = z.enum(CRM_SOURCES);
const dealRef = z.object({ source: crm, dealId: z.string().min(1).max(200) }).strict();

/** One won CRM deal and what became of it (Manager → Deals). */
export const DealViewSchema = z.object({
  source: crm,
  dealId: z.string(),
  title: z.string().nullable(),
  state: z.enum(DEAL_STATES),
  /** The deal's amount as the CRM states it, kobo. */
  amountKobo: z.number().int().nullable(),
  currency: z.string().nullable(),
  /** Why it waits (review) or what changed (credit_review). */
  reason: z.string().nullable(),
  missing: z.array(z.string()),
  /** The deal in the CRM's web app. */
  recordUrl: z.string().nullable(),
  irn: z.string().nullable(),
  invoiceNumber: z.string().nullable(),
  /** awaiting_clearance / cleared / rejected, from the invoice's report state. */
  clearance: z.enum(CLEARANCE_STATES).nullable(),
  /** The platform transmitted the invoice to the buyer. */
  transmitted: z.boolean(),
  creditIrn: z.string().nullable(),
  writeback: z.enum(['pending', 'done', 'failed']).nullable(),
  writebackError: z.string().nullable(),
  /** The CRM marked the deal paid and the payment-status update was queued. */
  paid: z.boolean(),
  updatedAt: z.number().int(),
});

/** A CRM's stage mapping as the portal has it: which stages exist and which invoice. */
export const CrmStagesSchema = z.object({
  source: crm,
  /** How "won" is decided for this CRM (HubSpot: stages; Salesforce: IsWon; Pipedrive: status = won). */
  rule: z.string(),
  stages: z.array(z.object({ id: z.string(), label: z.string(), pipeline: z.string(), closedWon: z.boolean(), invoices: z.boolean() })),
});

export const RegisterLinkViewSchema = z.object({
  settings: RegisterLinkSettingsSchema,
  status: z.array(
    z.object({
      id: z.string(),
      mode: z.enum(['sales', 'print']),
      description: z.string(),
      state: z.string(),
      message: z.string().nullable(),
      lastDataAt: z.number().nullable(),
      counts: CaptureCounts,
    }),
  ),
  /** Serial ports this computer has now (USB adapters appear and vanish). */
  ports: z.array(z.object({ path: z.string(), manufacturer: z.string().nullable() })),
  /** Recent captures, newest first. */
  captures: z.array(
    z.object({
      id: z.number().int(),
      link: z.string(),
      mode: z.enum(['sales', 'print']),
      status: z.enum(['issued', 'review', 'rejected', 'not_sale']),
      reason: z.string().nullable(),
      text: z.string().nullable(),
      externalId: z.string().nullable(),
      irn: z.string().nullable(),
      receivedAt: z.number().int(),
    }),
  ),
});

export const TemplateTestSchema = z.object({
  receipts: z.array(
    z.object({
      text: z.string(),
      /** field: which field claimed the line; 'noise' before the start line; null: nothing matched (highlighted). */
      lines: z.array(
        z.object({
          index: z.number().int(),
          text: z.string(),
          field: z.string().nullable(),
          rule: z.number().int().optional(),
          continued: z.boolean().optional(),
        }),
      ),
      items: z.array(
        z.object({
          name: z.string(),
          amount: z.string(),
          qty: z.string().optional(),
          unit_price: z.string().optional(),
          tax_class: z.string().optional(),
        }),
      ),
      fields: z.record(z.string(), z.string()),
      taxes: z.array(z.object({ amount: z.string(), rate: z.string().optional(), net: z.string().optional() })),
      payments: z.array(z.object({ amount: z.string(), method: z.string().optional() })),
      missing: z.array(z.string()),
      outcome: z.enum(['sale', 'not_sale', 'mismatch']),
      reasons: z.array(z.string()),
      externalId: z.string().nullable(),
      totals: z.object({ payable: kobo, tax: kobo, net: kobo, change: kobo }).nullable(),
    }),
  ),
});

// ---------- channels ----------

interface ChannelDef {
  request: z.ZodType;
  response: z.ZodType;
  manager?: true;
}

export const CHANNELS = {
  /** The till's period banner, product catalogue and B2B buyers (./till-contract.ts). */
  ...TILL_CHANNELS,
  /** Till shifts and the cash drawer (./shift-contract.ts). */
  ...SHIFT_CHANNELS,
  /** What the shell shows first: set up or not, demo, manager lock state. */
  'app.state': { request: empty, response: AppStateSchema },
  /** First-run wizard (and leaving the demo store). Once a real business exists, needs the manager session. */
  'setup.configure': {
    request: z
      .object({
        business: BusinessSchema,
        cryptoKeys: z.string().min(1, 'choose the crypto_keys.txt file from the FIRS portal'),
        managerPin,
        printer: PrinterConfigSchema.optional(),
        firs: FirsConnection.optional(),
      })
      .strict(),
    response: AppStateSchema,
  },
  /** "Try the demo store": a demo ledger with a local key pair and a simulated sale feed (never reported). */
  'setup.startDemo': {
    request: z.object({ managerPin: managerPin.optional(), feed: z.boolean().optional() }).strict(),
    response: z.object({ state: AppStateSchema, managerPin: z.string() }),
  },
  /** Demo store only: one simulated sale right now (the feed also runs on its own). */
  'demo.sale': { request: empty, response: z.object({ invoice: InvoiceSummarySchema }) },
  /** Till entry. `sale.source` must be 'manual'; its external_id makes resubmission idempotent. */
  'sales.createManual': {
    request: z
      .object({
        sale: SaleSchema.refine((s) => s.source === 'manual', { message: "must be 'manual' for till entry", path: ['source'] }),
        /** The manager's PIN approving this one sale's discount (above the till's limit); nothing is unlocked. */
        managerPin: pin.optional(),
      })
      .strict(),
    response: z.object({ duplicate: z.boolean(), invoice: InvoiceSummarySchema }),
  },
  /** Day view with search (number, IRN, customer, amount like 1500.00) and filters. Other days than today need the manager session. */
  'invoices.listByDay': {
    request: z
      .object({
        date: isoDay,
        search: z.string().max(MAX_LEN.search).optional(),
        source: z.enum(SOURCE_IDS).optional(),
        status: InvoiceStatusSchema.optional(),
        method: z.enum(PAYMENT_METHODS).optional(),
        party: z.enum(['b2b', 'b2c']).optional(),
        kind: InvoiceKindSchema.optional(),
        order: z.enum(['asc', 'desc']).default('desc'),
        limit: z.number().int().min(1).max(1000).default(200),
        offset: z.number().int().min(0).default(0),
      })
      .strict(),
    response: z.object({
      date: z.string(),
      total: z.number().int(), // rows matching the filters (all pages)
      totals: z.object({ payable_kobo: kobo, tax_kobo: kobo }), // over the matching rows, credit notes subtracted
      items: z.array(InvoiceSummarySchema),
      nextOffset: z.number().int().nullable(),
    }),
  },
  /** Full detail: FIRS JSON, QR, chain link, report attempts, what remains refundable. */
  'invoices.get': { request: z.object({ irn }).strict(), response: InvoiceDetailSchema },
  /** Credit note for chosen lines/quantities of an issued invoice. refundId makes a retry idempotent. */
  'invoices.refund': {
    request: z
      .object({
        irn,
        refundId: z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'must be an id like a UUID'),
        lines: z
          .array(z.object({ index: z.number().int().min(0), quantity: decimalQty }).strict())
          .min(1, 'pick at least one line to refund')
          .max(MAX_COUNT.lines),
        method: z.enum(PAYMENT_METHODS).optional(), // how the money goes back; default: the original's first method
        reason: z.string().max(MAX_LEN.reason).optional(),
      })
      .strict(),
    response: z.object({ duplicate: z.boolean(), invoice: InvoiceSummarySchema }),
  },
  /** Receipt image (PNG, base64) and text as it would print. */
  'receipt.preview': {
    request: z.object({ irn, width: z.union([z.literal(58), z.literal(80)]).optional(), copy: z.boolean().optional() }).strict(),
    response: z.object({
      png: z.string(),
      text: z.string(),
      /** The same receipt as the printer prints it (code page 858: ọ→o, ₦→N). */
      printed_png: z.string(),
      printed_text: z.string(),
      qr: z.string(),
      width: z.number().int(),
      copy: z.boolean(),
    }),
  },
  /** Print the original receipt (if it has not printed yet; otherwise use reprint). */
  'receipt.print': {
    request: z.object({ irn }).strict(),
    response: z.object({ queued: z.boolean(), copy: z.boolean(), printer: PrinterStatusSchema }),
  },
  /** Print again, marked COPY. */
  'receipt.reprint': {
    request: z.object({ irn }).strict(),
    response: z.object({ queued: z.boolean(), copy: z.boolean(), printer: PrinterStatusSchema }),
  },
  /** The connection strip snapshot (also pushed as status.changed). */
  'status.get': { request: empty, response: StatusSnapshotSchema },
  /** Wrong PINs are answered (not thrown) with retryAfterS after repeated failures. */
  'manager.unlock': {
    request: z.object({ pin }).strict(),
    response: z.object({
      unlocked: z.boolean(),
      message: z.string().optional(),
      retryAfterS: z.number().int().optional(),
      expiresAt: z.number().int().optional(),
    }),
  },
  'manager.lock': { request: empty, response: z.object({ unlocked: z.literal(false) }) },
  /**
   * Who is at the till (shops with cashier PINs): name + PIN, per window/browser session. Wrong
   * PINs are answered (not thrown), with retryAfterS once the shared PIN throttle blocks.
   */
  'cashier.signIn': {
    request: z.object({ name: z.string().min(1, 'choose your name').max(MAX_LEN.name), pin }).strict(),
    response: z.object({
      signedIn: z.boolean(),
      cashier: z.string().optional(),
      message: z.string().optional(),
      retryAfterS: z.number().int().optional(),
    }),
  },
  /** "Switch cashier": this window/browser goes back to the sign-in screen. */
  'cashier.signOut': { request: empty, response: z.object({ signedIn: z.literal(false) }) },
  'reports.daySummary': { request: z.object({ date: isoDay }).strict(), response: DaySummarySchema, manager: true },
  'reports.zReport': { request: z.object({ date: isoDay }).strict(), response: ZReportSchema, manager: true },
  /** End of day: records the Z number; the day's report then shows as closed. Idempotent per day. */
  'reports.closeDay': { request: z.object({ date: isoDay }).strict(), response: ZReportSchema, manager: true },
  /** One row per invoice/credit note of the day range (inclusive, at most 92 days), RFC 4180. */
  'export.csv': {
    request: z.object({ from: isoDay, to: isoDay }).strict(),
    response: z.object({ filename: z.string(), csv: z.string(), rows: z.number().int() }),
    manager: true,
  },
  'export.zReportPdf': {
    request: z.object({ date: isoDay }).strict(),
    response: z.object({ filename: z.string(), pdfBase64: z.string() }),
    manager: true,
  },
  'sync.status': { request: empty, response: SyncStatusSchema },
  'sync.retryNow': { request: empty, response: SyncStatusSchema, manager: true },
  /** Rejected and dead-lettered reports with reasons and the platform's details. */
  'sync.problems': { request: empty, response: z.object({ items: z.array(ProblemSchema) }), manager: true },
  'sync.requeue': { request: z.object({ irn }).strict(), response: z.object({ requeued: z.boolean() }), manager: true },
  /** Settings without secret values (only whether each is set). */
  'settings.get': { request: empty, response: SettingsSchema, manager: true },
  /** Partial update; secrets given here are stored encrypted and never echoed back. */
  'settings.update': {
    request: z
      .object({
        business: BusinessSchema.optional(),
        cryptoKeys: z.string().min(1).optional(),
        printer: PrinterConfigSchema.optional(),
        firs: FirsConnection.optional(),
        cloud: z
          .object({ baseUrl: url.optional(), token: z.string().min(1).optional() })
          .strict()
          .optional(),
        /**
         * A connector: `config` carries its settings (Square's locationIds…), merged over the stored
         * ones and checked by its settings schema in main, each problem as `pos.<vendor>.<key>`;
         * null clears an optional one. A source with Settings fields takes only the credentials
         * its fields name.
         */
        pos: z
          .object({
            vendor: z.enum(CONNECTOR_IDS),
            enabled: z.boolean().optional(),
            baseUrl: url.optional(),
            config: z.record(z.string(), z.unknown()).optional(),
            credentials: z
              .object({
                accessToken: z.string().min(1).optional(),
                refreshToken: z.string().min(1).optional(),
                clientSecret: z.string().min(1).optional(),
                webhookSecret: z.string().min(1).optional(),
              })
              .strict()
              .optional(),
          })
          .strict()
          .superRefine((p, ctx) => {
            const info = sourceInfo(p.vendor);
            if (!info?.fields) return;
            const takes: string[] = info.fields.filter((f) => f.kind === 'secret').map((f) => f.key);
            for (const k of Object.keys(p.credentials ?? {}))
              if (!takes.includes(k))
                ctx.addIssue({
                  code: 'custom',
                  path: ['credentials', k],
                  message: `${info.name} takes no ${k} (only ${takes.join(', ') || 'no credentials'})`,
                });
          })
          .optional(),
        serial: z
          .object({ path: z.string().min(1).nullable(), baudRate: z.number().int().positive().optional() })
          .strict()
          .optional(),
        managerPin: z.object({ current: pin, next: managerPin }).strict().optional(),
      })
      .strict(),
    response: SettingsSchema,
    manager: true,
  },
  'settings.testConnection': {
    request: z.object({ target: ConnectionTargetSchema }).strict(),
    response: z.object({ ok: z.boolean(), message: z.string(), latencyMs: z.number().optional() }),
    manager: true,
  },
  'printer.testPrint': { request: empty, response: PrinterResult, manager: true },
  /** Validates (never signs) sample invoices built from this business's setup against the platform. */
  'firs.check': { request: empty, response: FirsCheckReportSchema, manager: true },
  /** Register links: settings (links, templates), link states, serial ports, recent captures. */
  'registerLink.get': { request: empty, response: RegisterLinkViewSchema, manager: true },
  /** Replaces the links and/or templates (validated together), then restarts the links. */
  'registerLink.save': {
    request: z.object({ links: z.array(LinkSchema).optional(), templates: z.array(TemplateSchema).optional() }).strict(),
    response: RegisterLinkViewSchema,
    manager: true,
  },
  /** "Test this template" on pasted text or a stored capture; nothing is issued. */
  'registerLink.testTemplate': {
    request: z
      .object({ template: TemplateSchema, text: z.string().max(200_000).optional(), captureId: z.number().int().optional() })
      .strict()
      .refine((r) => (r.text === undefined) !== (r.captureId === undefined), {
        message: 'give the receipt text or a capture id',
        path: ['text'],
      }),
    response: TemplateTestSchema,
    manager: true,
  },
  /** Won CRM deals: waiting, in review (reason, CRM link), invoiced (IRN, clearance, transmitted). */
  'deals.list': {
    request: z.object({ source: crm.optional(), state: z.enum(DEAL_STATES).optional() }).strict(),
    response: z.object({ deals: z.array(DealViewSchema) }),
    manager: true,
  },
  /** Reads the deal from the CRM again and records it (after the CRM record was fixed). */
  'deals.retry': { request: dealRef, response: DealViewSchema, manager: true },
  /** Issues the credit note a reopened/changed deal asks for (type 380, referencing its invoice). */
  'deals.credit': { request: dealRef, response: DealViewSchema, manager: true },
  /** Keeps the invoice without a credit note (the same change is not asked about again). */
  'deals.keep': { request: dealRef, response: DealViewSchema, manager: true },
  /** The CRM's pipelines and stages as the portal has them, and which issue an invoice. */
  'deals.stages': { request: z.object({ source: crm }).strict(), response: CrmStagesSchema, manager: true },
} as const satisfies Record<string, ChannelDef>;

// ---------- events (main → renderer) ----------

export const EVENTS = {
  /** A new invoice or credit note (any source). */
  'invoice.issued': InvoiceSummarySchema,
  /** Its report or print state moved. */
  'invoice.updated': InvoiceSummarySchema,
  /** The connection strip changed. */
  'status.changed': StatusSnapshotSchema,
  /** Setup or manager lock changed (e.g. demo started, auto-lock after idle). */
  'app.changed': AppStateSchema,
} as const satisfies Record<string, z.ZodType>;

// ---------- derived types ----------

export type Channels = typeof CHANNELS;
export type ChannelName = keyof Channels;
export type EventName = keyof typeof EVENTS;
/** What the caller sends (defaults may be omitted). */
export type Request<C extends ChannelName> = z.input<Channels[C]['request']>;
/** What the handler receives after validation (defaults applied). */
export type ParsedRequest<C extends ChannelName> = z.output<Channels[C]['request']>;
export type Response<C extends ChannelName> = z.output<Channels[C]['response']>;
export type EventPayload<E extends EventName> = z.output<(typeof EVENTS)[E]>;

export type InvoiceSummary = z.output<typeof InvoiceSummarySchema>;
export type InvoiceDetail = z.output<typeof InvoiceDetailSchema>;
export type InvoiceStatus = z.output<typeof InvoiceStatusSchema>;
export type StatusSnapshot = z.output<typeof StatusSnapshotSchema>;
export type SyncStatusView = z.output<typeof SyncStatusSchema>;
export type AppState = z.output<typeof AppStateSchema>;
export type DaySummary = z.output<typeof DaySummarySchema>;
export type ZReport = z.output<typeof ZReportSchema>;
export type SettingsView = z.output<typeof SettingsSchema>;
export type RegisterLinkView = z.output<typeof RegisterLinkViewSchema>;
export type DealView = z.output<typeof DealViewSchema>;
export type CrmStages = z.output<typeof CrmStagesSchema>;
export type TemplateTestView = z.output<typeof TemplateTestSchema>;

export const CHANNEL_NAMES = Object.keys(CHANNELS) as ChannelName[];
export const EVENT_NAMES = Object.keys(EVENTS) as EventName[];

export function isChannel(name: string): name is ChannelName {
  return Object.prototype.hasOwnProperty.call(CHANNELS, name);
}
export function isEvent(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(EVENTS, name);
}
export function isManagerChannel(name: ChannelName): boolean {
  return (CHANNELS[name] as ChannelDef).manager === true;
}

/** The error envelope codes of the wire protocol (HTTP status in brackets). */
export type ErrorCode =
  | 'invalid_request' /*400*/
  | 'unauthorized' /*401*/
  | 'locked' /*403*/
  | 'not_found' /*404*/
  | 'not_setup' /*409*/
  | 'internal' /*500*/
  | 'disk_full'; /*507*/
export type Envelope<T> = { ok: true; result: T } | { ok: false; error: { code: ErrorCode; message: string } };
