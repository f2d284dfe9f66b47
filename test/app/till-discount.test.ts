// Till discounts end to end in main (issue 14): a discounted sale from the till issues an invoice
// whose wire JSON the fake FIRS/NRS API (test/fakes/firs-server.ts, the v1.1 checks) accepts and
// whose totals relate as the MBS docs say; a refund of a discounted line hands back the discounted
// amount; a discount above the till's limit needs the manager (unlocked session or a PIN for this
// one sale, on the shared wrong-PIN throttle).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManagerSession, type CallContext } from '../../main/app/handlers';
import { dispatch } from '../../main/app/dispatch';
import { AppServices } from '../../main/app/services';
import { FirsClient } from '../../main/firs/firs-client';
import { toWireInvoice } from '../../main/firs/wire-invoice';
import { BUSINESS, keyPair, tempDir } from '../support/fixture';
import { startFakeFirs, type FakeFirs } from '../fakes/firs-server';
import { toSale, type DraftSale } from '../../renderer/src/lib/sale-draft';
import { majorNumberToKobo } from '../../shared/domain/money';
import type { Business } from '../../shared/domain/business';

const NOW = new Date('2026-11-24T20:00:00+01:00');
const PIN = '246810';
const open: AppServices[] = [];
let fake: FakeFirs;

beforeAll(async () => {
  fake = await startFakeFirs();
});
afterAll(() => fake.close());
afterEach(async () => {
  while (open.length) await open.pop()!.stop();
});

async function till() {
  const services = new AppServices({ dataDir: tempDir(), mode: 'browser', now: () => NOW, demoFeedMs: 0, watchMs: 60_000, log: () => {} });
  open.push(services);
  services.start();
  const session = new ManagerSession(() => NOW.getTime());
  const ctx: CallContext = { services, session };
  const call = async (channel: string, payload: unknown = {}) =>
    dispatch(channel, payload, ctx, { checkResponses: true, log: (m) => console.error(m) });
  const ok = async (channel: string, payload: unknown = {}) => {
    const r = await call(channel, payload);
    if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
    return r.result as any;
  };
  await ok('setup.configure', { business: BUSINESS, cryptoKeys: keyPair().keysFileJson, managerPin: PIN });
  session.lock();
  return { services, session, call, ok };
}

// What the till sends for: rice 2 × ₦8,600 at 10 % off, water 3 × ₦150 zero-rated, ₦500 off the sale.
const draft = (id: string, over: Partial<DraftSale> = {}): DraftSale => ({
  id,
  method: 'cash',
  tendered: '20000',
  lines: [
    { name: 'Rice 5kg', quantity: '2', price: '8600', vat: 'STANDARD_VAT', discount: '10%' },
    { name: 'Water', quantity: '3', price: '150', vat: 'ZERO_VAT', hs_code: '2202.10' },
  ],
  discount: '500',
  ...over,
});
const k = (n: unknown) => majorNumberToKobo(n)!;

