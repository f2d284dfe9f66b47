// Issue 14: the till at shop screen sizes (1366×768, 1024×768, 800×600) in Chromium, with a full
// sale on screen (quick keys, lines, split payment, a selected receipt): no element sticks out of
// its box sideways, no control collapsed, no two controls overlap, touch-sized targets, no
// sideways page scroll. The 1024×768 screenshot goes into the README (`npm run screenshots`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { layoutProblems } from './layout-check';
import { configureBusiness, launchChromium, poll, SCREENSHOTS, startServer, tempData, type Browser, type Server } from './support';

const PIN = '369214';
const CSV = [
  'name,sku,barcodes,price,vat,unit,favourite',
  'Rice 5kg bag (long grain),RICE-5KG,5901234123457,8600,STANDARD_VAT,each,yes',
  'Beans brown,BEANS,,1500,STANDARD_VAT,kg,yes',
  'Water 75cl,WATER,4006381333931,150,ZERO_VAT,each,yes',
  'Bread sliced,BREAD,,1200,STANDARD_VAT,each,yes',
  'Milk 1 litre,MILK,,950,STANDARD_VAT,litre,yes',
].join('\r\n');

describe('till layouts', () => {
  let dir: string;
  let server: Server;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    dir = tempData();
    server = await startServer(dir);
    await configureBusiness(server, PIN);
    browser = await launchChromium();
    page = await browser.context.newPage();
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.goto(server.url);
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Manager' }).click();
    await page.getByLabel('Manager PIN').fill(PIN);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('navigation', { name: 'Manager sections' }).getByRole('button', { name: 'Products' }).click();
    await page.getByLabel('Import products CSV').setInputFiles({ name: 'p.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await page.getByTestId('products-notice').getByText('Imported: 5 added, 0 updated').waitFor();
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Till' }).click();
    // One sale issued (so a receipt is shown), then a second one being rung up with a split payment.
    await page.getByTestId('quick-key').first().waitFor();
    await page.getByTestId('quick-key').filter({ hasText: 'Bread' }).click();
    await page.getByRole('button', { name: /^Charge/ }).click();
    await page
      .getByTestId('till-notice')
      .getByText(/issued$/)
      .waitFor();
    await page.getByTestId('receipt-preview').waitFor();
    await page.getByTestId('quick-key').filter({ hasText: 'Rice' }).click();
    await page.getByTestId('quick-key').filter({ hasText: 'Water' }).click();
    await page.getByRole('button', { name: 'Split payment' }).click();
    await page.getByLabel('Payment 1 amount').fill('5000');
    await page.getByLabel('Payment 2 amount').fill('3750');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const [width, height] of [
    [1366, 768],
    [1024, 768],
    [800, 600],
  ] as const) {
    it(`${width}×${height}: nothing overflows, collapses or overlaps; touch-sized targets`, async () => {
      await page.setViewportSize({ width, height });
      await poll(() => page.evaluate(() => window.innerWidth)).toBe(width);
      expect(await layoutProblems(page)).toEqual([]);
      // The item field keeps room to type a name in.
      expect((await page.getByLabel('Item', { exact: true }).boundingBox())!.width).toBeGreaterThanOrEqual(120);
      if (width === 1024) await page.screenshot({ path: join(SCREENSHOTS, 'till-1024x768.png') });
    }, 30_000);
  }
});
