// The canonical sale: every source (POS vendors, serial register, till, CRM) maps to this.
// It is also the public JSON import format, so amounts are decimal strings in major units.
import { z } from 'zod';
import { PAYMENT_METHODS } from './payment-means';
import { SourceIdSchema } from '../sources/source-id';
import {
  AMOUNT_PATTERN,
  MAX_COUNT,
  MAX_JSON_DEPTH,
  MAX_LEN,
  QUANTITY_PATTERN,
  UNIT_PRICE_PATTERN,
  saleDateProblem,
  valueDepth,
} from './limits';

const quantity = z.string().regex(QUANTITY_PATTERN, 'must be a quantity string with at most 9 digits and 6 decimals, like "2" or "0.5"');
const unitPrice = z
  .string()
  .regex(UNIT_PRICE_PATTERN, 'must be a non-negative decimal string like "1234.50" (at most 13 digits and 6 decimals)');
const money = z.string().regex(AMOUNT_PATTERN, 'must be an amount string with at most 13 digits and 2 decimals, like "1234.50"');

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

/**
 * Taxes that are not VAT (FIRS tax-categories code list), e.g. a state consumption tax charged on
 * the same line as VAT. They are part of what the buyer pays but stay outside the VAT totals.
 */
export const OTHER_TAX_CATEGORIES = ['LOCAL_SALES_TAX', 'EXCISE_DUTY', 'STAMP_DUTY', 'CUSTOM_DUTY'] as const;
export type OtherTaxCategory = (typeof OTHER_TAX_CATEGORIES)[number];

/** A non-VAT tax on a line or charge; it shares the VAT tax's `inclusive` (one price, one reading). */
export const OtherTaxSchema = z
  .object({
    category: z.enum(OTHER_TAX_CATEGORIES),
    name: z.string().trim().min(1).max(100),
    rate: z
      .string()
      .regex(/^\d{1,2}(\.\d{1,4})?$/, 'must be a percentage string like "5"')
      .refine((r) => Number(r) > 0, 'must be greater than 0'),
  })
  .strict();
const otherTaxes = z.array(OtherTaxSchema).min(1).max(3).optional();

export const LineSchema = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(MAX_LEN.name),
    sku: z.string().max(MAX_LEN.sku).optional(),
    quantity: quantity.refine((q) => Number(q) > 0, 'must be greater than 0'),
    unit_price: unitPrice,
    discount: money.optional(),
    tax: TaxSchema,
    /** Goods: the HS code (NRS hs-codes list, e.g. 1006.30); else the business default. */
    hs_code: z
      .string()
      .regex(/^\d{4}\.\d{2}$/, 'must be an HS code like 1006.30 (NRS hs-codes list)')
      .optional(),
    /** Services: the ISIC class (NRS services-codes list, e.g. 9602); else the business default. */
    isic_code: z
      .string()
      .regex(/^\d{4}$/, 'must be a 4-digit ISIC code like 9602 (NRS services-codes list)')
      .optional(),
    /** Services: the category the catalogue gives the product (the invoice's service_category); else the code list's. */
    service_category: z.string().trim().min(1).max(100).optional(),
    other_taxes: otherTaxes,
  })
  .strict()
  .refine((l) => !(l.hs_code && l.isic_code), {
    message: 'a line is goods (hs_code) or a service (isic_code), not both',
    path: ['isic_code'],
  })
  .refine((l) => !l.service_category || l.isic_code, {
    message: 'only a service line (isic_code) has a service category',
    path: ['service_category'],
  });

export const ChargeSchema = z
  .object({ name: z.string().trim().min(1).max(MAX_LEN.name), amount: money, tax: TaxSchema, other_taxes: otherTaxes })
  .strict();

export const PaymentSchema = z.object({ method: z.enum(PAYMENT_METHODS), amount: money }).strict();

