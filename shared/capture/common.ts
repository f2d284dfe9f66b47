// Helpers every vendor mapper shares: exact money from JSON numbers and decimal strings, tax
// categories, unit prices that reproduce the vendor's line amount, buyers, and the totals check
// that turns any difference from what the POS charged into a `review` outcome.
import Big from 'big.js';
import { z } from 'zod';
import {
  InvalidInput,
  OTHER_TAX_CATEGORIES,
  parseSale,
  type ExchangeRate,
  type OtherTax,
  type OtherTaxCategory,
  type Party,
  type Sale,
  type Tax,
} from '../domain/sale';
import { computeInvoiceAmounts, computeTotals, type SaleTotals } from '../domain/totals';
import { bigToKobo, formatKobo, MoneyError, parseDecimal, roundKobo, type Kobo } from '../domain/money';
import { MAX_LEN } from '../domain/limits';
import { MapOptionsSchema, type CaptureVendor, type MapOptions, type MapOptionsInput, type MapOutcome, type TaxMapping } from './outcome';

/** A payload that cannot be mapped faithfully: becomes a `review` outcome with this reason. */
export class MapError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MapError';
  }
}

export function parseOptions(options: MapOptionsInput | undefined): MapOptions {
  const r = MapOptionsSchema.safeParse(options ?? {});
  // Options are configuration, not vendor data: a bad option is the caller's error, not a review.
  if (!r.success) throw new InvalidInput(`capture options: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

/** Validates with zod, naming the field path on failure. */
export function validate<T extends z.ZodType>(schema: T, payload: unknown, what: string): z.output<T> {
  const r = schema.safeParse(payload);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const path = issue.path.reduce<string>((a, p) => (typeof p === 'number' ? `${a}[${p}]` : a ? `${a}.${String(p)}` : String(p)), '');
    throw new MapError(`${what}${path ? `.${path}` : ''}: ${issue.message}`);
  }
  return r.data;
}

/**
 * A JSON number in major units as an exact decimal. JSON.parse gives the double nearest the text;
 * its shortest round-trip repr (String(n)) is the text the vendor sent for any amount with ≤15
 * significant digits, so we parse that string, never multiply the float.
 */
export function numberToBig(n: number, what: string): Big {
  if (!Number.isFinite(n)) throw new MapError(`${what}: ${String(n)} is not a finite number`);
  const text = String(n);
  const big = new Big(text);
  if (big.abs().gte('1e15')) throw new MapError(`${what}: ${text} is too large`);
  return big;
}

/** A decimal string ("12.50", "-3", "93.02326") as an exact decimal. */
export function stringToBig(s: string, what: string): Big {
  try {
    return parseDecimal(s.trim(), what);
  } catch (e) {
    throw new MapError((e as Error).message);
  }
}

export function amountToBig(v: number | string, what: string): Big {
  return typeof v === 'number' ? numberToBig(v, what) : stringToBig(v, what);
}

/** Exact kobo; a value with fractions of a kobo is a review (never silently rounded). */
export function toKobo(amount: Big, what: string): Kobo {
  try {
    return bigToKobo(amount, what);
  } catch (e) {
    if (e instanceof MoneyError) throw new MapError(e.message);
    throw e;
  }
}

export const kobo = (v: number | string, what: string): Kobo => toKobo(amountToBig(v, what), what);

export const major = (k: Kobo): string => formatKobo(k);

/** A percentage (Big) → canonical tax. 0 → the configured untaxed category. */
export function taxFor(ratePercent: Big, inclusive: boolean, options: MapOptions, what: string): Tax {
  if (ratePercent.lt(0)) throw new MapError(`${what}: negative tax rate ${ratePercent.toString()}`);
  if (ratePercent.eq(0)) return { category: options.untaxedCategory, rate: '0', inclusive };
  const rate = ratePercent.toString();
  if (!/^\d{1,2}(\.\d{1,4})?$/.test(rate))
    throw new MapError(`${what}: tax rate ${rate}% cannot be represented (at most 4 decimals, below 100)`);
  const standard = options.standardRates.some((r) => new Big(r).eq(ratePercent));
  return { category: standard ? 'STANDARD_VAT' : 'REDUCED_VAT', rate, inclusive };
}

/**
 * The unit price (major units, ≤6 decimals) such that quantity × unit rounds to exactly the
 * vendor's extended amount; the canonical totals recompute the line from these two.
 */
export function unitPriceFor(extended: Kobo, quantity: Big, what: string): string {
  if (quantity.lte(0)) throw new MapError(`${what}: quantity ${quantity.toString()} must be greater than 0`);
  if (quantity.eq(1)) return formatKobo(extended);
  const unit = new Big(extended).div(100).div(quantity).round(6, Big.roundHalfUp);
  if (roundKobo(unit.times(quantity).times(100)) !== extended) {
    throw new MapError(`${what}: no unit price reproduces ${formatKobo(extended)} for quantity ${quantity.toString()}`);
  }
  return unit.toFixed();
}

/** Quantity as a canonical decimal string (≤6 decimals, > 0). */
export function quantityText(q: Big, what: string): string {
  if (q.lte(0)) throw new MapError(`${what}: quantity ${q.toString()} must be greater than 0`);
  if (!q.eq(q.round(6))) throw new MapError(`${what}: quantity ${q.toString()} has more than 6 decimals`);
  return q.toFixed();
}

/** Vendor timestamps → ISO 8601 with an offset, as the canonical sale wants. */
export function isoTime(text: string, options: MapOptions, what: string): string {
  const t = text.trim();
  const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/i.test(t);
  const normalised = hasOffset ? t.replace(/([+-]\d{2})(\d{2})$/, '$1:$2') : `${t}${options.utcOffset}`;
  const ms = Date.parse(normalised);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(t) || Number.isNaN(ms)) throw new MapError(`${what}: "${text}" is not an ISO date-time`);
  return new Date(ms).toISOString();
}

/** The buyer, B2B when the configured TIN field holds a value. */
export function buyerFrom(
  customer: Record<string, unknown> | undefined,
  tinField: string | undefined,
  name: string | undefined,
  extra: Partial<Party>,
  what: string,
): Party | null {
  if (!customer) return null;
  const raw = tinField ? customer[tinField] : undefined;
  const tin = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
  const trimmedName = (name ?? '').trim().slice(0, MAX_LEN.name);
  if (!tin) return null; // B2C: the buyer's name alone does not make an invoice B2B
  if (!/^[0-9A-Za-z-]{8,20}$/.test(tin)) throw new MapError(`${what}.${tinField}: "${tin}" is not a TIN like 12345678-0001`);
  if (!trimmedName) throw new MapError(`${what}: customer with TIN ${tin} has no name`);
  const party: Party = { name: trimmedName, tin };
  if (extra.email && z.email().safeParse(extra.email).success) party.email = extra.email;
  if (extra.phone && /^\+\d{7,15}$/.test(extra.phone)) party.phone = extra.phone;
  return party;
}

/**
 * Parses the built sale and computes its totals; the invoice's payable must equal what the POS
 * charged (minus tips) to the kobo, else the sale is a review — never adjusted to fit.
 */
export function checkedSale(sale: Sale, expectedPayable: Kobo, what: string): { sale: Sale; totals: SaleTotals } {
  const invalid = (e: unknown): never => {
    if (e instanceof InvalidInput || e instanceof MoneyError) throw new MapError(`${what}: mapped sale is not valid: ${e.message}`);
    throw e;
  };
  let parsed: Sale;
  try {
    parsed = parseSale(sale);
  } catch (e) {
    return invalid(e);
  }
  // The invoice's own total first: a sale that does not add up is that, whatever was paid.
  let amounts;
  try {
    amounts = computeInvoiceAmounts(parsed);
  } catch (e) {
    return invalid(e);
  }
  if (amounts.taxInclusive !== expectedPayable) {
    const other = amounts.otherTaxTotal ? `, other taxes ${formatKobo(amounts.otherTaxTotal)}` : '';
    throw new MapError(
      `${what}: totals mismatch: the invoice would total ${formatKobo(amounts.taxInclusive)} (VAT ${formatKobo(amounts.taxTotal)}${other}) but the POS charged ${formatKobo(expectedPayable)} excluding tips (difference ${formatKobo(amounts.taxInclusive - expectedPayable)})`,
    );
  }
  let totals: SaleTotals;
  try {
    totals = computeTotals(parsed);
  } catch (e) {
    return invalid(e);
  }
  return { sale: parsed, totals };
}

// ---- Taxes by the connection's tax mapping (issue #13) ----

/** One tax as the vendor names it on an amount. */
export interface VendorTax {
  /** The vendor's ids for it, most specific first (looked up in options.taxMap). */
  ids: string[];
  name?: string | undefined;
  /** The percentage the POS charged, when the payload says (Square, Toast, R-Series). */
  ratePercent?: Big | undefined;
}

type Resolved = { kind: 'vat'; tax: Omit<Tax, 'inclusive'>; label: string } | { kind: 'other'; tax: OtherTax; label: string };

const VAT_NAME = /\b(vat|value[ -]added tax)\b/i;
const isOther = (c: string): c is OtherTaxCategory => (OTHER_TAX_CATEGORIES as readonly string[]).includes(c);

export function taxLabel(t: VendorTax): string {
  const name = t.name?.trim();
  const id = t.ids[0];
  const rate = t.ratePercent ? ` at ${t.ratePercent.toString()}%` : '';
  return `${name ? `"${name}"` : 'a tax'}${id && id !== name ? ` (id ${id})` : ''}${rate}`;
}

function lookup(t: VendorTax, options: MapOptions): TaxMapping | undefined {
  const map = options.taxMap ?? {};
  for (const id of t.ids) if (map[id]) return map[id];
  const name = t.name?.trim().toLowerCase();
  if (!name) return undefined;
  return Object.entries(map).find(([k]) => k.trim().toLowerCase() === name)?.[1];
}

/**
 * A vendor tax → FIRS category and rate, by the connection's tax mapping; the only default is a
 * 7.5 % tax named VAT (Nigeria's standard rate under its own name). Anything else is a review
 * naming the tax: a rate alone does not say which tax it is.
 */
function resolveTax(t: VendorTax, options: MapOptions, what: string): Resolved | 'untaxed' | 'unmapped' {
  const label = taxLabel(t);
  const mapped = lookup(t, options);
  if (mapped) {
    const rate = new Big(mapped.rate);
    if (t.ratePercent && !t.ratePercent.eq(rate)) {
      throw new MapError(
        `${what}: tax ${label} is mapped as ${mapped.category} ${rate.toString()}% but the POS charged ${t.ratePercent.toString()}%; correct the tax mapping`,
      );
    }
    if (isOther(mapped.category)) {
      return {
        kind: 'other',
        label,
        tax: {
          category: mapped.category,
          name: (mapped.name ?? t.name?.trim() ?? t.ids[0] ?? mapped.category).slice(0, 100),
          rate: rate.toString(),
        },
      };
    }
    return { kind: 'vat', label, tax: { category: mapped.category, rate: rate.toString() } };
  }
  const legacy = t.ids.map((id) => options.taxRates?.[id]).find((r) => r !== undefined);
  if (legacy !== undefined) {
    // taxRates (before tax mappings) declared "this tax id is VAT at this rate".
    const r = new Big(legacy);
    if (r.eq(0)) return 'untaxed';
    return {
      kind: 'vat',
      label,
      tax: { category: options.standardRates.some((x) => new Big(x).eq(r)) ? 'STANDARD_VAT' : 'REDUCED_VAT', rate: r.toString() },
    };
  }
  if (t.ratePercent?.eq(0)) return 'untaxed';
  if (t.ratePercent?.eq('7.5') && t.name && VAT_NAME.test(t.name))
    return { kind: 'vat', label, tax: { category: 'STANDARD_VAT', rate: '7.5' } };
  return 'unmapped';
}

/**
 * The taxes on one amount → the canonical line's VAT and non-VAT taxes. Several VAT taxes on one
 * amount, or any tax the mapping does not know, is a review naming every such tax.
 */
export function lineTaxes(
  taxes: VendorTax[],
  inclusive: boolean,
  options: MapOptions,
  what: string,
): { tax: Tax; other_taxes?: OtherTax[] } {
  const resolved = taxes.map((t) => ({ t, r: resolveTax(t, options, what) }));
  const unmapped = resolved.filter((x) => x.r === 'unmapped').map((x) => taxLabel(x.t));
  if (unmapped.length) {
    throw new MapError(
      `${what}: ${unmapped.length === 1 ? 'tax' : 'taxes'} ${unmapped.join(' and ')} ${unmapped.length === 1 ? 'is' : 'are'} not in this connection's tax mapping; map ${unmapped.length === 1 ? 'it' : 'each'} to a FIRS category (Settings → Point of sale connections → Tax mapping, or connect --tax-map)`,
    );
  }
  const known = resolved.map((x) => x.r).filter((r): r is Resolved => typeof r === 'object');
  const vat = known.filter((r) => r.kind === 'vat');
  if (vat.length > 1) {
    throw new MapError(
      `${what}: two VAT taxes on one amount: ${vat.map((v) => `${v.label} as ${v.tax.category} ${v.tax.rate}%`).join(' and ')}; an invoice line carries one VAT rate (map one of them as a non-VAT tax if that is what it is)`,
    );
  }
  const others = known.flatMap((r) => (r.kind === 'other' ? [r.tax] : []));
  const tax: Tax = vat[0] ? { ...vat[0].tax, inclusive } : { category: options.untaxedCategory, rate: '0', inclusive };
  return { tax, ...(others.length ? { other_taxes: others } : {}) };
}

