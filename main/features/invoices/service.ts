// One invoice in full for the manager: its list row, chain links, FIRS and sale JSON, report
// attempts, and what of it can still be refunded (lines and money left after its credit notes).
import Big from 'big.js';
import type { InvoiceDetail } from '../../../shared/ipc/contract';
import { INVOICE_TYPE } from '../../../shared/domain/firs-invoice';
import type { Data } from '../../ledger/data';
import type { IssuedInvoice } from '../../ledger/ledger';
import { refundedQuantities } from '../sales/refund';
import { creditNotesOf } from '../sales/refund-service';
import { parseDetails } from '../common';

export function invoiceDetail(data: Data, inv: IssuedInvoice): InvoiceDetail {
  const summary = data.dayView.summary(inv.counter)!;
  const credits = inv.type === INVOICE_TYPE.invoice ? creditNotesOf(data, inv.irn) : [];
  const refunded = refundedQuantities(
    inv.sale,
    credits.map((c) => c.sale),
  );
  const lastError = data.outbox.job(inv.counter, 'report')?.last_error ?? null;
  return {
    ...summary,
    qr: inv.qr,
    hash: inv.hash,
    prev_hash: inv.prev_hash,
    firs: inv.invoice as unknown as Record<string, unknown>,
    sale: inv.sale as unknown as Record<string, unknown>,
    attempts: data.reportJobs.attempts(inv.irn).map((a) => ({
      at: a.finished_at ?? a.started_at,
      outcome: a.outcome,
      http_status: a.http_status,
      message: a.message,
      details: parseDetails(a.details),
    })),
    last_error: lastError,
    credit_notes: credits.map(({ irn, invoice_number, payable_kobo }) => ({ irn, invoice_number, payable_kobo })),
    refundable:
      inv.type === INVOICE_TYPE.invoice
        ? inv.sale.lines.map((l, index) => ({
            index,
            name: l.name,
            quantity: l.quantity,
            refunded: refunded[index]!.toString(),
            remaining: new Big(l.quantity).minus(refunded[index]!).toString(),
            unit_price: l.unit_price,
          }))
        : [],
    remaining_kobo: inv.type === INVOICE_TYPE.invoice ? inv.payable_kobo - credits.reduce((a, c) => a + c.payable_kobo, 0) : 0,
  };
}
