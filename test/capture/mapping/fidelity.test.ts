// Issue #13 acceptance: capture fidelity on payloads in each vendor's published shapes — taxes by the
// connection's tax mapping (two on one line, unmapped, a consumption tax outside VAT), Lightspeed
// R-Series rounding, deleted sales, Toast's sale date, currencies, webhook/legacy bodies.
// Published bodies are read in place from ../shared/fixtures/real-vendor; our own payloads of the
// same literal shapes are in test/fixtures/vendors (each with a .txt naming its source).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mapLightspeedR } from '../../../shared/capture/lightspeed-r/map-lightspeed-r';
import { mapLightspeedX } from '../../../shared/capture/lightspeed-x/map-lightspeed-x';
import { mapSquare } from '../../../shared/capture/square/map-square';
import { mapToast } from '../../../shared/capture/toast/map-toast';
import type { MapOptionsInput } from '../../../shared/capture/outcome';
import { BusinessSchema } from '../../../shared/domain/business';
import { buildFirsInvoice } from '../../../shared/domain/firs-invoice';
import { parseSale } from '../../../shared/domain/sale';
import { computeInvoiceAmounts, computeTotals } from '../../../shared/domain/totals';
import { openDatabase } from '../../../main/ledger/database';
import { Ledger } from '../../../main/ledger/ledger';
import { ReviewQueue } from '../../../main/ledger/review-queue';
import { ingestOutcomes } from '../../../main/capture/sink';
import { BUSINESS, keyPair, tempDir } from '../../support/fixture';
import { asReview, asSale, asSkip, load, only } from './support';

const REAL = join(process.cwd(), '../shared/fixtures/real-vendor');
const haveReal = existsSync(REAL);
if (!haveReal) console.log(`fidelity.test: ${REAL} is absent — the tests on published vendor bodies are skipped`);

const real = (path: string): any => JSON.parse(readFileSync(join(REAL, path), 'utf8'));

const CONSUMPTION = { category: 'LOCAL_SALES_TAX', rate: '5' } as const;
const USD_RATE = { rate: '1530.25', source: 'CBN official window, closing rate', date: '2026-11-23' };

function ledger() {
  const db = openDatabase(join(tempDir('tpos-fidelity-'), 'ledger.sqlite'));
  const l = new Ledger(db);
  l.configure(BUSINESS, keyPair().keysFileJson);
  return { db, ledger: l, reviews: new ReviewQueue(db) };
}

