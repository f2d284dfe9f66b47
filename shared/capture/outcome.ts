// What a vendor mapper says about one vendor order/sale. Mappers are pure: they never touch the
// ledger. main/capture/sink.ts is the one place outcomes enter the ledger (sales) or the review
// queue (review); skips are only reported.
import { z } from 'zod';
import { PAYMENT_METHODS, type PaymentMethod } from '../domain/payment-means';
import type { Sale } from '../domain/sale';

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

/**
 * Options for the mappers. Every field is optional except where a vendor needs it (Toast orders
 * carry no currency: `currency` is the restaurant's currency, default NGN).
 */
export const MapOptionsSchema = z
  .object({
    /** ISO 4217 currency for vendors whose payloads carry none (Toast). Default NGN. */
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like NGN').default('NGN'),
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
    utcOffset: z.string().regex(/^[+-]\d{2}:\d{2}$/, 'must be like +01:00').default('+01:00'),
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
    taxRates: z.record(z.string(), z.string().regex(/^\d{1,2}(\.\d{1,4})?$/, 'must be a percentage string like "7.5"')).optional(),
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
