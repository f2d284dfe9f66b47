// The figures `verify` checks the invoice columns against (payable, tax, net, IRN, issue date),
// read from the FIRS JSON as it is stored inside the chain record: JSON-escaped bytes. Parsing
// 2–3 KB of JSON per invoice was a third of a full verify; these five values are found by their
// keys instead. Sound because the bytes were hashed (verify checks the hash first) and were
// written by JSON.stringify: in escaped text a key reads \"key\": and a string value can never
// contain that sequence (its quotes are escaped twice). Only a key that occurs exactly once is
// trusted; anything else (a credit note's second irn, an unexpected shape) falls back to parsing.
import { majorNumberToKobo } from '../../shared/domain/money';
import type { FirsInvoice } from '../../shared/domain/firs-invoice';

export interface InvoiceSummary {
  payable_kobo: number | undefined;
  tax_kobo: number | undefined;
  net_kobo: number | undefined;
  irn: unknown;
  issue_date: unknown;
}

const key = (k: string) => Buffer.from(`\\"${k}\\":`);
const PAYABLE = key('payable_amount');
const NET = key('tax_exclusive_amount');
const TAX_TOTAL = Buffer.from('\\"tax_total\\":[');
const FIRST_TAX = Buffer.from('{\\"tax_amount\\":');
const IRN = key('irn');
const DATE = key('issue_date');
const QUOTE = Buffer.from('\\"');

/** Offset just after the only occurrence of `pattern`, or -1 (absent or repeated). */
function onlyAt(buf: Buffer, pattern: Buffer): number {
  const i = buf.indexOf(pattern);
  if (i < 0 || buf.indexOf(pattern, i + pattern.length) >= 0) return -1;
  return i + pattern.length;
}

const PLAIN_AMOUNT = /^(0|[1-9]\d{0,14})(?:\.(\d{1,2}))?$/;

/** A JSON number's text at `at` as kobo (undefined when it is not a plain amount). */
function koboAt(buf: Buffer, at: number): number | undefined {
  if (at < 0) return undefined;
  let end = at;
  while (end < buf.length) {
    const c = buf[end]!;
    if ((c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2d || c === 0x2b || c === 0x65 || c === 0x45) end++;
    else break;
  }
  const text = buf.toString('latin1', at, end);
  const m = PLAIN_AMOUNT.exec(text);
  if (m) return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return majorNumberToKobo(Number(text)); // other JSON number forms: as the parsed check does
}

/** A plain string value at `at` (\"…\" with nothing escaped inside), or undefined. */
function stringAt(buf: Buffer, at: number): string | undefined {
  if (at < 0 || buf.indexOf(QUOTE, at) !== at) return undefined;
  const end = buf.indexOf(QUOTE, at + 2);
  if (end < 0) return undefined;
  const text = buf.toString('latin1', at + 2, end);
  return /^[A-Za-z0-9:-]*$/.test(text) ? text : undefined;
}

/** The figures from the escaped invoice JSON: by key where that is certain, else by parsing it. */
export function invoiceSummaryOf(escapedInvoice: Buffer): InvoiceSummary {
  const taxAt = onlyAt(escapedInvoice, TAX_TOTAL);
  let tax: number | undefined;
  if (taxAt >= 0 && escapedInvoice[taxAt] === 0x5d) tax = 0;
  else if (taxAt >= 0 && escapedInvoice.indexOf(FIRST_TAX, taxAt) === taxAt) tax = koboAt(escapedInvoice, taxAt + FIRST_TAX.length);
  const fast: InvoiceSummary = {
    payable_kobo: koboAt(escapedInvoice, onlyAt(escapedInvoice, PAYABLE)),
    tax_kobo: tax,
    net_kobo: koboAt(escapedInvoice, onlyAt(escapedInvoice, NET)),
    irn: stringAt(escapedInvoice, onlyAt(escapedInvoice, IRN)),
    issue_date: stringAt(escapedInvoice, onlyAt(escapedInvoice, DATE)),
  };
  if (Object.values(fast).every((v) => v !== undefined)) return fast;
  return parsedSummary(JSON.parse(JSON.parse(`"${escapedInvoice.toString('utf8')}"`) as string) as FirsInvoice);
}

/** The same figures from the parsed invoice (the reference the fast path must agree with). */
export function parsedSummary(inv: FirsInvoice): InvoiceSummary {
  return {
    payable_kobo: majorNumberToKobo(inv.legal_monetary_total.payable_amount),
    tax_kobo: majorNumberToKobo(inv.tax_total[0]?.tax_amount ?? 0),
    net_kobo: majorNumberToKobo(inv.legal_monetary_total.tax_exclusive_amount),
    irn: inv.irn,
    issue_date: inv.issue_date,
  };
}
