// What a freshly read deal means, given what was already done for it: a deal becomes ONE invoice
// however often it is polled or delivered; after invoicing, a changed amount or a deal reopened,
// lost or deleted is a question for the manager (issue a credit note?), never a second invoice.
import { formatKobo } from '../../domain/money';
import type { DealOutcome } from './outcome';

export const DEAL_STATES = ['review', 'invoiced', 'credit_review', 'credited', 'withdrawn'] as const;
export type DealState = (typeof DEAL_STATES)[number];

/** What the app remembers about a deal (main/ledger/crm-deals.ts). */
export interface DealMemory {
  state: DealState;
  /** 1 for the first invoice; +1 each time a credited deal is won again. */
  generation: number;
  irn: string | null;
  invoicedAmountKobo: number | null;
  currency: string | null;
  /** A change the manager chose to keep without a credit note ("amount:<kobo>" / "status:<s>"). */
  ack: string | null;
}

export type DealAction =
  | { kind: 'issue'; externalId: string; generation: number }
  | { kind: 'review'; reason: string; missing: string[] }
  | { kind: 'credit_review'; reason: string; trigger: string }
  | { kind: 'back_to_invoiced'; reason: string }
  | { kind: 'withdraw'; reason: string }
  | { kind: 'none'; reason: string };

/** The ledger external id of a deal's n-th invoice ("512", then "512#2" after a credit note). */
export const dealExternalId = (dealId: string, generation: number): string => (generation > 1 ? `${dealId}#${generation}` : dealId);

export function decide(memory: DealMemory | undefined, o: DealOutcome): DealAction {
  const state = memory?.state;
  const invoiced = state === 'invoiced' || state === 'credit_review';
  if (invoiced && memory) {
    const was = `${formatKobo(memory.invoicedAmountKobo ?? 0)} ${memory.currency ?? ''}`.trim();
    let trigger: string | undefined;
    let reason = '';
    if (o.kind === 'not_won') {
      trigger = `status:${o.status}`;
      reason = `the deal was ${o.status === 'open' ? 'reopened' : o.status} in the CRM after it was invoiced as ${memory.irn} (${was}): issue a credit note?`;
    } else if (
      o.amountKobo !== undefined &&
      (o.amountKobo !== memory.invoicedAmountKobo || (o.currency !== undefined && o.currency !== memory.currency))
    ) {
      trigger = `amount:${o.amountKobo}:${o.currency ?? ''}`;
      reason = `the deal amount changed from ${was} to ${formatKobo(o.amountKobo)} ${o.currency ?? ''} after it was invoiced as ${memory.irn}: issue a credit note (and invoice the deal again)?`;
    }
    if (trigger === undefined || trigger === memory.ack) {
      return state === 'credit_review' && trigger === undefined
        ? { kind: 'back_to_invoiced', reason: `the deal is back as invoiced (${was}) in the CRM` }
        : { kind: 'none', reason: `already invoiced as ${memory.irn}` };
    }
    return { kind: 'credit_review', reason, trigger };
  }
  const generation = state === 'credited' ? memory!.generation + 1 : (memory?.generation ?? 1);
  if (o.kind === 'invoice') return { kind: 'issue', externalId: dealExternalId(o.dealId, generation), generation };
  if (o.kind === 'review') return { kind: 'review', reason: o.reason, missing: o.missing };
  if (state === 'review') return { kind: 'withdraw', reason: `no longer won: ${o.reason}` };
  return { kind: 'none', reason: o.reason };
}
