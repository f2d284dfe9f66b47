// The deal sink's less travelled paths, on a real ledger file: a mapped deal the ledger refuses
// waits in review with the ledger's words (no invoice, no half-saved deal); a paid deal queues the
// platform's PAID update once; an edited deal set back before the manager answers goes back to
// invoiced; the manager's credit-note actions refuse deals they do not apply to and change nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { harness, invoiceCount, type Harness } from '../../capture/connectors/harness';
import { CrmDeals } from '../../../main/ledger/crm-deals';
import { PaymentOutbox } from '../../../main/ledger/payment-outbox';
import { DealActionError, issueDealCreditNote, keepDealInvoice, recordDeals } from '../../../main/capture/crm/deal-sink';
import { mapPipedrive } from '../../../shared/sources/pipedrive/map-pipedrive';
import type { DealInvoice, DealOutcome } from '../../../shared/capture/crm/outcome';
import { ORG, pipedriveDeal } from './pipedrive-deal';

function invoiceOutcome(over: Record<string, unknown> = {}, price = 10000): DealInvoice {
  const o = mapPipedrive([pipedriveDeal(over, price)])[0]!;
  expect(o.kind).toBe('invoice');
  return o as DealInvoice;
}

let h: Harness | undefined;
afterEach(() => h?.close());

function run(h: Harness, outcomes: DealOutcome[], recordUrl?: (id: string) => string | undefined) {
  const deals = new CrmDeals(h.db);
  return h.db
    .transaction(() => recordDeals(h.ledger, h.review, deals, outcomes, { writeback: false, ...(recordUrl ? { recordUrl } : {}) }))
    .immediate();
}

describe('deal sink: refusals and payments', () => {
  it('a mapped deal the ledger refuses waits in review with the ledger’s reason; nothing is issued; fixed, it is invoiced once', () => {
    h = harness();
    const good = invoiceOutcome();
    const bad: DealInvoice = { ...good, sale: { ...good.sale, lines: [] } };
    const [r] = run(h, [bad], (id) => `https://ade.pipedrive.com/deal/${id}`);
    expect(r).toMatchObject({ outcome: 'review', dealId: '42', missing: [] });
    expect(r!.reason).toBe('ledger refused the invoice: lines: a sale needs at least one line');
    expect(invoiceCount(h, 'pipedrive')).toBe(0);
    const deals = new CrmDeals(h.db);
    expect(deals.get('pipedrive', '42')).toMatchObject({
      state: 'review',
      irn: null,
      reviewId: r!.reviewId,
      recordUrl: 'https://ade.pipedrive.com/deal/42',
    });
    expect(h.review.get(r!.reviewId!)).toMatchObject({ status: 'open', vendor: 'pipedrive', vendorId: '42' });

    const [fixed] = run(h, [good]);
    expect(fixed!.outcome).toBe('issued');
    expect(h.review.get(r!.reviewId!)!.status).toBe('resolved');
    // The record URL learnt earlier is kept when this read has none.
    expect(deals.get('pipedrive', '42')).toMatchObject({ state: 'invoiced', recordUrl: 'https://ade.pipedrive.com/deal/42' });
    expect(invoiceCount(h, 'pipedrive')).toBe(1);
  });

  it('a deal the CRM marks paid queues the PAID payment update once, in the same transaction as the invoice', () => {
    h = harness();
    const paid: DealInvoice = { ...invoiceOutcome(), paid: true };
    const [r] = run(h, [paid]);
    const outbox = new PaymentOutbox(h.db);
    expect(outbox.list(r!.irn!)).toEqual([expect.objectContaining({ irn: r!.irn, paymentStatus: 'PAID' })]);
    const deals = new CrmDeals(h.db);
    expect(deals.get('pipedrive', '42')!.paidAt).toEqual(expect.any(Number));
    // Read again (still paid): no second update.
    run(h, [paid]);
    expect(outbox.list(r!.irn!)).toHaveLength(1);
  });

  it('an unpaid read, or a paid deal that never became an invoice, queues nothing', () => {
    h = harness();
    const [r] = run(h, [invoiceOutcome()]);
    const outbox = new PaymentOutbox(h.db);
    expect(outbox.list(r!.irn!)).toEqual([]);
    const bad: DealInvoice = { ...invoiceOutcome({ id: 43 }), paid: true };
    const [refused] = run(h, [{ ...bad, sale: { ...bad.sale, lines: [] } }]);
    expect(refused!.outcome).toBe('review');
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM payment_outbox').get()).toEqual({ n: 0 });
  });

  it('a deal never seen that is not won leaves no memory behind', () => {
    h = harness();
    const [r] = run(h, [{ kind: 'not_won', source: 'pipedrive', dealId: '77', status: 'lost', reason: 'lost' }]);
    expect(r).toMatchObject({ outcome: 'none', reason: 'lost' });
    expect(new CrmDeals(h.db).get('pipedrive', '77')).toBeUndefined();
  });

  it('an amount edited after invoicing and set back before the manager answers is invoiced again without a credit note', () => {
    h = harness();
    const [first] = run(h, [invoiceOutcome()]);
    const [edited] = run(h, [invoiceOutcome({ update_time: '2026-11-21T10:00:00Z' }, 12000)]);
    expect(edited!.outcome).toBe('credit_review');
    const [back] = run(h, [invoiceOutcome({ update_time: '2026-11-22T10:00:00Z' })]);
    expect(back).toMatchObject({ outcome: 'back_to_invoiced', reason: 'the deal is back as invoiced (21500.00 NGN) in the CRM' });
    expect(h.review.get(edited!.reviewId!)).toMatchObject({ status: 'resolved', resolution: back!.reason });
    expect(new CrmDeals(h.db).get('pipedrive', '42')).toMatchObject({ state: 'invoiced', irn: first!.irn, reviewId: null });
    expect(invoiceCount(h, 'pipedrive')).toBe(1);
  });
});

