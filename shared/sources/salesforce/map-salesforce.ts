// Salesforce opportunities → canonical B2B sales. Input: the REST query result exactly as
// GET {instance_url}/services/data/vXX.X/query?q=… returns it ({totalSize, done, records}), one
// record, or an array of records, each an Opportunity row selecting at least
//   Id, Name, Amount, CloseDate, IsWon, IsClosed, SystemModstamp, [CurrencyIsoCode],
//   Account.Name + the Account fields configured for the buyer (BillingStreet, BillingCity, …, a TIN field),
//   (SELECT Id, Name, ProductCode, Quantity, UnitPrice, Discount, TotalPrice FROM OpportunityLineItems)
// (see SALESFORCE_SOQL_FIELDS). Won = IsWon, never StageName. Amounts are JSON numbers in major
// units; `Discount` is a percent; Salesforce has no tax field, so lines carry the configured
// default VAT (7.5 %, exclusive) and `Amount` (= Σ TotalPrice) is net of VAT.
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
  text,
  unwrapList,
  type LineInput,
} from '../../capture/crm/build';
import { CrmOptionsSchema, type DealOutcome } from '../../capture/crm/outcome';

export const SALESFORCE_BUYER_DEFAULTS = {
  tin: 'TIN__c',
  email: 'Email__c',
  street: 'BillingStreet',
  city: 'BillingCity',
  postalZone: 'BillingPostalCode',
  state: 'BillingState',
  lga: 'LGA__c',
  country: 'BillingCountry',
} as const;

export const SalesforceOptionsSchema = CrmOptionsSchema.extend({
  /** Salesforce has no tax field on line items: this VAT (exclusive) applies to every line. */
  defaultVatRate: z
    .string()
    .regex(/^\d{1,2}(\.\d{1,4})?$/)
    .default('7.5'),
}).strict();
export type SalesforceOptionsInput = z.input<typeof SalesforceOptionsSchema>;
type SalesforceOptions = z.output<typeof SalesforceOptionsSchema>;

/** The Opportunity fields the connector's SOQL selects (plus the configured Account fields). */
export const SALESFORCE_SOQL_FIELDS = ['Id', 'Name', 'Amount', 'CloseDate', 'IsWon', 'IsClosed', 'StageName', 'SystemModstamp'] as const;
export const SALESFORCE_LINE_FIELDS = ['Id', 'Name', 'ProductCode', 'Quantity', 'UnitPrice', 'Discount', 'TotalPrice'] as const;

const num = z.union([z.number(), z.string()]);
const Line = z.looseObject({
  Id: z.string().optional(),
  Name: z.string().nullish(),
  ProductCode: z.string().nullish(),
  Quantity: num.nullish(),
  UnitPrice: num.nullish(),
  Discount: num.nullish(),
  TotalPrice: num.nullish(),
  Product2: z.looseObject({ Name: z.string().nullish(), ProductCode: z.string().nullish() }).nullish(),
  PricebookEntry: z.looseObject({ Name: z.string().nullish(), UnitPrice: num.nullish() }).nullish(),
});
const ChildResult = z.looseObject({ done: z.boolean().optional(), nextRecordsUrl: z.string().optional(), records: z.array(z.unknown()) });
const Opportunity = z.looseObject({
  Id: z.string().min(1),
  Name: z.string().nullish(),
  Amount: num.nullish(),
  CloseDate: z.string().nullish(),
  IsWon: z.boolean().optional(),
  IsClosed: z.boolean().optional(),
  IsDeleted: z.boolean().optional(),
  StageName: z.string().nullish(),
  SystemModstamp: z.string().optional(),
  LastModifiedDate: z.string().optional(),
  CurrencyIsoCode: z.string().nullish(),
  Account: z.record(z.string(), z.unknown()).nullish(),
  OpportunityLineItems: ChildResult.nullish(),
});

export function mapSalesforce(payload: unknown, optionsInput?: SalesforceOptionsInput): DealOutcome[] {
  const options = parseCrmOptions(SalesforceOptionsSchema, optionsInput);
  const records =
    payload && typeof payload === 'object' && !Array.isArray(payload) && 'records' in payload
      ? (unwrapList(payload) ?? [])
      : Array.isArray(payload)
        ? payload
        : [payload];
  return records.map((r) => mapRecord(r, options));
}

