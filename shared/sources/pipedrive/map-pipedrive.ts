// Pipedrive deals → canonical B2B sales. Input (one deal, or an array), each object holding what
// Pipedrive's own endpoints return (with or without their {success, data} envelope):
//   { "deal":         GET /api/v2/deals/{id}            (v1 /v1/deals/{id} also read: org_id object, "YYYY-MM-DD HH:MM:SS" UTC times)
//     "products":     GET /api/v2/deals/{id}/products
//     "discounts":    GET /api/v2/deals/{id}/discounts  (deal-level discounts; optional)
//     "organization": GET /api/v2/organizations/{id}    (or null) }
// Won = status "won" (never a stage). Product `tax` is a PERCENTAGE with tax_method exclusive |
// inclusive | none; a "percentage" `discount` is in percent units (0.2 = 0.2 %), an "amount"
// discount is on the product line; each line is checked against Pipedrive's own `sum`. Deal-level
// discounts are spread over the lines. The deal `value` is taken as incl. VAT (dealAmountIs).
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
  unwrapOne,
  type LineInput,
} from '../../capture/crm/build';
import { CrmOptionsSchema, type DealOutcome } from '../../capture/crm/outcome';

/** Organization fields after flattening (see flattenOrganization); the TIN and email are custom fields: configure their keys. */
export const PIPEDRIVE_BUYER_DEFAULTS = {
  tin: 'tin',
  email: 'email',
  street: 'address_street',
  city: 'address_locality',
  postalZone: 'address_postal_code',
  state: 'address_admin_area_level_1',
  lga: 'address_admin_area_level_2',
  country: 'address_country',
} as const;

export const PipedriveOptionsSchema = CrmOptionsSchema.strict();
export type PipedriveOptionsInput = z.input<typeof PipedriveOptionsSchema>;
type PipedriveOptions = z.output<typeof PipedriveOptionsSchema>;

const num = z.union([z.number(), z.string()]);
const Deal = z.looseObject({
  id: z.union([z.number(), z.string()]).transform(String),
  title: z.string().nullish(),
  value: num.nullish(),
  currency: z.string().nullish(),
  status: z.string(),
  is_deleted: z.boolean().optional(),
  deleted: z.boolean().optional(),
  won_time: z.string().nullish(),
  update_time: z.string().nullish(),
  close_time: z.string().nullish(),
  org_id: z.unknown().optional(),
});
const Product = z.looseObject({
  id: z.union([z.number(), z.string()]).optional(),
  name: z.string().nullish(),
  quantity: num,
  item_price: num,
  discount: num.nullish(),
  discount_type: z.enum(['percentage', 'amount']).nullish(),
  discount_percentage: num.nullish(),
  tax: num.nullish(),
  tax_method: z.enum(['exclusive', 'inclusive', 'none']).nullish(),
  sum: num.nullish(),
  currency: z.string().nullish(),
  is_enabled: z.boolean().optional(),
  enabled_flag: z.boolean().optional(),
  product_id: z.union([z.number(), z.string()]).nullish(),
  product: z.looseObject({ code: z.string().nullish() }).nullish(),
});
const Discount = z.looseObject({ amount: num, type: z.enum(['percentage', 'amount']), description: z.string().nullish() });

export function mapPipedrive(payload: unknown, optionsInput?: PipedriveOptionsInput): DealOutcome[] {
  const options = parseCrmOptions(PipedriveOptionsSchema, optionsInput);
  return (Array.isArray(payload) ? payload : [payload]).map((b) => mapBundle(b, options));
}

