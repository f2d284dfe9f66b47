// What a CRM mapper says about one deal. Mappers are pure: the CRM's own JSON in, one outcome per
// deal out. main/capture/crm/deal-sink.ts decides, against what was already invoiced for the deal,
// whether that means a new invoice, nothing, or a question for the manager (credit note).
import { z } from 'zod';
import type { Sale } from '../../domain/sale';

export const CRM_SOURCES = ['hubspot', 'salesforce', 'pipedrive'] as const;
export type CrmSource = (typeof CRM_SOURCES)[number];
export const isCrmSource = (s: string): s is CrmSource => (CRM_SOURCES as readonly string[]).includes(s);

interface DealBase {
  source: CrmSource;
  /** The CRM's id of the deal/opportunity, as a string. */
  dealId: string;
  /** The CRM's last-modified stamp of the deal (HubSpot hs_lastmodifieddate, SystemModstamp, update_time). */
  version?: string;
  title?: string;
  /** The deal's amount as the CRM states it, in kobo (when it states one). */
  amountKobo?: number;
  currency?: string;
}

/** A won deal that maps to an invoice whose total equals the deal's amount. */
export interface DealInvoice extends DealBase {
  kind: 'invoice';
  amountKobo: number;
  currency: string;
  /** Canonical sale (parsed, totals checked): type 381, B2B/B2G, payment PENDING. */
  sale: Sale;
  /** The CRM marks the deal paid (the configured `paidField`); absent when no field is configured. */
  paid?: boolean;
}

/** A won deal that cannot be invoiced as it stands; `missing` names buyer fields to fix in the CRM. */
export interface DealReview extends DealBase {
  kind: 'review';
  reason: string;
  missing: string[];
  payload: unknown;
}

/** Not (or no longer) won: nothing to invoice; if it was invoiced, the manager is asked about a credit note. */
export interface DealNotWon extends DealBase {
  kind: 'not_won';
  /** open (incl. reopened), lost, deleted. */
  status: 'open' | 'lost' | 'deleted';
  reason: string;
}

export type DealOutcome = DealInvoice | DealReview | DealNotWon;

const fieldName = z.string().min(1).max(200);

/** Where the buyer's data lives on the company/account/organization (property / field / custom field key). */
export const BuyerFieldsSchema = z
  .object({
    tin: fieldName.optional(),
    email: fieldName.optional(),
    street: fieldName.optional(),
    city: fieldName.optional(),
    postalZone: fieldName.optional(),
    state: fieldName.optional(),
    lga: fieldName.optional(),
    country: fieldName.optional(),
    /** A checkbox/boolean property that marks a government buyer: the invoice is then B2G. */
    government: fieldName.optional(),
  })
  .strict();
export type BuyerFields = z.output<typeof BuyerFieldsSchema>;

export const BUYER_REQUIREMENTS = ['tin', 'email', 'street', 'city', 'postalZone', 'state', 'lga'] as const;
const rate = z.string().regex(/^\d{1,2}(\.\d{1,4})?$/, 'must be a percentage string like "7.5"');

/** Options every CRM mapper takes; each CRM adds its own (won stages, tax rates…). */
export const CrmOptionsSchema = z
  .object({
    /** The portal/org default currency for deals that carry none. Default NGN. */
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like NGN')
      .default('NGN'),
    /** Property/field names of the buyer's data on the company/account/organization (merged over the CRM's defaults). */
    buyerFields: BuyerFieldsSchema.partial().default({}),
    /** Buyer data without which a deal waits in review (NRS v1.1 B2B needs all of these). */
    requireBuyer: z.array(z.enum(BUYER_REQUIREMENTS)).default([...BUYER_REQUIREMENTS]),
    /** Country for a buyer address that names none. Default NG. */
    defaultCountry: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .default('NG'),
    /** Invoice a won deal without line items from its amount, as one line (a business decision). */
    allowNoLineItems: z.boolean().default(false),
    /** Name of that one line. */
    noLineItemsName: z.string().min(1).max(200).optional(),
    /**
     * VAT for lines the CRM gives no tax for: Salesforce has no tax field at all (default 7.5,
     * exclusive); HubSpot/Pipedrive lines without tax are untaxed unless this is set.
     */
    defaultVatRate: rate.optional(),
    /** Rates (percent strings) that are STANDARD_VAT; other non-zero rates are REDUCED_VAT. */
    standardRates: z.array(rate).default(['7.5']),
    /** Category of untaxed lines: EXEMPTED (default) or ZERO_VAT. */
    untaxedCategory: z.enum(['EXEMPTED', 'ZERO_VAT']).default('EXEMPTED'),
    /**
     * The deal property (HubSpot) / Opportunity field (Salesforce) / deal custom-field key (Pipedrive)
     * that says the buyer has paid. When it holds one of `paidValues`, the invoice's payment status
     * is updated to PAID on the platform (once). No CRM has a standard "paid" field.
     */
    paidField: fieldName.optional(),
    /** Values of `paidField` that mean paid, compared case-insensitively (a checkbox is true; an option its id or label). */
    paidValues: z.array(z.string().min(1).max(200)).min(1).default(['true', 'paid', 'yes', '1']),
    /**
     * What the CRM's deal amount is: 'net' (before VAT: HubSpot's and Salesforce's amounts are sums of
     * line amounts without tax) or 'gross' (incl. VAT: Pipedrive's value is the products' sums).
     */
    dealAmountIs: z.enum(['net', 'gross']).optional(),
    /** UTC offset for date-only / zone-less CRM times (Salesforce CloseDate, Pipedrive v1). Default +01:00. */
    utcOffset: z
      .string()
      .regex(/^[+-]\d{2}:\d{2}$/)
      .default('+01:00'),
    /** Now (ms), so a close date in the future is issued as of now, never post-dated. */
    now: z.number().optional(),
    /** Base URL of the CRM's web app, for the "open in CRM" link (e.g. https://app.hubspot.com/contacts/<portal>). */
    recordUrlBase: z.string().optional(),
  })
  .strict();

export type CrmOptions = z.output<typeof CrmOptionsSchema>;
export type CrmOptionsInput = z.input<typeof CrmOptionsSchema>;
