// HubSpot deals → canonical B2B sales. Input (one deal, or an array of them), each object being
// what HubSpot's own endpoints return:
//   { "deal":       GET /crm/v3/objects/deals/{id}              (SimplePublicObject; every property a string)
//     "line_items": POST /crm/v3/objects/line_items/batch/read  ({results:[…]} or an array of line items)
//     "company":    GET /crm/v3/objects/companies/{id}          (or null: no associated company)
//     "tax_rates":  GET /tax-rates/v1/tax-rates/{id} objects    (optional; percentageRate is a percent)
//     "pipelines":  GET /crm/v3/pipelines/deals                 (optional; used when wonStages is not set) }
// Won = the deal's dealstage is one of the configured stage ids (default: stages whose metadata
// says closed-won). Line net = quantity × price − discount (HubSpot's `discount` is per unit;
// `hs_discount_percentage` a percent), checked against the line's `amount`; VAT is exclusive, from
// the line's tax rate (hs_tax_rate_group_id) and/or hs_tax_amount. The deal `amount` is net of VAT.
import Big from 'big.js';
import { z } from 'zod';
import { formatKobo } from '../../domain/money';
import {
  amountOnlyLine,
  amountOrUndefined,
  checkedDealInvoice,
  closeTime,
  dec,
  defaultTax,
  extendedKobo,
  koboOf,
  mapDeal,
  MapError,
  parseCrmOptions,
  paidFlag,
  withPaid,
  percentOf,
  readBuyer,
  buyerParty,
  taxOf,
  text,
  unwrapList,
  type LineInput,
} from '../../capture/crm/build';
import { CrmOptionsSchema, type DealOutcome } from '../../capture/crm/outcome';
import type { Tax } from '../../domain/sale';
import { hubspotStages } from './won-stages';

export const HUBSPOT_BUYER_DEFAULTS = {
  tin: 'tin',
  email: 'email',
  street: 'address',
  city: 'city',
  postalZone: 'zip',
  state: 'state',
  lga: 'lga',
  country: 'country',
} as const;

export const HubspotOptionsSchema = CrmOptionsSchema.extend({
  /** Stage ids that issue an invoice (custom pipelines use numeric ids). Default: closed-won by stage metadata. */
  wonStages: z.array(z.string().min(1)).optional(),
  /** The /crm/v3/pipelines/deals response, when the deal payloads do not carry it. */
  pipelines: z.unknown().optional(),
  /** Tax-rate id → percent (as GET /tax-rates/v1/tax-rates returns percentageRate), when payloads do not carry them. */
  taxRates: z.record(z.string(), z.string().regex(/^\d{1,2}(\.\d{1,4})?$/)).optional(),
}).strict();
export type HubspotOptionsInput = z.input<typeof HubspotOptionsSchema>;
type HubspotOptions = z.output<typeof HubspotOptionsSchema>;

const Props = z.record(z.string(), z.union([z.string(), z.null()]).optional());
const SimpleObject = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  properties: Props,
  archived: z.boolean().optional(),
  updatedAt: z.string().optional(),
});
type HsObject = z.output<typeof SimpleObject>;

export interface HubspotDealBundle {
  deal: unknown;
  line_items?: unknown;
  company?: unknown;
  tax_rates?: unknown;
  pipelines?: unknown;
}

function bundles(payload: unknown): unknown[] {
  if (Array.isArray(payload)) return payload;
  return [payload];
}

export function mapHubspot(payload: unknown, optionsInput?: HubspotOptionsInput): DealOutcome[] {
  const options = parseCrmOptions(HubspotOptionsSchema, optionsInput);
  return bundles(payload).map((b) => mapBundle(b, options));
}

function prop(o: HsObject, key: string): string | undefined {
  return text(o.properties[key]);
}