describe('two taxes on one line: mapped separately, or a review naming both (every vendor)', () => {
  const r = () => load('lightspeed-r/sale-two-taxes.json');

  it('Lightspeed R: VAT (default: 7.5 % named VAT) + a mapped consumption tax; each tax rounded over the sale as Lightspeed does', () => {
    const s = asSale(only(mapLightspeedR(r(), { taxMap: { 'Consumption tax': CONSUMPTION } })));
    expect(s.sale.tax_rounding).toBe('sale');
    expect(s.sale.lines[0]).toMatchObject({
      tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: false },
      other_taxes: [{ category: 'LOCAL_SALES_TAX', name: 'Consumption tax', rate: '5' }],
    });
    // calcTax1 "75", calcTax2 "50", calcTotal "1124.99" — to the kobo.
    expect(s.totals).toMatchObject({ taxExclusive: 99999, taxTotal: 7500, otherTaxTotal: 5000, taxInclusive: 112499 });
    expect(s.totals.subtotals).toEqual([{ category: 'STANDARD_VAT', rate: '7.5', taxable: 99999, tax: 7500 }]);
    expect(s.totals.otherSubtotals).toEqual([
      { category: 'LOCAL_SALES_TAX', name: 'Consumption tax', rate: '5', taxable: 99999, tax: 5000 },
    ]);
    // The lines still add up to the totals: 16.67 + 16.67 + 16.66 of consumption tax.
    expect(s.totals.lines.map((l) => l.otherTaxes[0]!.tax)).toEqual([1667, 1667, 1666]);
    // Rounding each line instead (what the mapper used to do) misses Lightspeed's total by a kobo.
    const perLine = { ...s.sale, tax_rounding: 'line' as const };
    expect(computeInvoiceAmounts(parseSale(perLine)).taxInclusive).toBe(112500);
    expect(() => computeTotals(parseSale(perLine))).toThrow(/payments: short by 0\.01/);
  });

  it('Lightspeed R: the FIRS invoice carries VAT in the VAT total and the consumption tax as its own tax_total entry', () => {
    const s = asSale(only(mapLightspeedR(r(), { taxMap: { 'Consumption tax': CONSUMPTION } })));
    const inv = buildFirsInvoice(s.sale, s.totals, {
      business: BusinessSchema.parse(BUSINESS),
      irn: 'INV7001-94ND90NR-20261124',
      issuedAt: new Date('2026-11-24T12:50:00Z'),
    });
    expect(inv.tax_total).toEqual([
      { tax_amount: 75, tax_subtotal: [{ taxable_amount: 999.99, tax_amount: 75, tax_category: { id: 'STANDARD_VAT', percent: 7.5 } }] },
      { tax_amount: 50, tax_subtotal: [{ taxable_amount: 999.99, tax_amount: 50, tax_category: { id: 'LOCAL_SALES_TAX', percent: 5 } }] },
    ]);
    expect(inv.legal_monetary_total).toEqual({
      line_extension_amount: 999.99,
      tax_exclusive_amount: 999.99,
      tax_inclusive_amount: 1124.99,
      payable_amount: 1124.99,
    });
  });

  it('Lightspeed R: an unmapped second tax is a review naming it; two unnamed unmapped taxes a review naming both; two VAT mappings a review naming both', () => {
    expect(asReview(only(mapLightspeedR(r()))).reason).toMatch(
      /tax "Consumption tax" \(id 3\/tax2\) at 5% is not in this connection's tax mapping/,
    );
    const bare = r();
    delete bare.Sale.TaxCategory;
    for (const l of bare.Sale.SaleLines.SaleLine) delete l.TaxCategory;
    expect(asReview(only(mapLightspeedR(bare))).reason).toMatch(
      /taxes "tax1 of tax category 3" \(id 3\/tax1\) at 7\.5% and "tax2 of tax category 3" \(id 3\/tax2\) at 5% are not in this connection's tax mapping/,
    );
    const twoVat = asReview(only(mapLightspeedR(r(), { taxMap: { 'Consumption tax': { category: 'REDUCED_VAT', rate: '5' } } }))).reason;
    expect(twoVat).toMatch(/two VAT taxes on one amount: "VAT" .* as STANDARD_VAT 7\.5% and "Consumption tax" .* as REDUCED_VAT 5%/);
  });

  it('Square: taxes mapped by catalog_object_id (or name); the unmapped one is named', () => {
    const o = () => load('square/order-two-taxes.json');
    expect(asReview(only(mapSquare(o()))).reason).toMatch(
      /line_items\[0\]: tax "Lagos consumption tax" \(id LAGOSCT5P\) at 5% is not in this connection's tax mapping/,
    );
    const s = asSale(only(mapSquare(o(), { taxMap: { LAGOSCT5P: { ...CONSUMPTION, name: 'Lagos consumption tax' } } })));
    expect(s.sale.lines[0]).toMatchObject({
      tax: { category: 'STANDARD_VAT', rate: '7.5' },
      other_taxes: [{ category: 'LOCAL_SALES_TAX', name: 'Lagos consumption tax', rate: '5' }],
    });
    expect(s.totals).toMatchObject({ taxTotal: 150000, otherTaxTotal: 100000, taxInclusive: 2250000 });
    // The mapping must agree with what Square charged.
    expect(asReview(only(mapSquare(o(), { taxMap: { LAGOSCT5P: { category: 'LOCAL_SALES_TAX', rate: '2.5' } } }))).reason).toMatch(
      /mapped as LOCAL_SALES_TAX 2\.5% but the POS charged 5%/,
    );
  });

  it('Toast: taxes mapped by the TaxRate GUID', () => {
    const o = () => load('toast/order-paid-then-closed-two-taxes.json');
    expect(asReview(only(mapToast(o()))).reason).toMatch(
      /selections\[0\]: tax "Consumption tax" \(id 9d3e7b1c-lct0-4a2b-8c9d-lagosconsum5\) at 5% is not in this connection's tax mapping/,
    );
    const s = asSale(only(mapToast(o(), { taxMap: { '9d3e7b1c-lct0-4a2b-8c9d-lagosconsum5': CONSUMPTION } })));
    expect(s.totals).toMatchObject({ taxTotal: 75000, otherTaxTotal: 50000, taxInclusive: 1125000 });
  });

  it("Lightspeed X: a group tax's components (rate ids) mapped separately; unmapped, both are named", () => {
    const x = () => load('lightspeed-x/sale-two-taxes.json');
    expect(asReview(only(mapLightspeedX(x()))).reason).toMatch(
      /taxes a tax \(id rate-lagos-vat\) and a tax \(id rate-lagos-consumption\) are not in this connection's tax mapping/,
    );
    const taxMap = {
      'rate-lagos-vat': { category: 'STANDARD_VAT', rate: '7.5' },
      'rate-lagos-consumption': { ...CONSUMPTION, name: 'Consumption tax' },
    } as const;
    const s = asSale(only(mapLightspeedX(x(), { taxMap })));
    expect(s.totals).toMatchObject({ taxTotal: 75000, otherTaxTotal: 50000, taxInclusive: 1125000 });
  });

  it('a mapped consumption tax stays outside the VAT figures the ledger records (tax_kobo), inside what was paid', () => {
    const { ledger: l, reviews } = ledger();
    const [res] = ingestOutcomes(
      l,
      reviews,
      mapToast(load('toast/order-paid-then-closed-two-taxes.json'), { taxMap: { '9d3e7b1c-lct0-4a2b-8c9d-lagosconsum5': CONSUMPTION } }),
    );
    expect(res).toMatchObject({ kind: 'issued', payableKobo: 1125000 });
    const inv = l.findByIrn((res as { irn: string }).irn)!;
    expect({ payable: inv.payable_kobo, vat: inv.tax_kobo, net: inv.net_kobo }).toEqual({ payable: 1125000, vat: 75000, net: 1000000 });
  });
});