describe('a discounted till sale', () => {
  it('issues an invoice the FIRS/NRS checks accept, with totals, VAT base and lines that agree', async () => {
    const app = await till();
    // 12.82 % off the rice is above the default 10 %: the manager allows up to 20 % (a manager channel).
    await app.ok('manager.unlock', { pin: PIN });
    await app.ok('till.saveSettings', { confirm_above_kobo: 100_000_000, discount_approval_above_pct: 20 });
    app.session.lock();
    const res = await app.ok('sales.createManual', { sale: toSale(draft('d-1'), NOW) });
    expect(res.invoice.payable_kobo).toBe(1_720_000 + 45_000 - 172_000 - 50_000);
    const issued = app.services.ledger.findByIrn(res.invoice.irn)!;
    const wire = toWireInvoice(issued.invoice, app.services.ledger.getBusiness() as Business) as any;

    // The line fields the MBS docs name: discount_amount / discount_rate, line_extension_amount.
    const [rice, water] = wire.invoice_line;
    expect(rice.discount_rate).toBe(12.82); // ₦2,205.88 of ₦17,200.00
    expect(water.discount_rate).toBe(3.14); // its ₦14.12 share of the ₦500 off the sale
    for (const l of wire.invoice_line) {
      expect(k(l.line_extension_amount)).toBe(Math.round(l.invoiced_quantity * k(l.price.price_amount)) - k(l.discount_amount));
    }
    // Totals: Σ line extensions = line_extension = tax_exclusive (no charges); inclusive = exclusive + VAT = payable.
    const lmt = wire.legal_monetary_total;
    const lineSum = wire.invoice_line.reduce((a: number, l: any) => a + k(l.line_extension_amount), 0);
    expect(k(lmt.line_extension_amount)).toBe(lineSum);
    expect(k(lmt.tax_exclusive_amount)).toBe(lineSum);
    expect(k(lmt.tax_inclusive_amount)).toBe(k(lmt.tax_exclusive_amount) + k(wire.tax_total[0].tax_amount));
    expect(k(lmt.payable_amount)).toBe(res.invoice.payable_kobo);
    // The VAT base of each category is its lines' discounted net.
    const std = wire.tax_total[0].tax_subtotal.find((s: any) => s.tax_category.id === 'STANDARD_VAT');
    const zero = wire.tax_total[0].tax_subtotal.find((s: any) => s.tax_category.id === 'ZERO_VAT');
    expect(k(std.taxable_amount)).toBe(k(rice.line_extension_amount));
    expect(k(zero.taxable_amount)).toBe(k(water.line_extension_amount));
    expect(wire.allowance_charge).toBeUndefined(); // the sale discount is on the lines, see shared/domain/discount.ts

    // The fake FIRS/NRS API runs its code-list and v1.1 checks (line identity included) on validate and sign.
    const client = new FirsClient({ baseUrl: fake.url, apiKey: fake.apiKey, apiSecret: fake.apiSecret, timeoutMs: 2000 });
    await client.validate(wire, 'disc-1');
    await client.sign(wire, 'disc-2');
    expect(fake.signed.get(wire.irn)?.count).toBe(1);

    // Refund one of the two rice bags: half the line's discount comes off what is handed back.
    const refund = await app.ok('invoices.refund', { irn: res.invoice.irn, refundId: 'refund-0001', lines: [{ index: 0, quantity: '1' }] });
    expect(refund.invoice.payable_kobo).toBe(860_000 - 110_294); // ₦2,205.88 / 2 = 1,102.94
    const credit = toWireInvoice(app.services.ledger.findByIrn(refund.invoice.irn)!.invoice, BUSINESS as Business) as any;
    // discount_amount is tax-exclusive (price_amount is): ₦1,102.94 incl. 7.5 % VAT is ₦1,025.99 + the price carry.
    expect(credit.invoice_line[0].discount_rate).toBe(12.82);
    expect(credit.invoice_line[0].discount_amount).toBeGreaterThanOrEqual(1025.99);
    expect(credit.invoice_line[0].discount_amount).toBeLessThan(1026);
    await client.validate(credit, 'disc-3');
    // The rest of the rice: the credit notes together hand back exactly the discounted line.
    const rest = await app.ok('invoices.refund', { irn: res.invoice.irn, refundId: 'refund-0002', lines: [{ index: 0, quantity: '1' }] });
    expect(refund.invoice.payable_kobo + rest.invoice.payable_kobo).toBe(1_720_000 - 220_588);
  });

  it('a discount above the limit needs the manager: refused, then the PIN for this sale; nothing unlocked', async () => {
    const app = await till();
    expect((await app.ok('till.settings')).discount_approval_above_pct).toBe(10); // the default
    const big = toSale(
      draft('d-2', { discount: '', lines: [{ name: 'Rice 5kg', quantity: '1', price: '8600', vat: 'STANDARD_VAT', discount: '15%' }] }),
      NOW,
    );
    const refused = await app.call('sales.createManual', { sale: big });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'locked',
        message: 'lines[0].discount: ₦1,290.00 off "Rice 5kg" is 15%, above the 10% a cashier may give; it needs the manager PIN',
      },
    });
    const wrong = await app.call('sales.createManual', { sale: big, managerPin: '999999' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'locked', message: 'managerPin: wrong PIN' } });
    const ok = await app.ok('sales.createManual', { sale: big, managerPin: PIN });
    expect(ok.invoice.payable_kobo).toBe(860_000 - 129_000);
    expect(app.session.isUnlocked()).toBe(false); // the PIN approved this sale only
    // 10 % exactly is within the limit; no PIN needed.
    const within = toSale(
      draft('d-3', { discount: '10%', lines: [{ name: 'Soap', quantity: '3', price: '333.33', vat: 'STANDARD_VAT' }] }),
      NOW,
    );
    expect((await app.ok('sales.createManual', { sale: within })).invoice.payable_kobo).toBe(99_999 - 10_000);
    // The manager raises the limit (manager channel), and turns approval off (null).
    await app.ok('manager.unlock', { pin: PIN });
    expect(await app.ok('till.saveSettings', { confirm_above_kobo: 1, discount_approval_above_pct: 20 })).toEqual({
      confirm_above_kobo: 1,
      discount_approval_above_pct: 20,
    });
    expect((await app.ok('till.saveSettings', { confirm_above_kobo: 1 })).discount_approval_above_pct).toBe(20); // kept
    expect((await app.call('till.saveSettings', { confirm_above_kobo: 1, discount_approval_above_pct: 101 })).ok).toBe(false);
    expect(
      (await app.ok('till.saveSettings', { confirm_above_kobo: 1, discount_approval_above_pct: null })).discount_approval_above_pct,
    ).toBeNull();
    app.session.lock();
    const any = toSale(draft('d-4', { discount: '90%' }), NOW);
    expect((await app.ok('sales.createManual', { sale: any })).invoice.payable_kobo).toBeGreaterThan(0);
  });

  it("a service line carries the catalogue's own service_category on the invoice, and it passes the FIRS checks", async () => {
    const app = await till();
    const sale = toSale(
      {
        id: 'svc-1',
        method: 'cash',
        tendered: '',
        lines: [
          { name: 'Braids', quantity: '1', price: '15000', vat: 'STANDARD_VAT', isic_code: '9602', service_category: 'Hair braiding' },
          { name: 'Wash', quantity: '1', price: '2000', vat: 'STANDARD_VAT', isic_code: '9602' },
        ],
      },
      NOW,
    );
    const res = await app.ok('sales.createManual', { sale });
    const wire = toWireInvoice(app.services.ledger.findByIrn(res.invoice.irn)!.invoice, BUSINESS as Business) as any;
    expect(wire.invoice_line.map((l: any) => [l.isic_code, l.service_category])).toEqual([
      ['9602', 'Hair braiding'],
      ['9602', 'Hairdressing and other beauty treatment'], // no category of its own: the NRS list's description
    ]);
    // A fresh fake: the first IRN of this new ledger was already signed on the shared one.
    const own = await startFakeFirs();
    try {
      await new FirsClient({ baseUrl: own.url, apiKey: own.apiKey, apiSecret: own.apiSecret, timeoutMs: 2000 }).validate(wire, 'svc-1');
    } finally {
      await own.close();
    }
    // A category on a goods line is refused, naming the field.
    const bad = await app.call('sales.createManual', {
      sale: { ...sale, external_id: 'till-svc-2', lines: [{ ...sale.lines[0]!, isic_code: undefined, hs_code: '1006.30' }] },
    });
    expect(bad).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('service_category: only a service line (isic_code) has a service category') },
    });
  });
});