function mapBundle(raw: unknown, options: HubspotOptions): DealOutcome {
  const bundle = (raw && typeof raw === 'object' ? raw : {}) as HubspotDealBundle;
  const parsed = SimpleObject.safeParse(bundle.deal);
  if (!parsed.success) {
    return {
      kind: 'review',
      source: 'hubspot',
      dealId: '(no id)',
      reason: `deal: not a HubSpot deal object (${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? ''}); give {"deal": GET /crm/v3/objects/deals/{id}, "line_items": …, "company": …}`,
      missing: [],
      payload: raw,
    };
  }
  const deal = parsed.data;
  const version = prop(deal, 'hs_lastmodifieddate') ?? deal.updatedAt;
  const title = prop(deal, 'dealname');
  const currency = prop(deal, 'deal_currency_code') ?? options.currency;
  const amountText = prop(deal, 'amount');
  const base = { source: 'hubspot' as const, dealId: deal.id, version, title, currency };
  const paid = paidFlag(options.paidField ? prop(deal, options.paidField) : undefined, options);
  const out = mapDeal({ ...base, amountKobo: amountOrUndefined(amountText, 'deal.properties.amount') }, raw, () => {
    const amountKobo = amountText !== undefined ? koboOf(amountText, 'deal.properties.amount') : undefined;
    const b = { ...base, ...(amountKobo !== undefined ? { amountKobo } : {}) };
    if (deal.archived) return { kind: 'not_won', ...b, status: 'deleted', reason: 'the deal is archived (deleted) in HubSpot' };
    const stage = prop(deal, 'dealstage');
    if (!stage) throw new MapError('deal.properties.dealstage: not returned (ask for it with ?properties=dealstage)');
    const stages = hubspotStages(bundle.pipelines ?? options.pipelines);
    const won = options.wonStages ?? stages.filter((s) => s.won).map((s) => s.id);
    if (!options.wonStages && !stages.length)
      throw new MapError('won stages are not configured and no pipelines (GET /crm/v3/pipelines/deals) were given to read them from');
    if (!won.includes(stage)) {
      const known = stages.find((s) => s.id === stage);
      return {
        kind: 'not_won',
        ...b,
        status: known?.lost ? 'lost' : 'open',
        reason: `stage ${stage}${known ? ` "${known.label}"` : ''} is not a stage that issues an invoice (${won.join(', ') || 'none configured'})`,
      };
    }
    const taxRates = taxRateTable(bundle.tax_rates, options);
    const items = unwrapList(bundle.line_items) ?? [];
    const lines = items.map((li, i) => mapLine(li, i, currency, taxRates, options));
    const dealAmountIs = options.dealAmountIs ?? 'net';
    if (!lines.length) {
      if (!options.allowNoLineItems)
        throw new MapError('the deal has no line items (invoicing a deal from its amount alone is turned off in settings)');
      if (amountKobo === undefined) throw new MapError('the deal has no line items and no amount');
      lines.push(
        amountOnlyLine(
          options.noLineItemsName ?? title ?? `HubSpot deal ${deal.id}`,
          amountKobo,
          defaultTax(options, 'deal'),
          dealAmountIs,
        ),
      );
    }
    const companyParsed = bundle.company ? SimpleObject.safeParse(bundle.company) : undefined;
    if (companyParsed && !companyParsed.success) throw new MapError('company: not a HubSpot company object');
    const company = companyParsed?.data;
    const fields = { ...HUBSPOT_BUYER_DEFAULTS, ...options.buyerFields };
    return checkedDealInvoice(
      {
        source: 'hubspot',
        dealId: deal.id,
        version,
        title,
        currency,
        lines,
        dealAmount: amountKobo,
        dealAmountIs,
        options,
        occurredAt: closeTime(prop(deal, 'closedate') ?? version, options, 'deal.properties.closedate'),
        note: title ? `HubSpot deal ${deal.id}: ${title}` : `HubSpot deal ${deal.id}`,
      },
      () =>
        buyerParty(
          { name: company ? prop(company, 'name') : undefined, ...(company ? readBuyer(company.properties, fields) : {}) },
          fields,
          options,
          'company',
        ),
    );
  });
  return withPaid(out, paid);
}

function taxRateTable(raw: unknown, options: HubspotOptions): Map<string, Big> {
  const table = new Map<string, Big>();
  for (const [id, pct] of Object.entries(options.taxRates ?? {})) table.set(id, new Big(pct));
  for (const r of unwrapList(raw) ?? (raw && typeof raw === 'object' ? [raw] : [])) {
    const o = r as { id?: unknown; percentageRate?: unknown; active?: unknown };
    if (
      (typeof o.id === 'string' || typeof o.id === 'number') &&
      (typeof o.percentageRate === 'number' || typeof o.percentageRate === 'string')
    ) {
      table.set(String(o.id), dec(o.percentageRate, `tax_rates[${String(o.id)}].percentageRate`));
    }
  }
  return table;
}

