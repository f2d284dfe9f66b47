// What a vendor mapper says about one vendor order/sale. Mappers are pure: they never touch the
// ledger. main/capture/sink.ts is the one place outcomes enter the ledger (sales) or the review
// queue (review); skips are only reported.
import { z } from 'zod';
import { PAYMENT_METHODS, type PaymentMethod } from '../domain/payment-means';
import { ExchangeRateSchema, OTHER_TAX_CATEGORIES, TAX_CATEGORIES, type Sale } from '../domain/sale';

/** A source id (shared/sources/registry.ts lists them; tests may add their own). */
export type CaptureVendor = string;

interface OutcomeBase {
  /** Which POS the payload came from (also the canonical sale's `source`). */
  vendor: CaptureVendor;
  /** The vendor's own id of the order/sale (Square order id, Toast order guid, Lightspeed sale id). */
  vendorId: string;
}

export interface SaleOutcome extends OutcomeBase {
  kind: 'sale';
  /**
   * The vendor's version of the order as text (Square `version`, Toast `modifiedDate`,
   * Lightspeed X `version`, Lightspeed R `timeStamp`), for connectors' dedupe. Absent when unknown.
   */
  version?: string;
  /** The canonical sale, already parsed by parseSale (shared/domain/sale.ts) and its totals checked. */
  sale: Sale;
  /** The vendor's payload, kept if the ledger refuses the sale (it then goes to the review queue). */
  payload?: unknown;
}

export interface SkipOutcome extends OutcomeBase {
  kind: 'skip';
  /** Why this is not a sale (voided, cancelled, draft, open, zero amount…). */
  reason: string;
  version?: string;
  /**
   * The POS withdrew the sale (deleted or voided). Not a sale — but if it was already invoiced,
   * the sink turns the skip into a review: the invoice stands until a credit note cancels it.
   */
  withdrawn?: true;
}

export interface ReviewOutcome extends OutcomeBase {
  kind: 'review';
  /** Why it cannot be mapped faithfully; names the field where possible. */
  reason: string;
  /** The vendor's payload as received (for a person to look at). */
  payload: unknown;
  version?: string;
}

export type MapOutcome = SaleOutcome | SkipOutcome | ReviewOutcome;

const percent = z.string().regex(/^\d{1,2}(\.\d{1,4})?$/, 'must be a percentage string like "7.5"');

/**
 * What one vendor tax is for FIRS: a VAT category and rate, or a non-VAT tax from the FIRS
 * tax-categories list (e.g. a state consumption tax as LOCAL_SALES_TAX) carried outside the VAT
 * totals. `name` labels a non-VAT tax on the invoice (default: the vendor's tax name).
 */
export const TaxMappingSchema = z
  .object({
    category: z.enum([...TAX_CATEGORIES, ...OTHER_TAX_CATEGORIES]),
    rate: percent,
    name: z.string().trim().min(1).max(100).optional(),
  })
  .strict()
  .refine((m) => (m.category === 'ZERO_VAT' || m.category === 'EXEMPTED' ? Number(m.rate) === 0 : Number(m.rate) > 0), {
    message: 'ZERO_VAT and EXEMPTED take rate "0"; every other category a rate above 0',
    path: ['rate'],
  });
export type TaxMapping = z.output<typeof TaxMappingSchema>;

/**
 * Foreign-currency invoicing: off by default (a sale in another currency than NGN goes to review).
 * On, a sale in a currency listed in `rates` is invoiced in that currency with tax currency NGN and
 * the configured rate (NGN per unit, its source and date), which is recorded with the invoice.
 */
