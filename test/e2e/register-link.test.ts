// The register link in the real app (`serve`): a TCP print link configured with the CLI, bills
// printed to it over loopback become invoices; the connection strip shows the link; the manager's
// "Test this template" view parses a captured and a pasted receipt in Chromium and highlights the
// lines nothing matched. Screenshot under test-results/ (docs/screenshots with TPOS_SCREENSHOTS=update).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { Page } from 'playwright-core';
import { cli, setupCli } from '../support/fixture';
import { openDatabase } from '../../main/ledger/database';
import { AppSettings } from '../../main/app/settings';
import { ManagerPin } from '../../main/app/manager-pin';
import { launchChromium, SCREENSHOTS, startServer, tempData, type Browser, type Server } from './support';
import { printJob, until } from '../register-link/support';
import { restaurantBill, SAMPLE_DISHES } from '../register-link/sample-receipts';

const PIN = '246810';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('register link in Chromium (browser mode)', () => {
  let dir: string;
  let server: Server;
  let browser: Browser;
  let page: Page;
  let port: number;
  const invoices = () => {
    const db = openDatabase(join(dir, 'ledger.db'));
    try {
      return db.prepare("SELECT COUNT(*) FROM invoices WHERE source = 'register-link'").pluck().get() as number;
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    dir = tempData();
    expect(setupCli(dir).code).toBe(0);
    const db = openDatabase(join(dir, 'ledger.db'));
    new ManagerPin(new AppSettings(db)).set(PIN);
    db.close();
    port = await freePort();
    const add = cli(dir, [
      'register-link',
      'add',
      '--id',
      'till-1',
      '--mode',
      'print',
      '--tcp',
      `127.0.0.1:${port}`,
      '--template',
      'ng-restaurant',
    ]);
    expect(add.code, add.stderr).toBe(0);
    server = await startServer(dir);
    browser = await launchChromium();
    page = await browser.context.newPage();
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serve listens on the print port: a bill becomes an invoice, a bill that does not add up is captured for review; the strip shows the link', async () => {
    const at = new Date(Date.now() - 120_000);
    // The port opens with the services; the register retries like a real one would.
    const send = async (bytes: Buffer) => {
      for (let i = 0; ; i++) {
        try {
          await printJob(port, bytes);
          return;
        } catch (e) {
          if (i > 100) throw e;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    };
    await send(restaurantBill(901, [SAMPLE_DISHES[0]!, SAMPLE_DISHES[1]!], { at, pay: 'Card' }));
    const bad = restaurantBill(902, [SAMPLE_DISHES[2]!], { at, pay: 'Cash' })
      .toString('latin1')
      .replace(/Total( +)3,762\.50/, 'Total$13,700.00');
    await send(Buffer.from(bad, 'latin1'));
    await until(() => invoices() === 1, 'the invoice');
    await page.goto(server.url);
    await page
      .getByTestId('strip-register-link-till-1')
      .getByText(/Register till-1: (listening|connected)/)
      .waitFor();
  }, 60_000);

  it('the template tester: a captured receipt that does not reconcile, then a pasted one with a line the template does not know, highlighted', async () => {
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Manager' }).click();
    await page.getByLabel('Manager PIN').fill(PIN);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('navigation', { name: 'Manager sections' }).getByRole('button', { name: 'Register link' }).click();
    const row = page.getByTestId('link-till-1');
    await row
      .locator('.badge')
      .getByText(/^(listening|connected)$/)
      .waitFor();
    expect(await row.locator('td').nth(4).textContent()).toBe('1'); // issued
    expect(await row.locator('td').nth(5).textContent()).toBe('1'); // review

    const tester = page.getByRole('region', { name: 'Test this template' });
    await tester.getByLabel('Template', { exact: true }).selectOption('ng-restaurant');
    const capture = tester.getByLabel('Captured receipt');
    const reviewOption = capture.locator('option', { hasText: 'review' });
    await capture.selectOption({ value: (await reviewOption.getAttribute('value')) ?? '' });
    await tester.getByRole('button', { name: 'Test this template' }).click();
    await expect
      .poll(() => tester.getByTestId('template-outcome').textContent())
      .toBe('Would go to review: the items add up to 3762.50 but the printed total is 3700.00');

    await capture.selectOption('');
    const pasted = [
      'MAMA PUT KITCHEN',
      'Bill No. 77        2026-11-29 12:40',
      'Table 2',
      '--------------------------------',
      '2 x 1,500.00',
      'Jollof Rice              3,000.00',
      '1 x 800.00',
      'Zobo 50cl                  800.00',
      'Service charge 5%          190.00',
      '--------------------------------',
      'Subtotal                 3,800.00',
      'VAT 7.5%                   285.00',
      'Total                    4,085.00',
      'Paid by Card             4,085.00',
    ].join('\n');
    await tester.getByLabel(/Receipt text/).fill(pasted);
    await tester.getByRole('button', { name: 'Test this template' }).click();
    await expect
      .poll(() => tester.getByTestId('template-outcome').textContent())
      .toMatch(/^Reconciles: would issue ng-restaurant-20261129-77 — total ₦4,085\.00, VAT ₦285\.00$/);
    const unmatched = tester.locator('tr[data-field=unmatched]');
    expect(await unmatched.count()).toBe(1);
    expect(await unmatched.textContent()).toContain('Service charge 5%');
    expect(await tester.locator('tr[data-field=item]').count()).toBe(4); // two items, two lines each
    await unmatched.scrollIntoViewIfNeeded(); // the highlighted line in view
    await page.screenshot({ path: join(SCREENSHOTS, 'register-link-template-tester.png') });
  }, 60_000);
});