function mapLine(raw: unknown, i: number, currency: string, taxRates: Map<string, Big>, options: HubspotOptions): LineInput {
  const what = `line_items[${i}]`;
  const r = SimpleObject.safeParse(raw);
  if (!r.success) throw new MapError(`${what}: not a HubSpot line item object`);
  const li = r.data;
  const p = (k: string) => prop(li, k);
  const lineCurrency = p('hs_line_item_currency_code');
  if (lineCurrency && lineCurrency !== currency)
    throw new MapError(`${what}.hs_line_item_currency_code: ${lineCurrency} differs from the deal's ${currency}`);
  const name = p('name') ?? `Item ${li.id}`;
  const quantity = dec(p('quantity') ?? '1', `${what}.quantity`);
  const priceText = p('price');
  if (priceText === undefined)
    throw new MapError(
      `${what}.price: not returned (ask for price, quantity, amount, discount, hs_discount_percentage, hs_tax_rate_group_id, hs_tax_amount)`,
    );
  const unitPrice = dec(priceText, `${what}.price`);
  const ext = extendedKobo({ quantity, unitPrice });
  // Discount: `discount` is a currency amount per unit, `hs_discount_percentage` a percent of the line.
  const unitDiscount = p('discount') !== undefined ? dec(p('discount')!, `${what}.discount`) : undefined;
  const pct = p('hs_discount_percentage') !== undefined ? dec(p('hs_discount_percentage')!, `${what}.hs_discount_percentage`) : undefined;
  let discount = 0;
  if (unitDiscount && !unitDiscount.eq(0)) discount = Number(unitDiscount.times(quantity).times(100).round(0, Big.roundHalfUp).toFixed(0));
  else if (pct && !pct.eq(0)) discount = percentOf(ext, pct);
  const amountText = p('amount');
  if (amountText !== undefined) {
    const amount = koboOf(amountText, `${what}.amount`);
    if (amount !== ext - discount) {
      throw new MapError(
        `${what} "${name}": quantity ${quantity.toString()} × price ${unitPrice.toString()} less discount ${formatKobo(discount)} is ${formatKobo(ext - discount)} but HubSpot's amount is ${formatKobo(amount)}`,
      );
    }
  }
  const net = ext - discount;
  return {
    name,
    ...(p('hs_sku') ? { sku: p('hs_sku')! } : {}),
    quantity,
    unitPrice,
    discount,
    tax: lineTax(p, net, taxRates, options, `${what} "${name}"`),
  };
}

/** VAT of a line (exclusive): its tax rate, checked against hs_tax_amount when both are there. */
function lineTax(
  p: (k: string) => string | undefined,
  net: number,
  taxRates: Map<string, Big>,
  options: HubspotOptions,
  what: string,
): Tax {
  const groupId = p('hs_tax_rate_group_id');
  const taxAmount = p('hs_tax_amount') !== undefined ? koboOf(p('hs_tax_amount')!, `${what}.hs_tax_amount`) : undefined;
  const taxFor = (rate: Big) => percentOf(net, rate);
  if (groupId) {
    const rate = taxRates.get(groupId);
    if (!rate)
      throw new MapError(
        `${what}.hs_tax_rate_group_id: tax rate ${groupId} is unknown (read it with GET /tax-rates/v1/tax-rates/${groupId}, scope tax_rates.read)`,
      );
    if (taxAmount !== undefined && taxFor(rate) !== taxAmount) {
      throw new MapError(
        `${what}: tax rate ${rate.toString()}% gives ${formatKobo(taxFor(rate))} but hs_tax_amount is ${formatKobo(taxAmount)}`,
      );
    }
    return taxOf(rate, false, options, what);
  }
  if (taxAmount !== undefined) {
    if (taxAmount === 0) return taxOf(undefined, false, options, what);
    // No rate given: accept only a configured rate that reproduces HubSpot's tax to the kobo.
    const candidates = [...options.standardRates, ...(options.defaultVatRate ? [options.defaultVatRate] : [])].map((r) => new Big(r));
    const rate = candidates.find((r) => taxFor(r) === taxAmount);
    if (!rate)
      throw new MapError(
        `${what}: hs_tax_amount ${formatKobo(taxAmount)} on ${formatKobo(net)} is not any configured VAT rate (${options.standardRates.join(', ')}%)`,
      );
    return taxOf(rate, false, options, what);
  }
  return defaultTax(options, what);
}
