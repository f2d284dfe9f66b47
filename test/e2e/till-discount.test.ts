// Issue 14 in Chromium: line and sale discounts (amount or %) with the totals on screen, the sale's
// on-screen number pad (quantity, price, discount, cash tendered) beside the keyboard, the
// manager's approval of a discount above the till's limit, and no layout breakage with all of it
// on screen at 1366×768, 1024×768 and 800×600.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openTill, poll, type OpenTill } from './support';
import { layoutProblems } from './layout-check';
import { PNG } from 'pngjs';

const PIN = '369214';

async function tap(page: Page, keys: string) {
  const pad = page.getByRole('group', { name: 'Sale number pad' });
  for (const k of keys) {
    const name =
      ({ '.': 'Decimal point', '%': 'Percent', C: 'Clear the field', '⌫': 'Delete last digit' } as Record<string, string>)[k] ?? k;
    await pad.getByRole('button', { name, exact: true }).click();
  }
}

describe('till discounts and number pad', () => {
  let till: OpenTill;
  let page: Page;

  beforeAll(async () => {
    till = await openTill(PIN);
    page = till.page;
  }, 60_000);
  afterAll(async () => {
    await till?.close();
  });

  it('keys a sale on the number pad, discounts a line by % and the sale by ₦; totals follow', async () => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByRole('button', { name: 'Number pad' }).click();
    await page.getByTestId('sale-pad').waitFor();
    await page.getByLabel('Item', { exact: true }).fill('Rice 5kg');
    // Quantity and price from the pad: the keys type into the field focused last, which keeps the focus.
    await page.getByLabel('Quantity').focus();
    await expect.poll(() => page.getByTestId('pad-target').textContent()).toBe('Types into: Quantity');
    await tap(page, 'C2');
    await page.getByLabel('Price').focus();
    await tap(page, '86000⌫');
    expect(await page.getByLabel('Quantity').inputValue()).toBe('2');
    expect(await page.getByLabel('Price').inputValue()).toBe('8600');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Price');
    await page.keyboard.press('Enter'); // keyboard-first: Enter still adds the line
    await page.getByTestId('sale-line').first().waitFor();
    await page.getByLabel('Item', { exact: true }).fill('Water');
    await page.getByLabel('Price').fill('150');
    await page.getByLabel('Quantity').fill('3');
    await page.getByLabel('Price').press('Enter');
    await poll(() => page.getByTestId('total-payable').textContent()).toBe('₦17,650.00');

    // 5 % off the rice (typed on the pad), then ₦500 off the whole sale (typed).
    await page.getByLabel('Discount on').selectOption({ label: '1. Rice 5kg' });
    await page.getByLabel('Discount', { exact: true }).focus();
    await tap(page, '5%');
    await poll(() => page.getByTestId('line-discount').first().textContent()).toBe('−₦860.00 (5%)');
    await poll(() => page.getByTestId('total-discount').textContent()).toBe('−₦860.00');
    await poll(() => page.getByTestId('total-payable').textContent()).toBe('₦16,790.00');
    await page.getByLabel('Discount on').selectOption({ label: 'Whole sale' });
    expect(await page.getByLabel('Discount', { exact: true }).inputValue()).toBe('');
    await page.getByLabel('Discount', { exact: true }).fill('500');
    // ₦500 spread 16,340 : 450 → 486.60 / 13.40 (largest remainder, to the kobo)
    await poll(() => page.getByTestId('total-discount').textContent()).toBe('−₦1,360.00');
    await poll(() => page.getByTestId('total-payable').textContent()).toBe('₦16,290.00');
    expect(await page.getByTestId('line-discount').allTextContents()).toEqual(['−₦1,346.60 (5%)', '−₦13.40']);
    // A discount that cannot be read says so and keeps the totals.
    await page.getByLabel('Discount', { exact: true }).fill('5%%');
    await poll(() => page.getByTestId('sale-problem').textContent()).toBe('Discount "5%%" is not a percentage like 10% or 12.5%');
    await page.getByLabel('Discount', { exact: true }).fill('500');

    // Cash tendered on the pad; nothing overflows with the pad and the discounts on screen.
    await page.getByLabel('Cash tendered').focus();
    await tap(page, '20000');
    await poll(() => page.getByTestId('total-change').textContent()).toBe('₦3,710.00');
    for (const [width, height] of [
      [1366, 768],
      [1024, 768],
      [800, 600],
    ] as const) {
      await page.setViewportSize({ width, height });
      await poll(() => page.evaluate(() => window.innerWidth)).toBe(width);
      expect(await layoutProblems(page), `${width}×${height}`).toEqual([]);
      for (const b of await page.getByRole('group', { name: 'Sale number pad' }).getByRole('button').all())
        expect((await b.boundingBox())!.height, `${width}×${height} pad key`).toBeGreaterThanOrEqual(44);
    }
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByRole('button', { name: /^Charge/ }).click();
    await poll(() => page.getByTestId('change-due-amount').textContent()).toBe('Change ₦3,710.00');
    const row = await (
      await fetch(`${till.server.origin}/api/invoke/invoices.listByDay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${till.server.token}`, 'x-tpos-pin': PIN },
        body: JSON.stringify({ date: new Date(Date.now() + 3600_000).toISOString().slice(0, 10) }),
      })
    ).json();
    expect(row.result?.items?.[0]?.payable_kobo ?? row).toBe(1_629_000);
  }, 120_000);

  it('a discount above the limit asks for the manager PIN; a wrong PIN issues nothing', async () => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByRole('button', { name: 'Clear', exact: true }).click();
    await page.getByLabel('Item', { exact: true }).fill('Bread');
    await page.getByLabel('Price').fill('1200');
    await page.getByLabel('Price').press('Enter');
    await page.getByLabel('Discount', { exact: true }).fill('25%');
    await poll(() => page.getByTestId('total-payable').textContent()).toBe('₦900.00');
    await page.getByRole('button', { name: /^Charge/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Manager approval' });
    await poll(() => dialog.getByTestId('approval-reason').textContent()).toBe(
      '₦300.00 off "Bread" is 25%, above the 10% a cashier may give; it needs the manager PIN.',
    );
    for (const [width, height] of [
      [1024, 768],
      [800, 600],
    ] as const) {
      await page.setViewportSize({ width, height });
      await poll(() => page.evaluate(() => window.innerWidth)).toBe(width);
      expect(await layoutProblems(page), `${width}×${height} approval`).toEqual([]);
    }
    await dialog.getByLabel('Manager PIN for the discount').fill('111111');
    await dialog.getByRole('button', { name: 'Approve and charge' }).click();
    await poll(() => page.getByTestId('till-error').textContent()).toBe('managerPin: wrong PIN');
    await poll(() => page.getByTestId('total-payable').textContent()).toBe('₦900.00'); // the sale is back on screen
    await page.getByRole('button', { name: /^Charge/ }).click();
    const pad = dialog.getByRole('group', { name: 'Approval number pad' });
    for (const d of PIN) await pad.getByRole('button', { name: d, exact: true }).click();
    await page.keyboard.press('Enter');
    await poll(() => page.getByTestId('change-due').isVisible()).toBe(true);
    await poll(() => page.getByTestId('till-notice').textContent()).toMatch(/^Invoice T01\d+ issued$/);
    // The PIN approved that sale only: the manager area is still locked.
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Manager' }).click();
    await page.getByRole('button', { name: 'Unlock' }).waitFor();
  }, 120_000);

  it('a Yoruba name: the preview draws its marks; "Show as printed" shows what the printer prints (ọ→o)', async () => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Till' }).click();
    await page.getByLabel('Item', { exact: true }).fill('Ẹ̀wà Ọlọ́jọ́');
    await page.getByLabel('Price').fill('500');
    await page.getByLabel('Price').press('Enter');
    await page.getByRole('button', { name: /^Charge/ }).click();
    await poll(() => page.getByTestId('receipt-text').textContent()).toContain('Ẹ̀wà Ọlọ́jọ́');
    const onScreen = await page.getByTestId('receipt-preview').getAttribute('src');
    await page.getByTestId('as-printed').click();
    await poll(() => page.getByTestId('receipt-text').textContent()).toContain('Èwà Olójó');
    expect(await page.getByTestId('receipt-text').textContent()).not.toContain('Ọ');
    const asPrinted = await page.getByTestId('receipt-preview').getAttribute('src');
    // Same receipt, same size; only the marked letters' pixels differ.
    const a = PNG.sync.read(Buffer.from(onScreen!.split(',')[1]!, 'base64'));
    const b = PNG.sync.read(Buffer.from(asPrinted!.split(',')[1]!, 'base64'));
    expect([a.width, a.height]).toEqual([b.width, b.height]);
    expect(a.data.equals(b.data)).toBe(false);
    expect(await layoutProblems(page)).toEqual([]);
  }, 60_000);

  it('a refund made elsewhere updates the original row here; parked sales stay with their window', async () => {
    const api = async (channel: string, body: unknown) => {
      const res = await fetch(`${till.server.origin}/api/invoke/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${till.server.token}` },
        body: JSON.stringify(body),
      });
      return (await res.json()) as { ok: boolean; result: any; error?: unknown };
    };
    const day = new Date(Date.now() + 3600_000).toISOString().slice(0, 10);
    const list = await api('invoices.listByDay', { date: day });
    const first = (list.result.items as { irn: string; invoice_number: string; kind: string }[]).find(
      (r) => r.kind === 'invoice' && r.invoice_number.endsWith('1'),
    )!;
    const row = page.locator(`[data-testid="sale-row"][data-invoice-number="${first.invoice_number}"]`);
    await row.waitFor();
    expect(await row.getByTestId('refund-state').count()).toBe(0);
    // Another client (a second terminal on this store server) refunds one bag of its rice.
    const refund = await api('invoices.refund', { irn: first.irn, refundId: crypto.randomUUID(), lines: [{ index: 0, quantity: '1' }] });
    expect(refund.ok, JSON.stringify(refund.error)).toBe(true);
    await poll(() => row.getByTestId('refund-state').textContent()).toMatch(/^partly refunded ₦/);

    // Park a sale in this window; a second window does not see it; a reload of this one keeps it.
    await page.getByLabel('Item', { exact: true }).fill('Garri');
    await page.getByLabel('Price').fill('900');
    await page.getByLabel('Price').press('Enter');
    await page.getByRole('button', { name: 'Park', exact: true }).click();
    await poll(() => page.getByTestId('resume').count()).toBe(1);
    const other = await till.browser.context.newPage();
    await other.goto(till.server.url);
    await other.getByRole('region', { name: 'New sale' }).waitFor();
    await other.getByLabel('Item', { exact: true }).waitFor();
    expect(await other.getByTestId('resume').count()).toBe(0);
    await other.close();
    await page.reload();
    await poll(() => page.getByTestId('resume').count()).toBe(1);
    await page.getByTestId('resume').click();
    await poll(() => page.getByTestId('total-payable').textContent()).toBe('₦900.00');
  }, 60_000);

  it('the buyer picker edits a saved buyer; deleting one needs the manager', async () => {
    const party = {
      name: 'Adébáyọ̀ Stores',
      tin: '12345678-0003',
      email: 'ap@adebayo.ng',
      address: { street: '1 Broad St', city: 'Lagos', postal_zone: '100001', state: 'NG-LA', lga: 'NG-LA-IKJ', country: 'NG' },
    };
    const res = await fetch(`${till.server.origin}/api/invoke/customers.save`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${till.server.token}` },
      body: JSON.stringify({ party }),
    });
    expect(res.status).toBe(200);
    await page.getByRole('button', { name: 'Clear', exact: true }).click();
    await page.getByRole('button', { name: 'B2B buyer…' }).click();
    await page.getByLabel('Find buyer').fill('Adé');
    await page.getByRole('button', { name: 'Edit Adébáyọ̀ Stores' }).click();
    expect(await page.locator('input[name="tin"]').inputValue()).toBe('12345678-0003');
    expect(await page.locator('input[name="lga"]').inputValue()).toBe('NG-LA-IKJ');
    // A cashier cannot delete a buyer: the manager's channel says so; nothing is archived.
    await page.getByRole('button', { name: 'Delete Adébáyọ̀ Stores' }).click();
    await poll(() => page.getByTestId('buyer-error').isVisible()).toBe(true);
    expect(await page.getByTestId('buyer-match').count()).toBe(1);
  }, 60_000);
});