/** One flat record from a v2 (structured address, custom_fields object) or v1 (address_* fields, custom fields at top level) organization. */
export function flattenOrganization(org: Record<string, unknown>): Record<string, unknown> {
  const flat: Record<string, unknown> = { ...org };
  const custom = org.custom_fields;
  if (custom && typeof custom === 'object' && !Array.isArray(custom)) {
    for (const [k, v] of Object.entries(custom)) flat[k] = v && typeof v === 'object' && 'value' in v ? (v as { value: unknown }).value : v;
  }
  const addr = org.address;
  if (addr && typeof addr === 'object') {
    const a = addr as Record<string, unknown>;
    for (const k of [
      'locality',
      'sublocality',
      'admin_area_level_1',
      'admin_area_level_2',
      'postal_code',
      'country',
      'route',
      'street_number',
      'subpremise',
    ])
      flat[`address_${k}`] = a[k];
    flat.address_value = a.value;
  }
  const street = [text(flat.address_street_number), text(flat.address_route)].filter(Boolean).join(' ') || undefined;
  flat.address_street = [text(flat.address_subpremise), street].filter(Boolean).join(', ') || undefined;
  return flat;
}

function mapBundle(raw: unknown, options: PipedriveOptions): DealOutcome {
  const bundle = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const parsed = Deal.safeParse(unwrapOne(bundle.deal));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      kind: 'review',
      source: 'pipedrive',
      dealId: '(no id)',
      reason: `deal.${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}; give {"deal": GET /api/v2/deals/{id}, "products": …, "discounts": …, "organization": …}`,
      missing: [],
      payload: raw,
    };
  }
  const deal = parsed.data;
  const v1 = typeof deal.update_time === 'string' && / \d{2}:/.test(deal.update_time);
  const currency = deal.currency ?? options.currency;
  const version = deal.update_time ?? undefined;
  const base = { source: 'pipedrive' as const, dealId: deal.id, version, title: deal.title ?? undefined, currency };
  // v2 keeps custom fields under custom_fields; v1 puts them on the deal itself.
  const custom = (deal as { custom_fields?: unknown }).custom_fields;
  const paidRaw = options.paidField
    ? custom && typeof custom === 'object' && options.paidField in custom
      ? (custom as Record<string, unknown>)[options.paidField]
      : (deal as Record<string, unknown>)[options.paidField]
    : undefined;
  const paid = paidFlag(paidRaw, options);
  const out = mapDeal({ ...base, amountKobo: amountOrUndefined(deal.value, 'deal.value') }, raw, () => {
    const amountKobo = deal.value !== null && deal.value !== undefined ? koboOf(deal.value, 'deal.value') : undefined;
    const b = { ...base, ...(amountKobo !== undefined ? { amountKobo } : {}) };
    if (deal.is_deleted || deal.deleted || deal.status === 'deleted')
      return { kind: 'not_won', ...b, status: 'deleted', reason: 'the deal is deleted in Pipedrive' };
    if (deal.status !== 'won')
      return { kind: 'not_won', ...b, status: deal.status === 'lost' ? 'lost' : 'open', reason: `status is ${deal.status}, not won` };
    const products = (unwrapList(bundle.products) ?? []).filter((p) => {
      const o = p as { is_enabled?: unknown; enabled_flag?: unknown };
      return o.is_enabled !== false && o.enabled_flag !== false; // disabled products are not in the deal value
    });
    const lines = products.map((p, i) => mapProduct(p, i, currency, options));
    const dealAmountIs = options.dealAmountIs ?? 'gross';
    if (!lines.length) {
      if (!options.allowNoLineItems)
        throw new MapError('the deal has no products (invoicing a deal from its value alone is turned off in settings)');
      if (amountKobo === undefined) throw new MapError('the deal has no products and no value');
      lines.push(
        amountOnlyLine(
          options.noLineItemsName ?? deal.title ?? `Pipedrive deal ${deal.id}`,
          amountKobo,
          defaultTax(options, 'deal'),
          dealAmountIs,
        ),
      );
    }
    const dealDiscount = dealDiscounts(bundle.discounts, lines);
    const org =
      unwrapOne(bundle.organization) ??
      (deal.org_id && typeof deal.org_id === 'object' ? (deal.org_id as Record<string, unknown>) : undefined);
    const flat = org ? flattenOrganization(org) : undefined;
    const fields = { ...PIPEDRIVE_BUYER_DEFAULTS, ...options.buyerFields };
    const when = deal.won_time ?? deal.close_time ?? deal.update_time;
    if (!when) throw new MapError('deal.won_time: missing');
    return checkedDealInvoice(
      {
        source: 'pipedrive',
        dealId: deal.id,
        version,
        title: deal.title ?? undefined,
        currency,
        lines,
        dealDiscount,
        dealAmount: amountKobo,
        dealAmountIs,
        options,
        occurredAt: closeTime(when, options, 'deal.won_time', v1),
        note: `Pipedrive deal ${deal.id}${deal.title ? `: ${deal.title}` : ''}`,
      },
      () =>
        buyerParty({ name: flat ? text(flat.name) : undefined, ...(flat ? readBuyer(flat, fields) : {}) }, fields, options, 'organization'),
    );
  });
  return withPaid(out, paid);
}

