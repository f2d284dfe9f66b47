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

// Searched in a latin1 view of the bytes (one byte a character: ASCII patterns and offsets are
// the UTF-8 ones). One pass of one pattern finds every occurrence of the five keys: searching for
// each key and again for a second occurrence was ten scans of the text (a sixth of a full verify).
const KEYS = /\\"(payable_amount|tax_exclusive_amount|tax_total|irn|issue_date)\\":/g;
type Key = 'payable_amount' | 'tax_exclusive_amount' | 'tax_total' | 'irn' | 'issue_date';
const FIRST_TAX = '{\\"tax_amount\\":';
const QUOTE = '\\"';

/** For each key, the offset just after its only occurrence, or -1 (absent or repeated). */
function keyOffsets(text: string): Record<Key, number> {
  const at: Record<Key, number> = { payable_amount: -1, tax_exclusive_amount: -1, tax_total: -1, irn: -1, issue_date: -1 };
  const seen: Record<Key, boolean> = {
    payable_amount: false,
    tax_exclusive_amount: false,
    tax_total: false,
    irn: false,
    issue_date: false,
  };
  KEYS.lastIndex = 0;
  for (let m = KEYS.exec(text); m; m = KEYS.exec(text)) {
    const k = m[1] as Key;
    at[k] = seen[k] ? -1 : KEYS.lastIndex; // a second occurrence (or a third) leaves it untrusted
    seen[k] = true;
  }
  return at;
}

const AMOUNT_AT = /(0|[1-9]\d{0,14})(?:\.(\d)(\d)?)?(?![\d.eE+-])/y;
const NUMBER_AT = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** A JSON number's text at `at` as kobo (undefined when it is not an exact amount). */
function koboAt(text: string, at: number): number | undefined {
  if (at < 0) return undefined;
  AMOUNT_AT.lastIndex = at;
  const m = AMOUNT_AT.exec(text);
  if (m) {
    const kobo = Number(m[1]) * 100 + (m[2] === undefined ? 0 : Number(m[2]) * 10) + (m[3] === undefined ? 0 : Number(m[3]));
    return Number.isSafeInteger(kobo) ? kobo : undefined; // as majorNumberToKobo: no amount beyond exact integers
  }
  NUMBER_AT.lastIndex = at;
  const n = NUMBER_AT.exec(text);
  return n ? majorNumberToKobo(Number(n[0])) : undefined; // other JSON number forms: as the parsed check does
}

/** A plain string value at `at` (\"…\" with nothing escaped inside), or undefined. */
function stringAt(text: string, at: number): string | undefined {
  if (at < 0 || !text.startsWith(QUOTE, at)) return undefined;
  const end = text.indexOf(QUOTE, at + 2);
  if (end < 0) return undefined;
  const value = text.slice(at + 2, end);
  return /^[A-Za-z0-9:-]*$/.test(value) ? value : undefined;
}

/**
 * The figures from the escaped invoice JSON: by key where that is certain, else by parsing it.
 * `text` is its latin1 view when the caller has it already (verify: a slice of the whole pair's).
 */
export function invoiceSummaryOf(escapedInvoice: Buffer, text = escapedInvoice.toString('latin1')): InvoiceSummary {
  const at = keyOffsets(text);
  // tax_total's value must be an array: empty (no tax), or its first entry's tax_amount.
  const taxAt = at.tax_total >= 0 && text.startsWith('[', at.tax_total) ? at.tax_total + 1 : -1;
  let tax: number | undefined;
  if (taxAt >= 0 && text.startsWith(']', taxAt)) tax = 0;
  else if (taxAt >= 0 && text.startsWith(FIRST_TAX, taxAt)) tax = koboAt(text, taxAt + FIRST_TAX.length);
  const fast: InvoiceSummary = {
    payable_kobo: koboAt(text, at.payable_amount),
    tax_kobo: tax,
    net_kobo: koboAt(text, at.tax_exclusive_amount),
    irn: stringAt(text, at.irn),
    issue_date: stringAt(text, at.issue_date),
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
