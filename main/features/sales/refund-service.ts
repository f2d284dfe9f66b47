// Refund eligibility and issue: only an original invoice (type 381) can be refunded; a refund id
// already used returns the credit note it issued (a retried request issues nothing new); what
// remains refundable per line is what the earlier credit notes left (./refund.ts).
import { InvalidInput, type Sale } from '../../../shared/domain/sale';
import { INVOICE_TYPE } from '../../../shared/domain/firs-invoice';
import type { ParsedRequest } from '../../../shared/ipc/contract';
import type { Data } from '../../ledger/data';
import type { IssuedInvoice, IssueResult } from '../../ledger/ledger';
import { lagosIso } from '../../app/demo-store';
import { buildRefundSale } from './refund';
import { computeTotals } from '../../../shared/domain/totals';

/** The credit notes issued against an invoice, with their canonical sales. */
export function creditNotesOf(data: Data, irn: string): { irn: string; invoice_number: string; payable_kobo: number; sale: Sale }[] {
  // The ledger stored each sale after parseSale: its canonical JSON is a Sale.
  return data.invoices.creditNotesOf(irn).map((c) => ({ ...c, sale: c.sale as Sale }));
}

export function refund(
  data: Data,
  original: IssuedInvoice,
  req: ParsedRequest<'invoices.refund'>,
  /** authorize: throws when the caller may not issue a credit of this many kobo (access policy). */
  /** cashier: who issues the credit note (recorded on it), when the shop has cashiers. */
  opts: { demo: boolean; now: Date; cashier?: string; authorize?: (creditKobo: number) => void },
): IssueResult {
  if (original.type !== INVOICE_TYPE.invoice) throw new InvalidInput(`irn: ${req.irn} is a credit note; refund the original invoice`);
  const source = original.source === 'demo' || opts.demo ? 'demo' : 'manual';
  const existing = data.ledger.findBySourceId(source, `refund-${req.refundId}`);
  if (existing) return { duplicate: true, invoice: existing };
  const sale = buildRefundSale({
    original: original.sale,
    originalIrn: original.irn,
    creditNotes: creditNotesOf(data, original.irn).map((c) => c.sale),
    picks: req.lines,
    refundId: req.refundId,
    source,
    occurredAt: lagosIso(opts.now),
    method: req.method,
    reason: req.reason,
  });
  opts.authorize?.(computeTotals(sale).taxInclusive);
  return data.ledger.issue(opts.cashier === undefined ? sale : { ...sale, cashier: opts.cashier });
}