function mapRecord(raw: unknown, options: SalesforceOptions): DealOutcome {
  const parsed = Opportunity.safeParse(raw);
  const id = raw && typeof raw === 'object' && typeof (raw as { Id?: unknown }).Id === 'string' ? (raw as { Id: string }).Id : '(no id)';
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      kind: 'review',
      source: 'salesforce',
      dealId: id,
      reason: `Opportunity.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'not an Opportunity record'}`,
      missing: [],
      payload: raw,
    };
  }
  const opp = parsed.data;
  const currency = opp.CurrencyIsoCode ?? options.currency;
  const version = opp.SystemModstamp ?? opp.LastModifiedDate;
  const base = { source: 'salesforce' as const, dealId: opp.Id, version, title: opp.Name ?? undefined, currency };
  const paid = paidFlag(options.paidField ? (opp as Record<string, unknown>)[options.paidField] : undefined, options);
  const out = mapDeal({ ...base, amountKobo: amountOrUndefined(opp.Amount, 'Opportunity.Amount') }, raw, () => {
    const amountKobo = opp.Amount !== null && opp.Amount !== undefined ? koboOf(opp.Amount, 'Opportunity.Amount') : undefined;
    const b = { ...base, ...(amountKobo !== undefined ? { amountKobo } : {}) };
    if (opp.IsDeleted) return { kind: 'not_won', ...b, status: 'deleted', reason: 'the opportunity is deleted' };
    if (opp.IsWon === undefined)
      throw new MapError('Opportunity.IsWon: not selected (won-ness is IsWon, never the stage name): select IsWon, IsClosed');
    if (!opp.IsWon)
      return { kind: 'not_won', ...b, status: opp.IsClosed ? 'lost' : 'open', reason: `IsWon is false (stage "${opp.StageName ?? '?'}")` };
    const children = opp.OpportunityLineItems; // null, not empty, when there are none
    if (children && (children.done === false || children.nextRecordsUrl)) {
      throw new MapError(
        `Opportunity.OpportunityLineItems: only part of the line items is here (follow nextRecordsUrl ${children.nextRecordsUrl ?? '?'})`,
      );
    }
    const lines = (children?.records ?? []).map((li, i) => mapLine(li, i, options));
    const dealAmountIs = options.dealAmountIs ?? 'net';
    if (!lines.length) {
      if (!options.allowNoLineItems)
        throw new MapError('the opportunity has no products (invoicing from its amount alone is turned off in settings)');
      if (amountKobo === undefined) throw new MapError('the opportunity has no products and no Amount');
      lines.push(
        amountOnlyLine(
          options.noLineItemsName ?? opp.Name ?? `Opportunity ${opp.Id}`,
          amountKobo,
          defaultTax(options, 'Opportunity'),
          dealAmountIs,
        ),
      );
    }
    if (!opp.CloseDate) throw new MapError('Opportunity.CloseDate: not selected');
    const account = opp.Account ?? undefined;
    const fields = { ...SALESFORCE_BUYER_DEFAULTS, ...options.buyerFields };
    return checkedDealInvoice(
      {
        source: 'salesforce',
        dealId: opp.Id,
        version,
        title: opp.Name ?? undefined,
        currency,
        lines,
        dealAmount: amountKobo,
        dealAmountIs,
        options,
        occurredAt: closeTime(opp.CloseDate, options, 'Opportunity.CloseDate'),
        note: `Salesforce opportunity ${opp.Id}${opp.Name ? `: ${opp.Name}` : ''}`,
      },
      () =>
        buyerParty(
          { name: account ? text(account.Name) : undefined, ...(account ? readBuyer(account, fields) : {}) },
          fields,
          options,
          'Account',
        ),
    );
  });
  return withPaid(out, paid);
}

function mapLine(raw: unknown, i: number, options: SalesforceOptions): LineInput {
  const what = `OpportunityLineItems[${i}]`;
  const r = Line.safeParse(raw);
  if (!r.success) throw new MapError(`${what}: not an OpportunityLineItem record`);
  const li = r.data;
  const name = li.Name ?? li.Product2?.Name ?? li.PricebookEntry?.Name ?? `Product ${li.Id ?? i + 1}`;
  if (li.Quantity === null || li.Quantity === undefined) throw new MapError(`${what}.Quantity: not selected`);
  if (li.UnitPrice === null || li.UnitPrice === undefined)
    throw new MapError(`${what}.UnitPrice: not selected (the sales price; PricebookEntry.UnitPrice is the list price)`);
  const quantity = dec(li.Quantity, `${what}.Quantity`);
  const unitPrice = dec(li.UnitPrice, `${what}.UnitPrice`);
  const ext = extendedKobo({ quantity, unitPrice });
  const pct = li.Discount !== null && li.Discount !== undefined ? dec(li.Discount, `${what}.Discount`) : undefined;
  let discount = pct ? percentOf(ext, pct) : 0;
  if (li.TotalPrice !== null && li.TotalPrice !== undefined) {
    // TotalPrice is Salesforce's own rounding of Quantity × UnitPrice × (1 − Discount/100): it is the truth
    // when it differs from ours by a rounding kobo; more than that means the fields disagree.
    const total = koboOf(li.TotalPrice, `${what}.TotalPrice`);
    if (Math.abs(ext - discount - total) > 1) {
      throw new MapError(
        `${what} "${name}": Quantity × UnitPrice less Discount is ${formatKobo(ext - discount)} but TotalPrice is ${formatKobo(total)}`,
      );
    }
    discount = ext - total;
  }
  const sku = li.ProductCode ?? li.Product2?.ProductCode ?? undefined;
  return { name, ...(sku ? { sku } : {}), quantity, unitPrice, discount, tax: defaultTax(options, what) };
}
