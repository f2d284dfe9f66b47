// The TaxPoynt cloud upload wire format: one set of zod schemas used by the client (to build
// and check what it sends and receives), by the loopback fake server (to validate requests),
// and to generate docs/openapi/taxpoynt-cloud.yaml, so the three cannot drift apart.
import { z } from 'zod';

const kobo = z.number().int().describe('integer kobo (1 naira = 100 kobo)');

export const REPORT_STATES = ['pending', 'reported', 'rejected', 'failed', 'not_reportable'] as const;

export const CloudInvoice = z
  .object({
    idempotency_key: z.string().min(1).max(200).describe('stable per invoice and report state: a replay is answered "duplicate"'),
    irn: z.string().min(1).max(140),
    invoice_number: z.string().min(1),
    counter: z.number().int().positive().describe('position in the terminal hash chain'),
    type: z.enum(['381', '380']).describe('FIRS invoice type: 381 invoice, 380 credit note'),
    source: z.string().min(1),
    external_id: z.string().min(1),
    issued_at: z.number().int().describe('unix seconds'),
    issue_date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .describe('Lagos calendar date'),
    currency: z.string().regex(/^[A-Z]{3}$/),
    payable_kobo: kobo,
    tax_kobo: kobo,
    net_kobo: kobo,
    tip_kobo: kobo,
    b2b: z.boolean(),
    original_irn: z.string().nullable(),
    qr: z.string().min(1).describe('the encrypted QR stamp (base64)'),
    hash: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .describe('chain link: SHA-256 of this invoice and prev_hash'),
    prev_hash: z.string().regex(/^[0-9a-f]{64}$/),
    report_state: z.enum(REPORT_STATES).describe('FIRS/NRS report state at upload time'),
    invoice: z.record(z.string(), z.unknown()).describe('the FIRS invoice JSON as signed'),
    sale: z.record(z.string(), z.unknown()).describe('the canonical sale it was issued from'),
  })
  .strict();
export type CloudInvoice = z.infer<typeof CloudInvoice>;

export const InvoiceBatchRequest = z
  .object({
    batch_id: z.string().min(1).max(200).describe('equals the Idempotency-Key header'),
    business_id: z.string().uuid(),
    terminal: z.string().min(1),
    invoices: z.array(CloudInvoice).min(1).max(500),
  })
  .strict();
export type InvoiceBatchRequest = z.infer<typeof InvoiceBatchRequest>;

export const InvoiceResult = z
  .object({
    irn: z.string(),
    idempotency_key: z.string(),
    status: z.enum(['accepted', 'duplicate', 'rejected']),
    reason: z.string().optional(),
  })
  .strict();
export type InvoiceResult = z.infer<typeof InvoiceResult>;

export const InvoiceBatchResponse = z
  .object({
    batch_id: z.string(),
    results: z.array(InvoiceResult),
  })
  .strict();
export type InvoiceBatchResponse = z.infer<typeof InvoiceBatchResponse>;

export const DaySummary = z
  .object({
    idempotency_key: z.string().min(1).max(200),
    business_id: z.string().uuid(),
    terminal: z.string().min(1),
    day: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .describe('Lagos calendar date of the closed day'),
    currency: z.string().regex(/^[A-Z]{3}$/),
    invoice_count: z.number().int().nonnegative(),
    credit_note_count: z.number().int().nonnegative(),
    first_invoice_number: z.string().nullable(),
    last_invoice_number: z.string().nullable(),
    sales_kobo: kobo.describe('sum payable of invoices (381)'),
    refunds_kobo: kobo.describe('sum payable of credit notes (380)'),
    net_kobo: kobo.describe('sales minus refunds'),
    tax_kobo: kobo.describe('tax of invoices minus tax of credit notes'),
    tip_kobo: kobo,
    by_payment_method: z.record(z.string(), kobo).describe('canonical payment method → amount paid (invoices minus credit notes)'),
    unreported_count: z.number().int().nonnegative().describe('invoices of the day not yet reported to FIRS/NRS at upload time'),
    chain_head_hash: z.string().describe('hash of the last invoice of the day'),
  })
  .strict();
export type DaySummary = z.infer<typeof DaySummary>;

export const DaySummaryResponse = z
  .object({
    day: z.string(),
    status: z.enum(['accepted', 'duplicate', 'rejected']),
    reason: z.string().optional(),
  })
  .strict();
export type DaySummaryResponse = z.infer<typeof DaySummaryResponse>;

export const CloudError = z
  .object({
    error: z.object({ code: z.string(), message: z.string() }).strict(),
  })
  .strict();
export type CloudError = z.infer<typeof CloudError>;

export const CLOUD_PATHS = { invoiceBatches: '/v1/invoice-batches', zReports: '/v1/z-reports' } as const;