// ---- Currency (issue #13) ----

/**
 * The sale's currency (the payload's, else the connection's) and, for a currency other than the
 * business's NGN, the exchange rate: a review unless foreign-currency invoicing is on with a
 * configured rate for that currency.
 */
export function saleCurrency(
  payloadCurrency: string | undefined,
  options: MapOptions,
  what: string,
): { currency: string; exchange_rate?: ExchangeRate } {
  const currency = payloadCurrency ?? options.currency;
  if (currency === 'NGN') return { currency };
  const fx = options.foreignCurrency;
  if (!fx?.enabled) {
    throw new MapError(
      `${what}: the sale is in ${currency}, not the business's NGN; foreign-currency invoicing is off (turn it on with an NGN rate for ${currency} in the connection's settings, or correct the connection's currency)`,
    );
  }
  const rate = fx.rates[currency];
  if (!rate)
    throw new MapError(
      `${what}: the sale is in ${currency} and foreign-currency invoicing is on, but no NGN exchange rate for ${currency} is configured`,
    );
  return { currency, exchange_rate: rate };
}

/** Runs a per-item mapper, turning MapErrors into review outcomes so one bad sale never stops the rest. */
export function mapEach(
  vendor: CaptureVendor,
  items: unknown[],
  idOf: (item: unknown) => string | undefined,
  fn: (item: unknown) => MapOutcome[],
  notASale?: (item: unknown) => NotASale | undefined,
): MapOutcome[] {
  const outcomes: MapOutcome[] = [];
  for (const item of items) {
    const other = notASale?.(item);
    if (other) {
      outcomes.push({ kind: 'review', vendor, vendorId: other.saleId ?? '(no id)', reason: other.reason, payload: item });
      continue;
    }
    try {
      outcomes.push(...fn(item));
    } catch (e) {
      if (!(e instanceof MapError || e instanceof MoneyError)) throw e;
      outcomes.push({ kind: 'review', vendor, vendorId: idOf(item) ?? '(no id)', reason: e.message, payload: item });
    }
  }
  return outcomes;
}

/** A payload that is not a sale but points at one (a webhook event, a legacy API shape): fetch it. */
export interface NotASale {
  saleId?: string | undefined;
  reason: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined);
/** obj.a.b.c when each step is an object. */
export function dig(obj: unknown, ...path: string[]): unknown {
  let cur = obj;
  for (const k of path) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}
export const digStr = (obj: unknown, ...path: string[]): string | undefined => str(dig(obj, ...path));

export function idField(key: string): (item: unknown) => string | undefined {
  return (item) => {
    if (item && typeof item === 'object' && key in item) {
      const v = (item as Record<string, unknown>)[key];
      if (typeof v === 'string' || typeof v === 'number') return String(v);
    }
    return undefined;
  };
}

/** A money amount that must be representable exactly, from JSON number or string. */
export const amountSchema = z.union([z.number(), z.string()]);

export function sum(xs: Kobo[]): Kobo {
  return xs.reduce((a, b) => a + b, 0);
}
