// Turning one won deal into the canonical sale, the same way for every CRM: exact money, VAT per
// line, deal-level discounts spread over the lines to the kobo, the buyer with what is missing
// named, and the check that the invoice equals the CRM's deal amount (else a review stating the
// difference, never adjusted to fit).
import Big from 'big.js';
import { z } from 'zod';
import { InvalidInput, parseSale, type Party, type Sale, type SaleLine, type Tax } from '../../domain/sale';
import { computeTotals, type SaleTotals } from '../../domain/totals';
import { formatKobo, MoneyError, roundKobo, type Kobo } from '../../domain/money';
import { amountToBig, MapError, quantityText, toKobo } from '../common';
import { allocate } from '../../domain/allocate';
import {
  CrmOptionsSchema,
  type BuyerFields,
  type CrmOptions,
  type CrmOptionsInput,
  type CrmSource,
  type DealInvoice,
  type DealOutcome,
} from './outcome';

export { MapError };

/** A MapError that also names buyer fields to fix in the CRM (the deal waits in review for them). */
export class MissingBuyerData extends MapError {
  constructor(
    message: string,
    readonly missing: string[],
  ) {
    super(message);
  }
}

export function parseCrmOptions<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const r = schema.safeParse(input ?? {});
  // Options are configuration: a bad one is the caller's error (exit 2), not a review.
  if (!r.success) throw new InvalidInput(`crm options: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

export const baseOptions = (input: CrmOptionsInput | undefined): CrmOptions => parseCrmOptions(CrmOptionsSchema, input);

/** A vendor number/string as an exact decimal (never float arithmetic). */
export const dec = (v: number | string, what: string): Big => amountToBig(typeof v === 'string' ? v.trim() : v, what);

export const koboOf = (v: number | string, what: string): Kobo => toKobo(dec(v, what), what);

/** The deal amount for outcomes that are not invoices (a review still says what the CRM states): undefined when unreadable. */
export function amountOrUndefined(v: number | string | null | undefined, what: string): Kobo | undefined {
  if (v === null || v === undefined) return undefined;
  try {
    return koboOf(v, what);
  } catch {
    return undefined;
  }
}

/** A value that is a non-empty string/number, as trimmed text. */
export function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** VAT for a rate in percent (Big) → canonical tax. */
export function taxOf(ratePercent: Big | undefined, inclusive: boolean, options: CrmOptions, what: string): Tax {
  if (!ratePercent || ratePercent.eq(0)) return { category: options.untaxedCategory, rate: '0', inclusive: false };
  if (ratePercent.lt(0)) throw new MapError(`${what}: negative tax rate ${ratePercent.toString()}`);
  const rate = ratePercent.toString();
  if (!/^\d{1,2}(\.\d{1,4})?$/.test(rate))
    throw new MapError(`${what}: tax rate ${rate}% cannot be carried (at most 4 decimals, below 100)`);
  const standard = options.standardRates.some((r) => new Big(r).eq(ratePercent));
  return { category: standard ? 'STANDARD_VAT' : 'REDUCED_VAT', rate, inclusive };
}

/** The configured default VAT (exclusive) for lines the CRM gives no tax for. */
export const defaultTax = (options: CrmOptions, what: string): Tax =>
  taxOf(options.defaultVatRate !== undefined ? new Big(options.defaultVatRate) : undefined, false, options, what);

export interface LineInput {
  name: string;
  sku?: string;
  quantity: Big;
  /** Unit price in major units as the CRM states it (≤ 6 decimals). */
  unitPrice: Big;
  /** Discount on the whole line, kobo. */
  discount: Kobo;
  tax: Tax;
}

export const extendedKobo = (l: Pick<LineInput, 'quantity' | 'unitPrice'>): Kobo => roundKobo(l.quantity.times(l.unitPrice).times(100));

/** Percentage of an amount in kobo, half-up (how CRMs round a percent discount). */
export const percentOf = (amount: Kobo, percent: Big): Kobo => roundKobo(new Big(amount).times(percent).div(100));

/**
 * Spreads `total` kobo over lines in proportion to `weights` (largest remainder), so a deal-level
 * discount lands on the lines whose VAT it reduces and still adds up exactly.
 */
export { allocate };

function toSaleLine(l: LineInput, i: number): SaleLine {
  const unit = l.unitPrice;
  if (unit.lt(0)) throw new MapError(`lines[${i}] "${l.name}": negative unit price ${unit.toString()}`);
  if (!unit.eq(unit.round(6))) throw new MapError(`lines[${i}] "${l.name}": unit price ${unit.toString()} has more than 6 decimals`);
  if (l.discount < 0) throw new MapError(`lines[${i}] "${l.name}": negative discount ${formatKobo(l.discount)}`);
  return {
    name: l.name.trim().slice(0, 200) || 'Item',
    ...(l.sku ? { sku: l.sku.slice(0, 64) } : {}),
    quantity: quantityText(l.quantity, `lines[${i}].quantity`),
    unit_price: unit.toFixed(),
    ...(l.discount ? { discount: formatKobo(l.discount) } : {}),
    tax: l.tax,
  };
}

// ---------- buyer ----------

const COUNTRIES: Record<string, string> = {
  nigeria: 'NG',
  ghana: 'GH',
  'united states': 'US',
  usa: 'US',
  'united states of america': 'US',
  'united kingdom': 'GB',
  uk: 'GB',
  'great britain': 'GB',
  kenya: 'KE',
  'south africa': 'ZA',
  estonia: 'EE',
  germany: 'DE',
  france: 'FR',
  canada: 'CA',
  "cote d'ivoire": 'CI',
  benin: 'BJ',
  togo: 'TG',
  cameroon: 'CM',
  niger: 'NE',
  china: 'CN',
  india: 'IN',
  'united arab emirates': 'AE',
  uae: 'AE',
  netherlands: 'NL',
};

const TIN = /^[0-9A-Za-z-]{8,20}$/;

export interface BuyerData {
  name?: string | undefined;
  tin?: string | undefined;
  email?: string | undefined;
  street?: string | undefined;
  city?: string | undefined;
  postalZone?: string | undefined;
  state?: string | undefined;
  lga?: string | undefined;
  country?: string | undefined;
  government?: boolean | undefined;
}

/** Reads the configured fields from a flat record (HubSpot properties, a Salesforce Account, a Pipedrive org). */
export function readBuyer(
  record: Record<string, unknown>,
  fields: Required<Omit<BuyerFields, 'government'>> & Pick<BuyerFields, 'government'>,
): Omit<BuyerData, 'name'> {
  const flag = fields.government ? record[fields.government] : undefined;
  return {
    tin: text(record[fields.tin]),
    email: text(record[fields.email]),
    street: text(record[fields.street]),
    city: text(record[fields.city]),
    postalZone: text(record[fields.postalZone]),
    state: text(record[fields.state]),
    lga: text(record[fields.lga]),
    country: text(record[fields.country]),
    government: flag === true || (typeof flag === 'string' && /^(true|yes|1)$/i.test(flag.trim())),
  };
}

/**
 * The B2B/B2G buyer party, or a MissingBuyerData naming every required field that is empty or
 * malformed (and where it is read from), so the deal waits in review until the CRM is fixed.
 */
export function buyerParty(b: BuyerData, fields: BuyerFields, options: CrmOptions, where: string): { party: Party; kind: 'B2B' | 'B2G' } {
  const missing: string[] = [];
  const problems: string[] = [];
  const label = (k: keyof BuyerFields) => `${k}${fields[k] ? ` (${where}.${fields[k]})` : ''}`;
  const name = b.name?.trim();
  if (!name) {
    missing.push('name');
    problems.push(`no buyer: the deal has no ${where} with a name`);
  }
  const required = new Set(options.requireBuyer);
  // NRS v1.1: a B2B/B2G buyer's full postal address (shared/domain/buyer.ts), postal zone included.
  for (const k of ['tin', 'email', 'street', 'city', 'postalZone', 'state', 'lga'] as const) {
    if (required.has(k) && !b[k]) {
      missing.push(k);
      problems.push(`${label(k)} is empty`);
    }
  }
  if (b.tin && !TIN.test(b.tin)) {
    missing.push('tin');
    problems.push(`${label('tin')} "${b.tin}" is not a TIN like 12345678-0001`);
  }
  const email = b.email && z.email().safeParse(b.email).success ? b.email : undefined;
  if (b.email && !email) {
    missing.push('email');
    problems.push(`${label('email')} "${b.email}" is not an email address`);
  }
  let country = options.defaultCountry;
  if (b.country) {
    const c = b.country.trim();
    const code = /^[A-Za-z]{2}$/.test(c) ? c.toUpperCase() : COUNTRIES[c.toLowerCase()];
    if (!code) {
      missing.push('country');
      problems.push(`${label('country')} "${c}" is not a country we can code (give the ISO code, e.g. NG)`);
    } else country = code;
  }
  if (problems.length) throw new MissingBuyerData(`buyer: ${problems.join('; ')}`, [...new Set(missing)]);
  const party: Party = { name: name!.slice(0, 200), ...(b.tin ? { tin: b.tin } : {}), ...(email ? { email } : {}) };
  if (b.street && b.city) {
    party.address = {
      street: b.street,
      city: b.city,
      ...(b.postalZone ? { postal_zone: b.postalZone } : {}),
      ...(b.state ? { state: b.state } : {}),
      ...(b.lga ? { lga: b.lga } : {}),
      country,
    };
  }
  return { party, kind: b.government ? 'B2G' : 'B2B' };
}

// ---------- time ----------

/** A CRM close/won time → ISO with offset: ISO, epoch-ms string/number, "YYYY-MM-DD", or "YYYY-MM-DD HH:MM:SS" (UTC). */
export function closeTime(v: unknown, options: CrmOptions, what: string, utcWhenZoneless = false): string {
  let ms: number;
  const t = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
  if (/^\d{12,14}$/.test(t)) ms = Number(t);
  else if (/^\d{4}-\d{2}-\d{2}$/.test(t)) ms = Date.parse(`${t}T00:00:00${options.utcOffset}`);
  else if (/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(t))
    ms = Date.parse(`${t.replace(' ', 'T')}${utcWhenZoneless ? 'Z' : options.utcOffset}`);
  else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}.*(Z|[+-]\d{2}:?\d{2})$/i.test(t)) ms = Date.parse(t.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  else throw new MapError(`${what}: "${t}" is not a date or date-time`);
  if (Number.isNaN(ms)) throw new MapError(`${what}: "${t}" is not a date or date-time`);
  if (options.now !== undefined && ms > options.now) ms = options.now; // never post-date an invoice
  return new Date(ms).toISOString();
}

// ---------- the sale ----------

export interface DealSaleInput {
  source: CrmSource;
  dealId: string;
  version?: string | undefined;
  title?: string | undefined;
  occurredAt: string;
  currency: string;
  lines: LineInput[];
  /** Deal-level discount (kobo) spread over the lines after their own discounts. */
  dealDiscount?: Kobo;
  buyer: { party: Party; kind: 'B2B' | 'B2G' };
  /** The CRM's deal amount and what it means (net of VAT or incl. VAT). */
  dealAmount: Kobo | undefined;
  dealAmountIs: 'net' | 'gross';
  options: CrmOptions;
  note?: string;
}

/** Builds, validates and checks the sale; a mismatch with the deal amount is a MapError stating the difference. */
export function dealInvoice(i: DealSaleInput): DealInvoice {
  if (!i.lines.length) throw new MapError('deal has no line items');
  const lines = i.lines.map((l) => ({ ...l }));
  if (i.dealDiscount) {
    const after = lines.map((l) => extendedKobo(l) - l.discount);
    const total = after.reduce((a, b) => a + b, 0);
    if (i.dealDiscount > total)
      throw new MapError(`deal discount ${formatKobo(i.dealDiscount)} is more than the products' total ${formatKobo(total)}`);
    allocate(i.dealDiscount, after).forEach((d, k) => {
      lines[k]!.discount += d;
    });
  }
  const base: Sale = {
    source: i.source,
    external_id: i.dealId,
    occurred_at: i.occurredAt,
    currency: i.currency,
    lines: lines.map(toSaleLine),
    // A government buyer makes the invoice B2G (shared/domain/buyer.ts); a TIN makes it B2B.
    customer: i.buyer.kind === 'B2G' ? { ...i.buyer.party, government: true } : i.buyer.party,
    refund_of: null,
    // A won deal is invoiced before it is paid: a credit sale, reported PENDING until paid.
    on_credit: true,
    payments: [],
    ...(i.note ? { note: i.note.slice(0, 500) } : {}),
  };
  let totals: SaleTotals;
  let sale: Sale;
  try {
    sale = parseSale(base);
    totals = computeTotals(sale);
  } catch (e) {
    if (e instanceof InvalidInput || e instanceof MoneyError) throw new MapError(`mapped invoice is not valid: ${e.message}`);
    throw e;
  }
  const invoiceAmount = i.dealAmountIs === 'gross' ? totals.taxInclusive : totals.taxExclusive;
  if (i.dealAmount === undefined) throw new MapError('the deal has no amount to check the invoice against');
  if (invoiceAmount !== i.dealAmount) {
    throw new MapError(
      `the invoice would total ${formatKobo(invoiceAmount)} ${i.dealAmountIs === 'gross' ? 'incl.' : 'before'} VAT (VAT ${formatKobo(totals.taxTotal)}, payable ${formatKobo(totals.taxInclusive)}) but the deal amount is ${formatKobo(i.dealAmount)}: difference ${formatKobo(invoiceAmount - i.dealAmount)} ${i.currency}; fix the deal's line items or amount in the CRM`,
    );
  }
  return {
    kind: 'invoice',
    source: i.source,
    dealId: i.dealId,
    ...(i.version ? { version: i.version } : {}),
    ...(i.title ? { title: i.title } : {}),
    amountKobo: i.dealAmount,
    currency: i.currency,
    sale,
  };
}

