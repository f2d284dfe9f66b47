// A deal becomes one invoice however often it is read; edits and reopenings after invoicing ask
// for a credit note, which the app issues against the original. Real ledger file, real mapper.
import { afterEach, describe, expect, it } from 'vitest';
import { harness, type Harness } from '../../capture/connectors/harness';
import { CrmDeals } from '../../../main/ledger/crm-deals';
import { issueDealCreditNote, keepDealInvoice, recordDeals } from '../../../main/capture/crm/deal-sink';
import { mapPipedrive } from '../../../shared/sources/pipedrive/map-pipedrive';
import { decide } from '../../../shared/capture/crm/decide';
import type { DealOutcome } from '../../../shared/capture/crm/outcome';
import { ORG, pipedriveDeal } from './pipedrive-deal';

let h: Harness | undefined;
afterEach(() => h?.close());

function run(h: Harness, outcomes: DealOutcome[]) {
  const deals = new CrmDeals(h.db);
  return h.db.transaction(() => recordDeals(h.ledger, h.review, deals, outcomes, { writeback: true })).immediate();
}

describe('CRM deal sink', () => {
  it('one invoice (381, B2B, PENDING) however often the deal is read; amount change → credit note question → credit note 380 → re-invoice', () => {
    h = harness();
    const first = run(h, mapPipedrive(pipedriveDeal()));
    expect(first[0]).toMatchObject({ outcome: 'issued', dealId: '42' });
    const irn = first[0]!.irn!;
    for (let i = 0; i < 3; i++)
      expect(run(h, mapPipedrive(pipedriveDeal({ update_time: `2026-11-2${i}T11:00:00Z` })))[0]).toMatchObject({
        outcome: 'none',
        reason: `already invoiced as ${irn}`,
      });
    const inv = h.ledger.findByIrn(irn)!;
    expect(inv).toMatchObject({ type: '381', b2b: true, payable_kobo: 2150000 });
    expect(inv.invoice).toMatchObject({ invoice_type_code: '381', invoice_kind: 'B2B', payment_status: 'PENDING' });
    expect(h.db.prepare("SELECT COUNT(*) AS n FROM invoices WHERE source = 'pipedrive'").get()).toEqual({ n: 1 });

    const edited = run(h, mapPipedrive(pipedriveDeal({ update_time: '2026-11-25T09:00:00Z' }, 12000)));
    expect(edited[0]).toMatchObject({ outcome: 'credit_review' });
    expect(edited[0]!.reason).toMatch(
      new RegExp(`amount changed from 21500.00 NGN to 25800.00 NGN after it was invoiced as ${irn}: issue a credit note`),
    );
    const deals = new CrmDeals(h.db);
    expect(h.review.get(edited[0]!.reviewId!)).toMatchObject({ status: 'open', vendor: 'pipedrive', vendorId: '42' });
    // Asked again on the next poll, still one invoice and one open question.
    expect(run(h, mapPipedrive(pipedriveDeal({ update_time: '2026-11-25T09:00:00Z' }, 12000)))[0]!.outcome).toBe('credit_review');
    expect(h.review.list({ vendor: 'pipedrive' })).toHaveLength(1);

    const credited = issueDealCreditNote(h.ledger, h.review, deals, 'pipedrive', '42', new Date());
    const note = h.ledger.findByIrn(credited.creditIrn!)!;
    expect(note).toMatchObject({ type: '380', original_irn: irn, payable_kobo: 2150000 });
    expect(note.invoice.billing_reference).toEqual([{ irn, issue_date: inv.issue_date }]);
    expect(h.review.get(edited[0]!.reviewId!)!.status).toBe('resolved');
    // The deal as it now stands is invoiced again, once.
    const again = run(h, mapPipedrive(pipedriveDeal({ update_time: '2026-11-25T09:00:00Z' }, 12000)));
    expect(again[0]).toMatchObject({ outcome: 'issued' });
    expect(h.ledger.findByIrn(again[0]!.irn!)).toMatchObject({ external_id: '42#2', payable_kobo: 2580000 });
    expect(run(h, mapPipedrive(pipedriveDeal({}, 12000)))[0]!.outcome).toBe('none');
    expect(h.ledger.verify().ok).toBe(true);
  });

  it('a reopened or lost deal after invoicing asks for a credit note; "keep" is not asked again', () => {
    h = harness();
    run(h, mapPipedrive(pipedriveDeal()));
    const reopened = run(h, mapPipedrive(pipedriveDeal({ status: 'open' })));
    expect(reopened[0]!.reason).toMatch(/reopened in the CRM after it was invoiced/);
    const deals = new CrmDeals(h.db);
    keepDealInvoice(h.review, deals, 'pipedrive', '42');
    expect(run(h, mapPipedrive(pipedriveDeal({ status: 'open' })))[0]!.outcome).toBe('none');
    expect(run(h, mapPipedrive(pipedriveDeal({ status: 'lost' })))[0]!.reason).toMatch(/lost in the CRM after it was invoiced/);
  });

  it('a deal without a TIN waits in review with what is missing, and is invoiced when the CRM record is fixed', () => {
    h = harness();
    const bare = pipedriveDeal();
    bare.organization = { data: { ...ORG.data, custom_fields: { tin: '', email: 'ap@ade.ng' } } };
    const r = run(h, mapPipedrive(bare));
    expect(r[0]).toMatchObject({ outcome: 'review', missing: ['tin'] });
    expect(new CrmDeals(h.db).get('pipedrive', '42')).toMatchObject({ state: 'review', missing: ['tin'] });
    const fixed = run(h, mapPipedrive(pipedriveDeal()));
    expect(fixed[0]!.outcome).toBe('issued');
    expect(h.review.get(r[0]!.reviewId!)).toMatchObject({ status: 'resolved' });
    expect(new CrmDeals(h.db).get('pipedrive', '42')).toMatchObject({ state: 'invoiced', missing: [], writeback: 'pending' });
  });

  it('decide: a review or not-won deal never issues; a withdrawn review leaves the waiting list', () => {
    const nw: DealOutcome = { kind: 'not_won', source: 'hubspot', dealId: '1', status: 'open', reason: 'open' };
    expect(decide(undefined, nw).kind).toBe('none');
    expect(decide({ state: 'review', generation: 1, irn: null, invoicedAmountKobo: null, currency: null, ack: null }, nw).kind).toBe(
      'withdraw',
    );
  });
});
