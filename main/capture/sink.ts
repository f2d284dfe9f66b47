// The one place a vendor's mapped sale enters the ledger. Sales are issued (the ledger dedupes on
// (source, external_id): the same content again is a duplicate, changed content is refused);
// anything the ledger refuses as input, and every `review` outcome, goes to the review queue with
// its reason. Skips are only reported. Errors that are not about the sale (ledger not set up,
// disk, database) are thrown, so a poller does not advance its watermark past unrecorded sales.
import type { Ledger } from '../ledger/ledger';
import type { ReviewQueue } from '../ledger/review-queue';
import type { MapOutcome } from '../../shared/capture/outcome';
import { InvalidInput } from '../../shared/domain/sale';
import { MoneyError } from '../../shared/domain/money';

export type IngestResult =
  | {
      kind: 'issued';
      vendor: string;
      vendorId: string;
      version?: string;
      irn: string;
      invoiceNumber: string;
      type: string;
      duplicate: boolean;
      payableKobo: number;
    }
  | { kind: 'skipped'; vendor: string; vendorId: string; version?: string; reason: string }
  | { kind: 'review'; vendor: string; vendorId: string; version?: string; reason: string; reviewId: number; duplicate: boolean };

export function ingestOutcomes(ledger: Ledger, reviewQueue: ReviewQueue, outcomes: readonly MapOutcome[]): IngestResult[] {
  return outcomes.map((o): IngestResult => {
    const ver = o.version !== undefined ? { version: o.version } : {};
    if (o.kind === 'skip') {
      // Deleted/voided in the POS after it was invoiced: the invoice stands until a credit note cancels it.
      const issued = o.withdrawn ? ledger.findBySourceId(o.vendor, o.vendorId) : undefined;
      if (!issued) return { kind: 'skipped', vendor: o.vendor, vendorId: o.vendorId, ...ver, reason: o.reason };
      const reason = `${o.reason} after it was invoiced as ${issued.invoice_number} (IRN ${issued.irn}): issue a credit note if the sale did not happen`;
      const r = reviewQueue.add({
        vendor: o.vendor,
        vendorId: o.vendorId,
        ...ver,
        reason,
        payload: { withdrawn: o.reason, irn: issued.irn },
      });
      return { kind: 'review', vendor: o.vendor, vendorId: o.vendorId, ...ver, reason, reviewId: r.id, duplicate: r.duplicate };
    }
    if (o.kind === 'review') {
      const r = reviewQueue.add({ vendor: o.vendor, vendorId: o.vendorId, ...ver, reason: o.reason, payload: o.payload });
      return { kind: 'review', vendor: o.vendor, vendorId: o.vendorId, ...ver, reason: o.reason, reviewId: r.id, duplicate: r.duplicate };
    }
    try {
      const { duplicate, invoice } = ledger.issue(o.sale);
      return {
        kind: 'issued',
        vendor: o.vendor,
        vendorId: o.vendorId,
        ...ver,
        irn: invoice.irn,
        invoiceNumber: invoice.invoice_number,
        type: invoice.type,
        duplicate,
        payableKobo: invoice.payable_kobo,
      };
    } catch (e) {
      // A sale the ledger refuses (changed after invoicing, refund of an unknown sale, credit larger
      // than what remains…) is data for a person, not a crash: keep it with the ledger's reason.
      if (!(e instanceof InvalidInput || e instanceof MoneyError)) throw e;
      const reason = `ledger refused the sale: ${e.message}`;
      const r = reviewQueue.add({ vendor: o.vendor, vendorId: o.vendorId, ...ver, reason, payload: o.payload ?? o.sale });
      return { kind: 'review', vendor: o.vendor, vendorId: o.vendorId, ...ver, reason, reviewId: r.id, duplicate: r.duplicate };
    }
  });
}