describe('deal sink: the manager’s credit-note actions refuse what they do not apply to', () => {
  it('crediting an unknown deal, a deal in review or one whose invoice is not in this ledger is refused by name, issuing nothing', () => {
    h = harness();
    const deals = new CrmDeals(h.db);
    const now = new Date('2026-11-25T10:00:00Z');
    expect(() => issueDealCreditNote(h!.ledger, h!.review, deals, 'pipedrive', '9', now)).toThrow(
      new DealActionError('pipedrive deal 9 is not known here'),
    );
    const noTin = pipedriveDeal();
    noTin.organization = { data: { ...ORG.data, custom_fields: { tin: '', email: 'ap@ade.ng' } } };
    run(h, mapPipedrive([noTin]));
    expect(() => issueDealCreditNote(h!.ledger, h!.review, deals, 'pipedrive', '42', now)).toThrow(
      'pipedrive deal 42 is review: only an invoiced deal can be credited',
    );
    deals.save('hubspot', '5', { state: 'invoiced', irn: 'INV-GONE-94ND90NR-20261120', generation: 1 });
    expect(() => issueDealCreditNote(h!.ledger, h!.review, deals, 'hubspot', '5', now)).toThrow(
      'hubspot deal 5: its invoice INV-GONE-94ND90NR-20261120 is not in this ledger',
    );
    expect(deals.get('hubspot', '5')).toMatchObject({ state: 'invoiced', creditIrn: null });
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM invoices').get()).toEqual({ n: 0 });
  });

  it('"keep the invoice" applies only to a deal waiting for that decision; an invoiced deal is left as it was', () => {
    h = harness();
    const deals = new CrmDeals(h.db);
    expect(() => keepDealInvoice(h!.review, deals, 'pipedrive', '42')).toThrow(
      new DealActionError('pipedrive deal 42 is not waiting for a credit-note decision'),
    );
    const [r] = run(h, [invoiceOutcome()]);
    const before = deals.get('pipedrive', '42');
    expect(() => keepDealInvoice(h!.review, deals, 'pipedrive', '42')).toThrow(DealActionError);
    expect(deals.get('pipedrive', '42')).toEqual(before);
    // An invoiced deal (no question open) may still be credited directly.
    const credited = issueDealCreditNote(h.ledger, h.review, deals, 'pipedrive', '42', new Date('2026-11-25T10:00:00Z'));
    expect(credited).toMatchObject({ state: 'credited', reason: `credited by ${credited.creditIrn}` });
    expect(h.ledger.findByIrn(credited.creditIrn!)).toMatchObject({
      type: '380',
      original_irn: r!.irn,
      external_id: '42~credit',
    });
    expect(h.ledger.findByIrn(credited.creditIrn!)!.sale.note).toBe(
      `Credit note for ${r!.irn} (pipedrive deal 42): deal changed after invoicing`,
    );
  });
});
