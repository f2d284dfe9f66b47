// The one place mapped CRM deals enter the ledger. Per deal, `decide` (shared/capture/crm/decide.ts)
// says what the outcome means given what was already done: issue (once), wait in review with the
// reason, or ask the manager about a credit note. Runs inside the caller's transaction, so the
// poller's watermark and the deals it covers commit together. Credit notes are issued here too,
// when the manager says so, referencing the original invoice.
import type { Ledger } from '../../ledger/ledger';
import type { ReviewQueue } from '../../ledger/review-queue';
import type { CrmDeal, CrmDeals } from '../../ledger/crm-deals';
import { PaymentOutbox } from '../../ledger/payment-outbox';
import { decide } from '../../../shared/capture/crm/decide';
import type { CrmSource, DealOutcome } from '../../../shared/capture/crm/outcome';
import { InvalidInput, type Sale } from '../../../shared/domain/sale';
import { MoneyError } from '../../../shared/domain/money';

export interface DealResult {
  source: CrmSource;
  dealId: string;
  version?: string;
  outcome: 'issued' | 'duplicate' | 'review' | 'credit_review' | 'back_to_invoiced' | 'withdrawn' | 'none';
  reason?: string;
  missing?: string[];
  reviewId?: number;
  irn?: string;
  invoiceNumber?: string;
}

export interface SinkOptions {
  /** Write the IRN back to the CRM after issuing (the writer runs after the commit). */
  writeback: boolean;
  /** Link to the deal in the CRM, for the Deals screen. */
  recordUrl?: (dealId: string) => string | undefined;
}

function resolveReview(reviews: ReviewQueue, id: number | null, note: string): void {
  if (id === null) return;
  const item = reviews.get(id);
  if (item && item.status === 'open') reviews.resolve(id, note);
}

export function recordDeals(
  ledger: Ledger,
  reviews: ReviewQueue,
  deals: CrmDeals,
  outcomes: readonly DealOutcome[],
  o: SinkOptions,
): DealResult[] {
  const payments = new PaymentOutbox(ledger.db);
  return outcomes.map((out) => {
    const result = recordDeal(ledger, reviews, deals, out, o);
    notePaid(deals, payments, out);
    return result;
  });
}

/**
 * The CRM says an invoiced deal is paid: queue the platform's payment-status update (PAID) once,
 * in the same transaction. The sync sends it when the invoice is reported (main/sync/sync-service.ts).
 */
function notePaid(deals: CrmDeals, payments: PaymentOutbox, out: DealOutcome): void {
  if (out.kind !== 'invoice' || !out.paid) return;
  const d = deals.get(out.source, out.dealId);
  if (!d?.irn || d.paidAt !== null || (d.state !== 'invoiced' && d.state !== 'credit_review')) return;
  payments.enqueue(d.irn, 'PAID', `${out.source}:${out.dealId}`);
  deals.save(out.source, out.dealId, { state: d.state, paidAt: Date.now() });
}

