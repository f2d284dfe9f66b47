// Rules a sale must meet beyond its shape, against the terminal's configuration: the currency is
// on the FIRS code list, STANDARD_VAT is charged at the configured standard rate, and a credit
// note credits only lines that were on the original invoice (same item and tax, at most its unit
// price), never more of a line's quantity than remains. Pure: the ledger passes what it knows.
import Big from 'big.js';
import { InvalidInput, type Sale, type SaleLine } from './sale';

export interface SaleRuleContext {
  /** The standard VAT rate in percent, e.g. "7.5". */
  standardVatRate: string;
  /** Currency codes from the FIRS code list (fetched, else the shipped copy). */
  currencies: ReadonlySet<string>;
}

export function checkSaleRules(sale: Sale, ctx: SaleRuleContext): void {
  if (!ctx.currencies.has(sale.currency)) {
    throw new InvalidInput(`currency: ${sale.currency} is not on the FIRS currency code list (${[...ctx.currencies].sort().join(', ')})`);
  }
  const standard = new Big(ctx.standardVatRate);
  const taxed: [string, { category: string; rate: string }][] = [
    ...sale.lines.map((l, i): [string, SaleLine['tax']] => [`lines[${i}].tax.rate`, l.tax]),
    ...(sale.charges ?? []).map((c, i): [string, SaleLine['tax']] => [`charges[${i}].tax.rate`, c.tax]),
  ];
  for (const [path, tax] of taxed) {
    if (tax.category === 'STANDARD_VAT' && !new Big(tax.rate).eq(standard)) {
      throw new InvalidInput(
        `${path}: STANDARD_VAT is charged at the standard rate ${ctx.standardVatRate}%, not ${tax.rate}% (use REDUCED_VAT for other rates)`,
      );
    }
  }
}

/** A credit line for an original line: the same item and tax, at no more than its unit price. */
function credits(original: SaleLine, credit: SaleLine): boolean {
  return (
    original.name === credit.name &&
    original.tax.category === credit.tax.category &&
    new Big(original.tax.rate).eq(credit.tax.rate) &&
    new Big(credit.unit_price).lte(original.unit_price)
  );
}

/** Quantity already credited per original line (credit lines matched by item, tax and price). */
export function refundedQuantities(original: Sale, creditNotes: readonly Sale[]): Big[] {
  const done = original.lines.map(() => new Big(0));
  for (const cn of creditNotes) allocate(original, done, cn.lines);
  return done;
}

/** Spreads each credit line over the original's matching lines; returns what found no room. */
function allocate(original: Sale, done: Big[], lines: readonly SaleLine[]): { index: number; left: Big }[] {
  const unplaced: { index: number; left: Big }[] = [];
  lines.forEach((l, index) => {
    let left = new Big(l.quantity);
    original.lines.forEach((o, k) => {
      if (left.lte(0) || !credits(o, l)) return;
      const room = new Big(o.quantity).minus(done[k]!);
      if (room.lte(0)) return;
      const take = left.lt(room) ? left : room;
      done[k] = done[k]!.plus(take);
      left = left.minus(take);
    });
    if (left.gt(0)) unplaced.push({ index, left });
  });
  return unplaced;
}

/** A credit note's lines against the original and the credit notes already issued for it. */
export function checkCreditLines(credit: Sale, original: Sale, priorCredits: readonly Sale[], originalIrn: string): void {
  const done = refundedQuantities(original, priorCredits);
  const unplaced = allocate(original, done, credit.lines);
  const first = unplaced[0];
  if (!first) return;
  const line = credit.lines[first.index]!;
  const matching = original.lines.filter((o) => credits(o, line));
  if (matching.length === 0) {
    throw new InvalidInput(
      `lines[${first.index}]: "${line.name}" at ${line.unit_price} (${line.tax.category} ${line.tax.rate}%) matches no line of ${originalIrn} (same item and tax, at most its unit price); a credit note credits only what was invoiced`,
    );
  }
  const sold = matching.reduce((a, o) => a.plus(o.quantity), new Big(0));
  const remaining = new Big(line.quantity).minus(first.left);
  throw new InvalidInput(
    `lines[${first.index}].quantity: ${line.quantity} of "${line.name}" exceeds what remains to credit on ${originalIrn} (${remaining.toString()} of ${sold.toString()} sold)`,
  );
}
