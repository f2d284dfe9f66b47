// "Test this template": a pasted text or captured bytes → the receipts in it, each with every line
// classified (what matched, what did not), the fields read and what would happen (a sale with its
// totals, not a sale, or the reasons it does not reconcile). Used by the manager UI and the CLI.
import { createHash } from 'node:crypto';
import { stripToText } from '../../../shared/sources/register-link/escpos';
import { ReceiptSplitter } from '../../../shared/sources/register-link/splitter';
import { applyTemplate, type ParsedReceipt, type Template } from '../../../shared/sources/register-link/template';
import { reconcile, type Reconciled } from '../../../shared/sources/register-link/reconcile';
import { LINK_SOURCE } from '../../../shared/sources/register-link/sale-line';
import { computeTotals } from '../../../shared/domain/totals';
import { decode } from './decode';

export interface TemplateTestReceipt {
  text: string;
  parsed: ParsedReceipt;
  result: Reconciled;
  /** For a sale: what the invoice would say, in kobo. */
  totals?: { payable: number; tax: number; net: number; change: number };
}

export interface TemplateTestResult extends TemplateTestReceipt {
  /** Every receipt found in the input (a capture may hold several); the fields above are the first's. */
  receipts: TemplateTestReceipt[];
}

const MAX_RECEIPTS = 20;

export function testTemplate(input: { raw?: Uint8Array; text?: string }, t: Template, receivedAt: Date): TemplateTestResult {
  let texts: string[];
  if (input.text !== undefined) texts = [input.text.replace(/\r\n?/g, '\n')];
  else {
    const s = new ReceiptSplitter();
    const raw = input.raw ?? new Uint8Array(0);
    const pieces = [...s.feed(raw), ...s.boundary('end-of-job')].filter((p) => p.prints);
    texts = pieces
      .slice(0, MAX_RECEIPTS)
      .map((p) => stripToText(p.bytes, decode, { ...(t.encoding ? { encoding: t.encoding } : {}), codepage: p.codepage }));
    if (!texts.length) texts = [''];
  }
  const receipts = texts.map((text): TemplateTestReceipt => {
    const parsed = applyTemplate(text, t);
    const fallbackId = `test-${createHash('sha256').update(text).digest('hex').slice(0, 20)}`;
    const result = reconcile(parsed, t, { receivedAt, fallbackId, source: LINK_SOURCE });
    if (result.kind !== 'sale') return { text, parsed, result };
    const tt = computeTotals(result.sale);
    return { text, parsed, result, totals: { payable: tt.taxInclusive, tax: tt.taxTotal, net: tt.taxExclusive, change: tt.change } };
  });
  return { ...receipts[0]!, receipts };
}