function mapProduct(raw: unknown, i: number, currency: string, options: PipedriveOptions): LineInput {
  const what = `products[${i}]`;
  const r = Product.safeParse(raw);
  if (!r.success)
    throw new MapError(`${what}.${r.error.issues[0]?.path.join('.') ?? ''}: ${r.error.issues[0]?.message ?? 'not a deal product'}`);
  const p = r.data;
  const name = p.name ?? `Product ${String(p.product_id ?? i + 1)}`;
  if (p.currency && p.currency !== currency) throw new MapError(`${what}.currency: ${p.currency} differs from the deal's ${currency}`);
  const quantity = dec(p.quantity, `${what}.quantity`);
  const unitPrice = dec(p.item_price, `${what}.item_price`);
  const ext = extendedKobo({ quantity, unitPrice });
  // discount_type "percentage" is in percent units (0.2 = 0.2 %); "amount" is money off the line.
  // The deprecated discount_percentage is read only when `discount` is absent.
  let discount = 0;
  const d = p.discount ?? (p.discount_percentage !== null && p.discount_percentage !== undefined ? p.discount_percentage : undefined);
  const type = p.discount !== null && p.discount !== undefined ? (p.discount_type ?? 'percentage') : 'percentage';
  if (d !== null && d !== undefined) {
    const dv = dec(d, `${what}.discount`);
    discount = type === 'amount' ? koboOf(d, `${what}.discount`) : percentOf(ext, dv);
  }
  const method = p.tax_method ?? 'exclusive';
  const rate = p.tax !== null && p.tax !== undefined ? dec(p.tax, `${what}.tax`) : new Big(0);
  const tax =
    method === 'none' || rate.eq(0)
      ? taxOf(undefined, false, options, what)
      : taxOf(rate, method === 'inclusive', options, `${what} "${name}"`);
  const gross = ext - discount;
  if (p.sum !== null && p.sum !== undefined) {
    const sum = koboOf(p.sum, `${what}.sum`);
    // Exclusive tax: whether Pipedrive's `sum` includes the tax is not settled by its docs; accept either, nothing else.
    const withTax = tax.inclusive || tax.rate === '0' ? gross : gross + percentOf(gross, new Big(tax.rate));
    if (sum !== gross && sum !== withTax) {
      throw new MapError(
        `${what} "${name}": quantity ${quantity.toString()} × item_price ${unitPrice.toString()} less discount ${formatKobo(discount)} is ${formatKobo(gross)}${withTax !== gross ? ` (${formatKobo(withTax)} with tax)` : ''} but Pipedrive's sum is ${formatKobo(sum)}`,
      );
    }
  }
  const sku = p.product?.code ?? undefined;
  return { name, ...(sku ? { sku } : {}), quantity, unitPrice, discount, tax };
}

/** Deal-level ("additional") discounts in kobo: each percentage is of the products' total after their own discounts. */
function dealDiscounts(raw: unknown, lines: LineInput[]): number {
  const list = unwrapList(raw) ?? [];
  const total = lines.reduce((a, l) => a + extendedKobo(l) - l.discount, 0);
  let sum = 0;
  list.forEach((x, i) => {
    const r = Discount.safeParse(x);
    if (!r.success) throw new MapError(`discounts[${i}]: not a deal discount (${r.error.issues[0]?.message ?? ''})`);
    sum +=
      r.data.type === 'amount'
        ? koboOf(r.data.amount, `discounts[${i}].amount`)
        : percentOf(total, dec(r.data.amount, `discounts[${i}].amount`));
  });
  return sum;
}