describe.skipIf(!haveReal)('an unmapped tax on a published Square order is a review naming it', () => {
  it('S05 (CreateOrder example, "State Sales Tax" 9 %), completed and paid', () => {
    const o = real('square/S05-create-order-response.json').order;
    o.state = 'COMPLETED';
    o.tenders = [{ id: 't1', type: 'CARD', amount_money: o.total_money }];
    const opts: MapOptionsInput = { foreignCurrency: { enabled: true, rates: { USD: USD_RATE } } };
    const r = asReview(only(mapSquare({ order: o }, opts)));
    expect(r.reason).toMatch(/tax "State Sales Tax" \(id state-sales-tax\) at 9% is not in this connection's tax mapping/);
  });
});

describe('a totals mismatch is reported as such, before any payment check', () => {
  it('Lightspeed R: an invoice that would not match calcTotal says "totals mismatch", not "payments: short"', () => {
    const s = load('lightspeed-r/sale-two-taxes.json');
    s.Sale.calcTotal = '1125';
    const reason = asReview(only(mapLightspeedR(s, { taxMap: { 'Consumption tax': CONSUMPTION } }))).reason;
    expect(reason).toMatch(
      /totals mismatch: the invoice would total 1124\.99 \(VAT 75\.00, other taxes 50\.00\) but the POS charged 1125\.00/,
    );
    expect(reason).not.toMatch(/payments/);
  });
});

describe('Lightspeed X deleted sales', () => {
  const x = () => load('lightspeed-x/sale-two-taxes.json').data;
  const taxMap = { 'rate-lagos-vat': { category: 'STANDARD_VAT', rate: '7.5' }, 'rate-lagos-consumption': CONSUMPTION } as const;

  it('a deleted sale (deleted_at) is skipped, never invoiced', () => {
    const { ledger: l, reviews } = ledger();
    const deleted = { ...x(), deleted_at: '2026-11-24T13:02:00+00:00' };
    const skip = asSkip(only(mapLightspeedX(deleted, { taxMap })));
    expect(skip).toMatchObject({
      reason: expect.stringMatching(/deleted in Lightspeed \(deleted_at 2026-11-24T13:02:00\+00:00\)/),
      withdrawn: true,
    });
    expect(ingestOutcomes(l, reviews, [skip])).toMatchObject([{ kind: 'skipped' }]);
    expect(l.count()).toBe(0);
  });

  it('one deleted after it was invoiced goes to review for a credit note', () => {
    const { ledger: l, reviews } = ledger();
    const [issued] = ingestOutcomes(l, reviews, mapLightspeedX(x(), { taxMap }));
    expect(issued).toMatchObject({ kind: 'issued' });
    const [later] = ingestOutcomes(
      l,
      reviews,
      mapLightspeedX({ ...x(), deleted_at: '2026-11-24T16:00:00+00:00', version: 30648500002 }, { taxMap }),
    );
    expect(later).toMatchObject({
      kind: 'review',
      vendorId: x().id,
      reason: expect.stringMatching(/deleted in Lightspeed .* after it was invoiced as .* issue a credit note/),
    });
    expect(l.count()).toBe(1);
  });
});

describe('Toast sale date: payment time, then closed, then opened', () => {
  const o = () => load('toast/order-paid-then-closed-two-taxes.json');
  const opts = { taxMap: { '9d3e7b1c-lct0-4a2b-8c9d-lagosconsum5': CONSUMPTION } } as const;

  it('a check paid at 13:49 (Lagos) on one day and closed the next is dated by the payment', () => {
    expect(asSale(only(mapToast(o(), opts))).sale.occurred_at).toBe('2026-11-24T12:49:12.000Z');
  });

  it('without paidDate the closed date, without both the opened date', () => {
    const { paidDate: _p, ...closedOnly } = o();
    expect(asSale(only(mapToast(closedOnly, opts))).sale.occurred_at).toBe('2026-11-25T08:02:44.000Z');
    const { closedDate: _c, ...openedOnly } = closedOnly;
    expect(asSale(only(mapToast(openedOnly, opts))).sale.occurred_at).toBe('2026-11-24T12:31:07.000Z');
  });
});

describe.skipIf(!haveReal)('a USD sale (Square PayOrder example S01)', () => {
  const s01 = () => real('square/S01-pay-order-response.json');

  it('is a review by default, and when no NGN rate is configured for its currency', () => {
    const id = s01().order.id as string;
    expect(asReview(only(mapSquare(s01()))).reason).toMatch(
      new RegExp(`order ${id}: the sale is in USD, not the business's NGN; foreign-currency invoicing is off`),
    );
    expect(asReview(only(mapSquare(s01(), { foreignCurrency: { enabled: true, rates: {} } }))).reason).toMatch(
      /no NGN exchange rate for USD is configured/,
    );
  });

  it('with foreign-currency invoicing on: invoiced in USD, tax currency NGN, the configured rate on the invoice and recorded with it', () => {
    const opts: MapOptionsInput = { foreignCurrency: { enabled: true, rates: { USD: USD_RATE } } };
    const s = asSale(only(mapSquare(s01(), opts)));
    expect(s.sale).toMatchObject({ currency: 'USD', exchange_rate: USD_RATE });
    const { ledger: l, reviews } = ledger();
    const [res] = ingestOutcomes(l, reviews, [s]);
    expect(res).toMatchObject({ kind: 'issued' });
    const inv = l.findByIrn((res as { irn: string }).irn)!;
    const firs = inv.invoice;
    expect(firs).toMatchObject({
      document_currency_code: 'USD',
      tax_currency_code: 'NGN',
      tax_exchange_rate: {
        source_currency_code: 'USD',
        target_currency_code: 'NGN',
        calculation_rate: 1530.25,
        date: '2026-11-23',
        source: USD_RATE.source,
      },
    });
    expect(inv.sale.exchange_rate).toEqual(USD_RATE);
  });
});

describe('webhook events and legacy payloads name the sale to fetch', () => {
  it.skipIf(!haveReal)('Square order.updated and payment.updated events (published examples S10, S11)', () => {
    const ev = asReview(only(mapSquare(real('square/S10-order-updated-webhook-event.json'))));
    expect(ev).toMatchObject({ vendorId: 'eA3vssLHKJrv9H0IdJCM3gNqfdcZY' });
    expect(ev.reason).toMatch(
      /this is a Square webhook event \(order\.updated\), not an order — fetch order eA3vssLHKJrv9H0IdJCM3gNqfdcZY/,
    );
    const pay = asReview(only(mapSquare(real('square/S11-payment-updated-webhook-event.json'))));
    expect(pay).toMatchObject({ vendorId: '03O3USaPaAaFnI6kkwB1JxGgBsUZY' });
    expect(pay.reason).toMatch(/webhook event \(payment\.updated\).*fetch order 03O3USaPaAaFnI6kkwB1JxGgBsUZY/);
  });

  it('Lightspeed X: an API 0.9 register sale, and a sale.update webhook delivery (form fields type + payload)', () => {
    const page = load('lightspeed-x/api-0.9-register-sales.json');
    const legacy = asReview(only(mapLightspeedX(page)));
    expect(legacy).toMatchObject({ vendorId: '87d6ec9a-572b-d8c1-5fd6-d0656c032d7c' });
    expect(legacy.reason).toMatch(
      /this is a Lightspeed X API 0\.9 payload \(register_sale\) — fetch sale 87d6ec9a-572b-d8c1-5fd6-d0656c032d7c from API 2\.0/,
    );
    const hook = { type: 'sale.update', domain_prefix: 'adestores', payload: JSON.stringify(page.register_sales[0]) };
    const h = asReview(only(mapLightspeedX(hook)));
    expect(h.reason).toMatch(
      /this is a Lightspeed X webhook event \(sale\.update\), not a sale — fetch sale 87d6ec9a-572b-d8c1-5fd6-d0656c032d7c/,
    );
  });

  it('Toast: a webhook body without the order; Lightspeed R: a SaleLine response', () => {
    const t = asReview(
      only(
        mapToast({
          timestamp: '2026-11-24T12:49:13.000+0000',
          eventCategory: 'orders',
          eventType: 'order_updated',
          guid: 'evt-1',
          details: { restaurantGuid: 'r-1', orderGuid: 'b7e2c0d4-51a9-4f3e-8a61-0c2d9e7f4a10' },
        }),
      ),
    );
    expect(t.reason).toMatch(
      /this is a Toast webhook event \(order_updated\) without the order — fetch order b7e2c0d4-51a9-4f3e-8a61-0c2d9e7f4a10/,
    );
    const line = load('lightspeed-r/sale-two-taxes.json').Sale.SaleLines.SaleLine[0];
    const r = asReview(only(mapLightspeedR({ '@attributes': { count: '1' }, SaleLine: line })));
    expect(r).toMatchObject({ vendorId: '7001' });
    expect(r.reason).toMatch(/this is a Lightspeed R-Series SaleLine response, not a Sale — fetch Sale 7001/);
  });
});