/** Is the configured paid field's value one that means paid? (undefined when no field is configured) */
export function paidFlag(value: unknown, options: CrmOptions): boolean | undefined {
  if (!options.paidField) return undefined;
  if (value === null || value === undefined) return false;
  const v = typeof value === 'object' ? JSON.stringify(value) : String(value as string | number | boolean);
  return options.paidValues.some((p) => p.toLowerCase() === v.trim().toLowerCase());
}

/** Adds the paid flag to an invoice outcome (others do not carry it). */
export function withPaid(out: DealOutcome, paid: boolean | undefined): DealOutcome {
  return out.kind === 'invoice' && paid !== undefined ? { ...out, paid } : out;
}

/** Runs one deal's mapping; MapErrors become review outcomes so one bad deal never stops the rest. */
export function mapDeal(
  base: {
    source: CrmSource;
    dealId: string;
    version?: string | undefined;
    title?: string | undefined;
    amountKobo?: number | undefined;
    currency?: string | undefined;
  },
  payload: unknown,
  fn: () => DealOutcome,
): DealOutcome {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof MapError || e instanceof MoneyError)) throw e;
    const clean = Object.fromEntries(Object.entries(base).filter(([, v]) => v !== undefined)) as typeof base;
    return { kind: 'review', ...clean, reason: e.message, missing: e instanceof MissingBuyerData ? e.missing : [], payload };
  }
}