export const PartySchema = z
  .object({
    name: z.string().trim().min(1).max(MAX_LEN.name),
    tin: z
      .string()
      .regex(/^[0-9A-Za-z-]{8,20}$/, 'must be a TIN like 12345678-0001')
      .optional(),
    email: z.string().max(MAX_LEN.email).email().optional(),
    phone: z
      .string()
      .regex(/^\+\d{7,15}$/, 'must start with + and country code')
      .optional(),
    address: z
      .object({
        street: z.string().min(1).max(MAX_LEN.street),
        city: z.string().min(1).max(MAX_LEN.city),
        postal_zone: z.string().max(MAX_LEN.postalZone).optional(),
        /** NRS states list code, e.g. NG-LA (required for a B2B/B2G buyer). */
        state: z
          .string()
          .regex(/^NG-[A-Z]{2}$/, 'must be a state code like NG-LA')
          .optional(),
        /** NRS lgas list code, e.g. NG-LA-IKJ (required for a B2B/B2G buyer). */
        lga: z
          .string()
          .regex(/^NG-[A-Z]{2}-[A-Z]{3}$/, 'must be an LGA code like NG-LA-IKJ')
          .optional(),
        country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO alpha-2 code like NG'),
      })
      .strict()
      .optional(),
    /** A government buyer (ministry, agency): the invoice is B2G. */
    government: z.boolean().optional(),
  })
  .strict();

/**
 * The rate used to state a foreign-currency sale's tax in naira (tax currency NGN): NGN per one
 * unit of the sale's currency, and where it came from (recorded with the invoice).
 */
export const ExchangeRateSchema = z
  .object({
    rate: z
      .string()
      .regex(/^\d{1,9}(\.\d{1,6})?$/, 'must be a decimal string like "1530.25"')
      .refine((r) => Number(r) > 0, 'must be greater than 0'),
    source: z.string().trim().min(1).max(200),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-11-28'),
  })
  .strict();
export type ExchangeRate = z.infer<typeof ExchangeRateSchema>;

export const SaleSchema = z
  .object({
    /** The source id (shared/sources/registry.ts): which source the sale came from. */
    source: SourceIdSchema,
    external_id: z.string().min(1).max(MAX_LEN.externalId),
    occurred_at: z
      .string()
      .datetime({ offset: true, message: 'must be an ISO date-time with offset, like 2026-11-24T09:30:00+01:00' })
      .superRefine((d, ctx) => {
        const p = saleDateProblem(d);
        if (p) ctx.addIssue({ code: 'custom', message: p });
      }),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like NGN'),
    lines: z.array(LineSchema).min(1, 'a sale needs at least one line').max(MAX_COUNT.lines),
    charges: z.array(ChargeSchema).max(MAX_COUNT.charges).optional(),
    tip: money.optional(),
    /** Sold on credit: paid later (or in part now); reported with payment_status PENDING/PARTIAL. */
    on_credit: z.boolean().optional(),
    payments: z.array(PaymentSchema).max(MAX_COUNT.payments),
    customer: PartySchema.nullable().optional(),
    refund_of: z.string().min(1).max(MAX_LEN.refundOf).nullable().optional(),
    note: z.string().max(MAX_LEN.note).optional(),
    /** Who rang it up. The till sets it from the signed-in cashier (never from the request); an import or a register line may carry its own. */
    cashier: z.string().trim().min(1).max(MAX_LEN.name).optional(),
    /**
     * How tax is rounded to the kobo: per line (default) or per tax over the whole sale, as some
     * POSes (Lightspeed R-Series) do; see shared/domain/totals.ts.
     */
    tax_rounding: z.enum(['line', 'sale']).optional(),
    exchange_rate: ExchangeRateSchema.optional(),
  })
  .strict()
  .refine((s) => !s.exchange_rate || s.currency !== 'NGN', {
    message: 'only a sale in another currency than NGN has an exchange rate',
    path: ['exchange_rate'],
  });

export type Sale = z.infer<typeof SaleSchema>;
export type SaleLine = z.infer<typeof LineSchema>;
export type Tax = z.infer<typeof TaxSchema>;
export type OtherTax = z.infer<typeof OtherTaxSchema>;
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
  // Bounded before any recursive walk: a hostile nesting depth cannot overflow the stack.
  if (valueDepth(input) > MAX_JSON_DEPTH) throw new InvalidInput(`(sale): nested deeper than ${MAX_JSON_DEPTH} levels`);
  // A lone surrogate has no canonical (RFC 8785) form, so it could not be chained faithfully.
  const bad = illFormedString(input);
  if (bad) throw new InvalidInput(`${fieldPath(bad) || '(sale)'}: contains a broken Unicode character (a lone surrogate)`);
  const result = SaleSchema.safeParse(input);
  if (!result.success) {
    const msg = result.error.issues.map((i) => `${fieldPath(i.path) || '(sale)'}: ${i.message}`).join('; ');
    throw new InvalidInput(msg);
  }
  if (result.data.payments.length === 0 && !result.data.on_credit)
    throw new InvalidInput('payments: a sale needs at least one payment (or on_credit: true)');
  return result.data;
}
