// The sink on a real ledger file: mapped sales are issued once, changed content and refunds of
// unknown sales go to the review queue (with the raw payload), skips are only reported.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase } from '../../../main/ledger/database';
import { Ledger, NotSetUp } from '../../../main/ledger/ledger';
import { ReviewQueue, ReviewNotFound } from '../../../main/ledger/review-queue';
import { ingestOutcomes } from '../../../main/capture/sink';
import { mapSquare } from '../../../shared/capture/square/map-square';
import type { MapOutcome } from '../../../shared/capture/outcome';
import { BUSINESS, keyPair, tempDir } from '../../support/fixture';
import { load } from './support';

function fresh(setUp = true) {
  const db = openDatabase(join(tempDir('tpos-sink-'), 'ledger.sqlite'));
  const ledger = new Ledger(db);
  if (setUp) ledger.configure(BUSINESS, keyPair().keysFileJson);
  let now = 1_790_000_000_000;
  return { db, ledger, reviews: new ReviewQueue(db, () => (now += 1000)) };
}

describe('ingestOutcomes', () => {
  it('issues a mapped sale once; the same outcome again is a duplicate', () => {
    const { ledger, reviews } = fresh();
    const outcomes = mapSquare(load('square/order-mixed.json'));
    const [first] = ingestOutcomes(ledger, reviews, outcomes);
    expect(first).toMatchObject({ kind: 'issued', vendor: 'square', version: '4', type: '381', duplicate: false, payableKobo: 738030 });
    const [again] = ingestOutcomes(ledger, reviews, outcomes);
    expect(again).toMatchObject({ kind: 'issued', duplicate: true, irn: (first as { irn: string }).irn });
    expect(ledger.count()).toBe(1);
  });

  it('a new version of an invoiced order that changes its content goes to review, not a second invoice', () => {
    const { ledger, reviews } = fresh();
    ingestOutcomes(ledger, reviews, mapSquare(load('square/order-mixed.json')));
    const changed = load('square/order-mixed.json').order;
    changed.version = 5;
    changed.line_items[1].name = 'Bottled water 50cl';
    const [r] = ingestOutcomes(ledger, reviews, mapSquare(changed));
    expect(r).toMatchObject({
      kind: 'review',
      vendorId: changed.id,
      version: '5',
      reason: expect.stringMatching(/already issued as .* with different content/),
    });
    expect(ledger.count()).toBe(1);
    const item = reviews.get((r as { reviewId: number }).reviewId)!;
    expect(item).toMatchObject({ vendor: 'square', vendorId: changed.id, version: '5', status: 'open' });
    expect(item.payload).toEqual(changed); // the vendor's own payload, for a person to look at
  });

  it('a refund whose original is not in the ledger is reviewed; once the original is in, the refund issues as a credit note', () => {
    const { ledger, reviews } = fresh();
    const refund = mapSquare(load('square/order-return.json'));
    const [r] = ingestOutcomes(ledger, reviews, refund);
    expect(r).toMatchObject({ kind: 'review', reason: expect.stringMatching(/refund_of: no issued invoice/) });
    const [sale] = ingestOutcomes(ledger, reviews, mapSquare(load('square/order-mixed.json')));
    const [credit] = ingestOutcomes(ledger, reviews, refund);
    expect(credit).toMatchObject({ kind: 'issued', type: '380', payableKobo: 186524 });
    expect(ledger.findByIrn((credit as { irn: string }).irn)!.original_irn).toBe((sale as { irn: string }).irn);
  });

  it('review outcomes are queued once per payload (repeats counted), skips only reported; resolve closes an item', () => {
    const { ledger, reviews } = fresh();
    const review: MapOutcome = { kind: 'review', vendor: 'toast', vendorId: 'g-1', reason: 'order.checks: bad', payload: { guid: 'g-1' } };
    const skip: MapOutcome = { kind: 'skip', vendor: 'toast', vendorId: 'g-2', reason: 'order is voided' };
    const [a, b] = ingestOutcomes(ledger, reviews, [review, skip]);
    expect(a).toMatchObject({ kind: 'review', duplicate: false });
    expect(b).toEqual({ kind: 'skipped', vendor: 'toast', vendorId: 'g-2', reason: 'order is voided' });
    expect(ingestOutcomes(ledger, reviews, [review])[0]).toMatchObject({ kind: 'review', duplicate: true });
    const [item] = reviews.list();
    expect(item).toMatchObject({ vendor: 'toast', vendorId: 'g-1', seenCount: 2, reason: 'order.checks: bad', payload: { guid: 'g-1' } });
    expect(item!.lastSeenAt).toBeGreaterThan(item!.receivedAt);
    expect(reviews.openCount()).toBe(1);
    expect(reviews.resolve(item!.id, 'test order, not a sale')).toMatchObject({ status: 'resolved', resolution: 'test order, not a sale' });
    expect(reviews.openCount()).toBe(0);
    expect(reviews.list({ status: 'all' })).toHaveLength(1);
    expect(() => reviews.resolve(item!.id, 'again')).toThrow(ReviewNotFound);
    expect(() => reviews.resolve(999, 'x')).toThrow(/does not exist/);
    expect(() => reviews.resolve(item!.id, '  ')).toThrow(/say how/);
    // After resolution the same payload arriving again is a new open item.
    expect(ingestOutcomes(ledger, reviews, [review])[0]).toMatchObject({ kind: 'review', duplicate: false });
  });

  it('a ledger that is not set up throws (so a poller keeps its watermark), writing nothing', () => {
    const { ledger, reviews } = fresh(false);
    expect(() => ingestOutcomes(ledger, reviews, mapSquare(load('square/order-mixed.json')))).toThrow(NotSetUp);
    expect(reviews.openCount()).toBe(0);
  });
});