/** The one line of a deal invoiced from its amount alone (only when the business allows it). */
export function amountOnlyLine(name: string, amount: Kobo, tax: Tax, amountIs: 'net' | 'gross'): LineInput {
  // A gross amount with exclusive VAT cannot be split exactly: carry the VAT as inclusive instead.
  const inclusive = amountIs === 'gross' && tax.rate !== '0';
  return { name, quantity: new Big(1), unitPrice: new Big(amount).div(100), discount: 0, tax: { ...tax, inclusive } };
}

/**
 * The invoice, or one review naming everything wrong at once (buyer data and the amount check),
 * with the missing buyer fields listed so the deal is retried when the CRM record is fixed.
 */
export function checkedDealInvoice(i: Omit<DealSaleInput, 'buyer'>, buyer: () => { party: Party; kind: 'B2B' | 'B2G' }): DealInvoice {
  let party: { party: Party; kind: 'B2B' | 'B2G' } | undefined;
  let buyerError: MissingBuyerData | undefined;
  try {
    party = buyer();
  } catch (e) {
    if (!(e instanceof MissingBuyerData)) throw e;
    buyerError = e;
  }
  let invoice: DealInvoice | undefined;
  let amountError: MapError | undefined;
  try {
    invoice = dealInvoice({ ...i, buyer: party ?? { party: { name: 'buyer' }, kind: 'B2B' } });
  } catch (e) {
    if (!(e instanceof MapError)) throw e;
    amountError = e;
  }
  if (buyerError || amountError) {
    throw new MissingBuyerData([buyerError?.message, amountError?.message].filter(Boolean).join('; '), buyerError?.missing ?? []);
  }
  return invoice!;
}

/** Unwraps the envelopes CRMs put around results: {success,data} (Pipedrive), {results} (HubSpot batch/search), {records} (Salesforce). */
export function unwrapList(v: unknown): unknown[] | undefined {
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v)) return v;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const k of ['data', 'results', 'records']) if (Array.isArray(o[k])) return o[k] as unknown[];
  }
  return undefined;
}

export function unwrapOne(v: unknown): Record<string, unknown> | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  if (o.id === undefined && o.data && typeof o.data === 'object' && !Array.isArray(o.data)) return o.data as Record<string, unknown>;
  return o;
}