function recordDeal(ledger: Ledger, reviews: ReviewQueue, deals: CrmDeals, out: DealOutcome, o: SinkOptions): DealResult {
  const memory = deals.get(out.source, out.dealId);
  const action = decide(memory, out);
  const base = { source: out.source, dealId: out.dealId, ...(out.version ? { version: out.version } : {}) };
  const seen = {
    ...(out.title !== undefined ? { title: out.title } : {}),
    ...(out.amountKobo !== undefined ? { amountKobo: out.amountKobo } : {}),
    ...(out.currency !== undefined ? { currency: out.currency } : {}),
    ...(out.version !== undefined ? { version: out.version } : {}),
    recordUrl: o.recordUrl?.(out.dealId) ?? memory?.recordUrl ?? null,
  };
  const toReview = (
    reason: string,
    missing: string[],
    state: 'review' | 'credit_review',
    extra: Record<string, unknown> = {},
  ): DealResult => {
    const r = reviews.add({
      vendor: out.source,
      vendorId: out.dealId,
      ...(out.version ? { version: out.version } : {}),
      reason,
      payload: 'payload' in out ? out.payload : out,
    });
    deals.save(out.source, out.dealId, { state, ...seen, reason, missing, reviewId: r.id, ...extra });
    return { ...base, outcome: state, reason, missing, reviewId: r.id };
  };
  switch (action.kind) {
    case 'issue': {
      if (out.kind !== 'invoice') throw new Error('decide: issue without an invoice outcome');
      const sale: Sale = { ...out.sale, external_id: action.externalId };
      try {
        const { invoice, duplicate } = ledger.issue(sale);
        resolveReview(reviews, memory?.reviewId ?? null, `invoiced as ${invoice.irn} after the CRM record was fixed`);
        deals.save(out.source, out.dealId, {
          state: 'invoiced',
          ...seen,
          generation: action.generation,
          externalId: action.externalId,
          irn: invoice.irn,
          invoicedAmountKobo: out.amountKobo,
          currency: out.currency,
          reason: null,
          missing: [],
          reviewId: null,
          ack: null,
          trigger: null,
          creditIrn: null,
          writeback: o.writeback ? 'pending' : null,
          writebackError: null,
          writebackState: null,
          paidAt: null,
        });
        return { ...base, outcome: duplicate ? 'duplicate' : 'issued', irn: invoice.irn, invoiceNumber: invoice.invoice_number };
      } catch (e) {
        if (!(e instanceof InvalidInput || e instanceof MoneyError)) throw e;
        return toReview(`ledger refused the invoice: ${e.message}`, [], 'review');
      }
    }
    case 'review':
      return toReview(action.reason, action.missing, 'review');
    case 'credit_review':
      return toReview(action.reason, [], 'credit_review', { trigger: action.trigger });
    case 'back_to_invoiced':
      resolveReview(reviews, memory?.reviewId ?? null, action.reason);
      deals.save(out.source, out.dealId, { state: 'invoiced', ...seen, reason: null, reviewId: null });
      return { ...base, outcome: 'back_to_invoiced', reason: action.reason };
    case 'withdraw':
      resolveReview(reviews, memory?.reviewId ?? null, action.reason);
      deals.save(out.source, out.dealId, { state: 'withdrawn', ...seen, reason: action.reason, missing: [], reviewId: null });
      return { ...base, outcome: 'withdrawn', reason: action.reason };
    case 'none':
      if (memory) deals.save(out.source, out.dealId, { state: memory.state, ...seen });
      return { ...base, outcome: 'none', reason: action.reason };
  }
}

export class DealActionError extends Error {}

/**
 * The manager's answer "yes, credit it": a credit note (type 380) for the whole original invoice,
 * referencing it; the deal is then free to be invoiced again (next generation) if it is won.
 */
export function issueDealCreditNote(
  ledger: Ledger,
  reviews: ReviewQueue,
  deals: CrmDeals,
  source: CrmSource,
  dealId: string,
  now: Date,
): CrmDeal {
  return ledger.db
    .transaction(() => {
      const d = deals.get(source, dealId);
      if (!d) throw new DealActionError(`${source} deal ${dealId} is not known here`);
      if (d.state !== 'credit_review' && d.state !== 'invoiced')
        throw new DealActionError(`${source} deal ${dealId} is ${d.state}: only an invoiced deal can be credited`);
      const original = d.irn ? ledger.findByIrn(d.irn) : undefined;
      if (!original) throw new DealActionError(`${source} deal ${dealId}: its invoice ${d.irn ?? '?'} is not in this ledger`);
      const credit: Sale = {
        ...original.sale,
        external_id: `${original.external_id}~credit`,
        occurred_at: now.toISOString(),
        refund_of: original.irn,
        note: `Credit note for ${original.irn} (${source} deal ${dealId}): ${d.reason ?? 'deal changed after invoicing'}`.slice(0, 500),
      };
      const { invoice } = ledger.issue(credit);
      resolveReview(reviews, d.reviewId, `credit note ${invoice.irn} issued against ${original.irn}`);
      return deals.save(source, dealId, {
        state: 'credited',
        creditIrn: invoice.irn,
        reason: `credited by ${invoice.irn}`,
        reviewId: null,
        ack: null,
      });
    })
    .immediate();
}

/** The manager's answer "no credit note": keep the invoice; the same change is not asked about again. */
export function keepDealInvoice(reviews: ReviewQueue, deals: CrmDeals, source: CrmSource, dealId: string): CrmDeal {
  return deals.db
    .transaction(() => {
      const d = deals.get(source, dealId);
      if (!d || d.state !== 'credit_review')
        throw new DealActionError(`${source} deal ${dealId} is not waiting for a credit-note decision`);
      resolveReview(reviews, d.reviewId, `kept ${d.irn ?? ''} without a credit note`);
      return deals.save(source, dealId, { state: 'invoiced', ack: d.trigger, trigger: null, reason: null, reviewId: null });
    })
    .immediate();
}
