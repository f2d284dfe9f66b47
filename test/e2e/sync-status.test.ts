// Reporting as the cashier and the manager see it, against a loopback FIRS/NRS stand-in: live
// status changes in the till, the rejected invoice with the platform's details in the sync screen
// and the invoice detail, and "send again" once the cause is fixed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { BUSINESS, keyPair } from '../support/fixture';
import { startFakeFirs, type FakeFirs } from '../fakes/firs-server';
import { launchChromium, startServer, tempData, type Browser, type Server, poll } from './support';
import { toLagos } from '../../shared/domain/lagos-time';

const PIN = '864200';
const DETAILS = 'accounting_customer_party.tin: TIN 00000000-0000 is not registered';

describe('reporting status in Chromium against a FIRS stand-in', () => {
  let dir: string;
  let server: Server;
  let firs: FakeFirs;
  let browser: Browser;
  let page: Page;
  const irnOf = (n: number) =>
    `${BUSINESS.terminal}${String(n).padStart(8, '0')}-${BUSINESS.service_id}-${toLagos(new Date()).compactDate}`;
  const row = (n: number) =>
    page.locator(`[data-testid=sale-row][data-invoice-number="${BUSINESS.terminal}${String(n).padStart(8, '0')}"]`);

  beforeAll(async () => {
    firs = await startFakeFirs();
    dir = tempData();
    server = await startServer(dir);
    const res = await fetch(`${server.origin}/api/invoke/setup.configure`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
      body: JSON.stringify({
        business: BUSINESS,
        cryptoKeys: keyPair().keysFileJson,
        managerPin: PIN,
        firs: { baseUrl: firs.url, apiKey: firs.apiKey, apiSecret: firs.apiSecret },
      }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    browser = await launchChromium();
    page = await browser.context.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await firs?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('the till shows each sale move to reported, or rejected, as the platform answers', async () => {
    firs.rejectIrns.set(irnOf(1), DETAILS);
    await page.goto(server.url);
    // Back to back, as at a busy till: the next sale is typed while the last one may still be in flight.
    for (const [i, price] of ['2500', '1200'].entries()) {
      await page.getByLabel('Item', { exact: true }).fill('Bread');
      await page.getByLabel('Price').fill(price);
      await page.getByLabel('Price').press('Enter');
      await page.getByLabel('Item', { exact: true }).press('Control+Enter');
      await row(i + 1).waitFor();
    }
    await row(2).getByTestId('status').getByText('reported', { exact: true }).waitFor({ timeout: 20_000 });
    await row(1).getByTestId('status').getByText('rejected', { exact: true }).waitFor({ timeout: 20_000 });
    expect(firs.signed.has(irnOf(2))).toBe(true);
    expect(firs.signed.has(irnOf(1))).toBe(false);
    await poll(() => page.getByTestId('strip-online').textContent()).toMatch(/^Online/);
  }, 60_000);

  it("the manager sees the rejection with the platform's details, and sends it again once fixed", async () => {
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Manager' }).click();
    await page.getByLabel('Manager PIN').fill(PIN);
    await page.getByRole('button', { name: 'Unlock' }).click();

    await page.getByRole('button', { name: 'Sync', exact: true }).click();
    const problems = page.getByTestId('problems');
    await problems.waitFor({ timeout: 15_000 });
    expect(await problems.textContent()).toContain(`${BUSINESS.terminal}00000001`);
    expect(await problems.textContent()).toContain('rejected');
    await problems.getByText('details').first().click();
    expect(await problems.textContent()).toContain('is not registered');

    // The invoice detail lists the attempt with the platform's answer.
    await page.getByRole('button', { name: 'Invoices' }).click();
    await page.getByLabel('Search invoices').fill(`${BUSINESS.terminal}00000001`);
    await poll(() => page.getByTestId('day-count').textContent()).toBe('1');
    await page.getByTestId('day-row').first().click();
    const attempts = page.getByTestId('attempts');
    await attempts.waitFor();
    expect(await attempts.textContent()).toMatch(/rejected/i);
    expect(await attempts.textContent()).toContain('is not registered');

    // The customer's TIN gets registered: send it again from the sync screen.
    firs.rejectIrns.delete(irnOf(1));
    await page.getByRole('button', { name: 'Sync', exact: true }).click();
    await page.getByTestId('problems').getByRole('button', { name: 'Send again' }).click();
    await page.getByText('Queued again').waitFor();
    await poll(() => firs.signed.has(irnOf(1)), { timeout: 20_000 }).toBe(true);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByText('Nothing has failed.').waitFor({ timeout: 15_000 });
  }, 60_000);
});
