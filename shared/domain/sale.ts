// The canonical sale: every source (POS vendors, serial register, till, CRM) maps to this.
// It is also the public JSON import format, so amounts are decimal strings in major units.
import { z } from 'zod';
import { PAYMENT_METHODS } from './payment-means';
import { SourceIdSchema } from '../sources/source-info';

const decimal = z.string().regex(/^\d{1,15}(\.\d{1,6})?$/, 'must be a non-negative decimal string like "1234.50"');
const money = z.string().regex(/^\d{1,13}(\.\d{1,2})?$/, 'must be an amount string with at most 2 decimals, like "1234.50"');

export const TAX_CATEGORIES = ['STANDARD_VAT', 'REDUCED_VAT', 'ZERO_VAT', 'EXEMPTED'] as const;

export const TaxSchema = z
  .object({
    category: z.enum(TAX_CATEGORIES),
    rate: z.string().regex(/^\d{1,2}(\.\d{1,4})?$/, 'must be a percentage string like "7.5"'),
    inclusive: z.boolean(),
  })
  .strict()
  .refine((t) => !(t.category === 'ZERO_VAT' || t.category === 'EXEMPTED') || Number(t.rate) === 0, {
    message: 'ZERO_VAT and EXEMPTED must have rate "0"',
    path: ['rate'],
  });

export const LineSchema = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(200),
    sku: z.string().max(64).optional(),
    quantity: decimal.refine((q) => Number(q) > 0, 'must be greater than 0'),
    unit_price: decimal,
    discount: money.optional(),
    tax: TaxSchema,
  })
  .strict();

export const ChargeSchema = z
  .object({ name: z.string().trim().min(1).max(200), amount: money, tax: TaxSchema })
  .strict();

export const PaymentSchema = z
  .object({ method: z.enum(PAYMENT_METHODS), amount: money })
  .strict();

export const PartySchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    tin: z.string().regex(/^[0-9A-Za-z-]{8,20}$/, 'must be a TIN like 12345678-0001').optional(),
    email: z.string().email().optional(),
    phone: z.string().regex(/^\+\d{7,15}$/, 'must start with + and country code').optional(),
    address: z
      .object({
        street: z.string().min(1),
        city: z.string().min(1),
        postal_zone: z.string().optional(),
        /** NRS v1.1 state and LGA codes of a B2B/B2G buyer (e.g. NG-LA, NG-LA-IKJ). */
        state: z.string().min(1).max(40).optional(),
        lga: z.string().min(1).max(40).optional(),
        country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO alpha-2 code like NG'),
      })
      .strict()
      .optional(),
  })
  .strict();

export const SaleSchema = z
  .object({
    /** The source id (shared/sources/registry.ts): which source the sale came from. */
    source: SourceIdSchema,
    external_id: z.string().min(1).max(128),
    occurred_at: z.string().datetime({ offset: true, message: 'must be an ISO date-time with offset, like 2026-11-24T09:30:00+01:00' }),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like NGN'),
    lines: z.array(LineSchema).min(1, 'a sale needs at least one line').max(1000),
    charges: z.array(ChargeSchema).max(50).optional(),
    tip: money.optional(),
    payments: z.array(PaymentSchema).min(1, 'a sale needs at least one payment'),
    customer: PartySchema.nullable().optional(),
    refund_of: z.string().min(1).nullable().optional(),
    note: z.string().max(500).optional(),
    /** B2B/B2G for a business or government buyer (CRM deals); absent = decided by the buyer's TIN. */
    invoice_kind: z.enum(['B2C', 'B2B', 'B2G']).optional(),
    /**
     * PENDING for a credit sale (a won CRM deal is invoiced before it is paid): `payments` then says
     * how the buyer is to pay (the payment means and the amount due), not what was received.
     */
    payment_status: z.enum(['PAID', 'PENDING']).optional(),
  })
  .strict();

export type Sale = z.infer<typeof SaleSchema>;
export type SaleLine = z.infer<typeof LineSchema>;
export type Tax = z.infer<typeof TaxSchema>;
export type Party = z.infer<typeof PartySchema>;

export class InvalidInput extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidInput';
  }
}

/** "lines[0].unit_price" style paths, so an error names the field. */
function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '');
}

// In unicode mode a surrogate range matches only unpaired halves; paired ones are one code point.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** The path of the first string that is not well-formed Unicode (a lone surrogate), if any. */
function illFormedString(value: unknown, path: PropertyKey[] = []): PropertyKey[] | undefined {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = illFormedString(value[i], [...path, i]);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const found = illFormedString(v, [...path, k]);
      if (found) return found;
    }
  }
  return undefined;
}

export function parseSale(input: unknown): Sale {
  // A lone surrogate has no canonical (RFC 8785) form, so it could not be chained faithfully.
  const bad = illFormedString(input);
  if (bad) throw new InvalidInput(`${fieldPath(bad) || '(sale)'}: contains a broken Unicode character (a lone surrogate)`);
  const result = SaleSchema.safeParse(input);
  if (!result.success) {
    const msg = result.error.issues.map((i) => `${fieldPath(i.path) || '(sale)'}: ${i.message}`).join('; ');
    throw new InvalidInput(msg);
  }
  return result.data;
}