export const ForeignCurrencySchema = z
  .object({
    enabled: z.boolean().default(false),
    rates: z.record(z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like USD'), ExchangeRateSchema).default({}),
  })
  .strict();

/**
 * Options for the mappers. Every field is optional except where a vendor needs it (Toast orders
 * carry no currency: `currency` is the restaurant's currency, default NGN).
 */
export const MapOptionsSchema = z
  .object({
    /**
     * The connection's currency (ISO 4217) for vendors whose payloads carry none (Toast,
     * Lightspeed X and R). Default NGN. Square orders carry their own.
     */
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like NGN')
      .default('NGN'),
    /**
     * Name of the customer field that holds the buyer's TIN (e.g. Square `reference_id`,
     * Lightspeed X `custom_field_1`, Lightspeed R `vatNumber`, Toast `email`/none). When the
     * field holds a value the sale becomes a B2B invoice with that TIN. Default: per vendor
     * (see each mapper's DEFAULT_TIN_FIELD).
     */
    tinField: z.string().min(1).optional(),
    /**
     * Customers looked up by the connector (Square orders and Lightspeed X sales carry only a
     * customer id), keyed by the vendor's customer id, in the vendor's own shape.
     */
    customers: z.record(z.string(), z.unknown()).optional(),
    /**
     * UTC offset used for vendor timestamps without one (Lightspeed R `completeTime` carries
     * one; kept for safety), like "+01:00". Default +01:00 (Lagos).
     */
    utcOffset: z
      .string()
      .regex(/^[+-]\d{2}:\d{2}$/, 'must be like +01:00')
      .default('+01:00'),
    /**
     * VAT rates (percentage strings) that map to STANDARD_VAT. Any other non-zero rate maps to
     * REDUCED_VAT; a zero rate to ZERO_VAT. Default ["7.5"].
     */
    standardRates: z.array(z.string()).default(['7.5']),
    /** Category for lines the POS did not tax: EXEMPTED (default) or ZERO_VAT (zero-rated goods). */
    untaxedCategory: z.enum(['EXEMPTED', 'ZERO_VAT']).default('EXEMPTED'),
    /**
     * Vendor tax id → percentage string (e.g. {"0af7b240-…": "7.5"}) for vendors whose sales
     * reference taxes by id (Lightspeed X `tax_id`). Without it the rate is inferred from the
     * amounts and accepted only if it is one of standardRates (or 0).
     */
    taxRates: z.record(z.string(), percent).optional(),
    /**
     * The connection's tax mapping: vendor tax id or name → FIRS category and rate. Ids are
     * Square tax `catalog_object_id` (or the order's tax uid), Toast tax rate GUID
     * (appliedTaxes[].taxRate.guid), Lightspeed X tax/rate ids (tax_components[].rate_id,
     * tax_id), Lightspeed R "<taxCategoryID>/tax1" or "/tax2"; names are matched without regard
     * to case. A tax neither mapped nor the default (a 7.5 % tax named VAT) sends the sale to review.
     */
    taxMap: z.record(z.string().min(1), TaxMappingSchema).optional(),
    foreignCurrency: ForeignCurrencySchema.optional(),
    /**
     * Lightspeed R: returned lines point at the original line (`parentSaleLineID`), not the sale.
     * saleLineID → saleID for originals not in the same payload (the connector looks them up).
     */
    saleLineSales: z.record(z.string(), z.string()).optional(),
    /**
     * Lightspeed (X and R) have no tip or service-charge fields: shops ring them up as products.
     * Product/item ids listed here map to the sale's tip (not taxed, not on the invoice total) or
     * to a service charge (taxed as its line is).
     */
    tipProductIds: z.array(z.string()).default([]),
    serviceChargeProductIds: z.array(z.string()).default([]),
    /** Vendor product id → name, for sale lines that carry only an id (Lightspeed X API 2.0). */
    productNames: z.record(z.string(), z.string().min(1)).optional(),
    /**
     * Payment type name (as the POS calls it, case-insensitive) → canonical method, overriding the
     * built-in guess (cash, card, transfer, cheque by name; anything else is "online").
     */
    paymentMethods: z.record(z.string(), z.enum(PAYMENT_METHODS)).optional(),
  })
  .strict();

export type MapOptionsInput = z.input<typeof MapOptionsSchema>;
export type MapOptions = z.output<typeof MapOptionsSchema>;

/** A mapper: the vendor's payload (one order/sale, or a page/array of them) → one outcome each. */
export type Mapper = (payload: unknown, options?: MapOptionsInput) => MapOutcome[];

/** Payment type names → canonical method (options.paymentMethods first, then by name). */
export function methodByName(name: string, options: MapOptions): PaymentMethod {
  const key = name.trim().toLowerCase();
  const configured = Object.entries(options.paymentMethods ?? {}).find(([k]) => k.trim().toLowerCase() === key);
  if (configured) return configured[1];
  if (/cash/.test(key)) return 'cash';
  if (/cheque|check/.test(key)) return 'cheque';
  if (/transfer|bank|ussd/.test(key)) return 'transfer';
  if (/card|credit|debit|visa|master|verve|amex|eftpos|pos\b/.test(key)) return 'card';
  return 'online';
}
