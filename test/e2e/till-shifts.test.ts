// Issue 14, shifts and cash, in real Chromium against the real server: open a shift with a float
// (the shared money parser refuses "1.500,00"), sell with change, cash in and out with reasons,
// the X report mid-shift, the close with a counted amount → short ₦50.00, and the manager's
// Shifts screen for the day. The shift dialog and the till are checked for overflow at
// 1366×768, 1024×768 and 800×600.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openTill, overflowProblems, poll, SCREENSHOTS, type OpenTill } from './support';

const PIN = '482916';
const SIZES = [
  [1366, 768],
  [1024, 768],
  [800, 600],
] as const;

describe('till shifts (Chromium)', () => {
  let till: OpenTill;
  let page: Page;
  const dialog = () => page.getByRole('dialog', { name: 'Shift' });
  const cashExpected = () => dialog().locator('[data-testid=shift-method][data-method=cash] [data-testid=shift-expected]').textContent();

  beforeAll(async () => {
    till = await openTill(PIN);
    page = till.page;
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 90_000);

  afterAll(async () => {
    await till?.close();
  });

  it('opens a shift with a float; "1.500,00" is refused as ambiguous', async () => {
    await poll(() => page.getByTestId('shift-status').textContent()).toBe('No open shift');
    await page.getByRole('button', { name: /^Open shift/ }).click();
    await page.getByLabel('Opening float').fill('1.500,00');
    await dialog().getByRole('button', { name: 'Open shift' }).click();
    await poll(() => page.getByTestId('shift-error').textContent()).toMatch(/^Opening float: "1\.500,00" is ambiguous/);
    await page.getByLabel('Opening float').fill('5,000');
    await dialog().getByRole('button', { name: 'Open shift' }).click();
    await dialog().getByTestId('shift-report').waitFor();
    expect(await dialog().getByTestId('shift-report').getAttribute('data-kind')).toBe('X');
    expect(await cashExpected()).toBe('₦5,000.00');
    expect(await page.getByTestId('shift-error').count()).toBe(0);
    await page.keyboard.press('Escape');
    await poll(() => page.getByTestId('shift-status').textContent()).toMatch(/^Shift open since \d\d:\d\d · drawer ₦5,000\.00$/);
  }, 60_000);

  it('a cash sale with change, cash in and cash out with reasons: the X report adds up', async () => {
    await page.getByLabel('Item', { exact: true }).fill('Soap');
    await page.getByLabel('Quantity').fill('1');
    await page.getByLabel('Price').fill('1075');
    await page.getByLabel('Price').press('Enter');
    await poll(() => page.getByTestId('sale-line').count()).toBe(1);
    await page.getByLabel('Cash tendered').fill('2000');
    await page.getByLabel('Cash tendered').press('Control+Enter');
    await page
      .getByTestId('till-notice')
      .getByText(/^Invoice \S+ issued$/)
      .waitFor({ timeout: 15_000 });
    await poll(() => page.getByTestId('shift-status').textContent()).toMatch(/drawer ₦6,075\.00$/); // 5,000 + 2,000 − 925 change

    await page.keyboard.press('F6');
    await dialog().getByTestId('shift-report').waitFor();
    await page.getByLabel('Cash amount').fill('1,000');
    await page.getByLabel('Reason').fill('change from the bank');
    await dialog().getByRole('button', { name: 'Record cash in' }).click();
    await poll(cashExpected).toBe('₦7,075.00');
    await dialog().getByText('Cash out', { exact: true }).click();
    await page.getByLabel('Cash amount').fill('300');
    await page.getByLabel('Reason').fill('paid the cleaner');
    await dialog().getByRole('button', { name: 'Record cash out' }).click();
    await poll(cashExpected).toBe('₦6,775.00');
    const moves = await dialog().getByRole('list', { name: 'Cash in and out' }).textContent();
    expect(moves).toMatch(/Cash in ₦1,000\.00 · change from the bank/);
    expect(moves).toMatch(/Cash out ₦300\.00 · paid the cleaner/);
    // A reason is required: nothing is recorded without one.
    await page.getByLabel('Cash amount').fill('100');
    await page.getByLabel('Reason').fill('  ');
    await dialog().getByRole('button', { name: 'Record cash out' }).click();
    await poll(() => page.getByTestId('shift-error').textContent()).toMatch(/reason/);
    expect(await cashExpected()).toBe('₦6,775.00');
  }, 60_000);

  for (const [width, height] of SIZES) {
    it(`${width}×${height}: the shift dialog and the till with its shift strip do not overflow`, async () => {
      await page.setViewportSize({ width, height });
      await poll(() => page.evaluate(() => window.innerWidth)).toBe(width);
      expect(await overflowProblems(page, '.shift-panel')).toEqual([]);
      if (width === 1024) await page.screenshot({ path: join(SCREENSHOTS, 'shift-x-report-1024x768.png') });
      await page.keyboard.press('Escape');
      await dialog().waitFor({ state: 'detached' });
      expect(await overflowProblems(page, '.shift-bar')).toEqual([]);
      expect(await overflowProblems(page, '.till > .stack')).toEqual([]);
      await page.keyboard.press('F6');
      await dialog().getByTestId('shift-report').waitFor();
    }, 30_000);
  }

  it('closes the shift with a counted amount: short ₦50.00, stored; the manager sees it on the day', async () => {
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.getByLabel('Counted Cash').fill('6,725');
    await dialog().getByRole('button', { name: 'Close shift' }).click();
    await poll(() => dialog().getByTestId('shift-report').getAttribute('data-kind')).toBe('close');
    expect(await dialog().locator('[data-method=cash] [data-testid=shift-over-short]').textContent()).toBe('short ₦50.00');
    expect(await dialog().getByTestId('shift-total-over-short').textContent()).toBe('Counted against expected: short ₦50.00');
    expect(await overflowProblems(page, '.shift-panel')).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'shift-close-1024x768.png') });
    await dialog().getByRole('button', { name: /^Done/ }).click();
    await poll(() => page.getByTestId('shift-status').textContent()).toBe('No open shift');

    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Manager' }).click();
    await page.getByLabel('Manager PIN').fill(PIN);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('navigation', { name: 'Manager sections' }).getByRole('button', { name: 'Shifts' }).click();
    const row = page.getByTestId('shift-row');
    await poll(() => row.count()).toBe(1);
    expect(await row.getByTestId('shift-row-over-short').textContent()).toBe('short ₦50.00');
    await row.click();
    expect(await page.getByTestId('manager-shifts').getByTestId('shift-report').getAttribute('data-kind')).toBe('close');
    for (const [width, height] of SIZES) {
      await page.setViewportSize({ width, height });
      await poll(() => page.evaluate(() => window.innerWidth)).toBe(width);
      expect(await overflowProblems(page, '[data-testid=manager-shifts]')).toEqual([]);
      if (width === 1024) await page.screenshot({ path: join(SCREENSHOTS, 'manager-shifts-1024x768.png') });
    }
  }, 60_000);
});
