// Acceptance: a newcomer opens the printed URL, clicks "Try the demo store", and a sale becomes
// an invoice with a receipt whose QR decodes, labelled DEMO and never reported.
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { decodeQrPng, launchChromium, startNpmStart, startServer, tempData, type Browser, type Server, poll } from './support';

describe('`npm start` → demo store in Chromium (acceptance)', () => {
  let dir: string;
  let server: Server;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    dir = tempData();
    server = await startNpmStart(dir); // exactly what a newcomer runs
    expect(server.output()).toMatch(/starting browser mode/);
    browser = await launchChromium();
    page = await browser.context.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('goes from the printed URL to a demo sale with a decodable receipt QR', async () => {
    onTestFailed(() => console.log(`npm start output:\n${server.output()}`));
    const started = Date.now();
    await page.goto(server.url);
    await page.getByRole('button', { name: /Try the demo store/ }).click();
    await page.getByTestId('demo-badge').waitFor();
    expect(await page.getByTestId('demo-pin').textContent()).toMatch(/Demo manager PIN: \d{4,8}/);

    await page.getByRole('button', { name: 'Simulate a sale now' }).click();
    const row = page.getByTestId('sale-row').first();
    await row.waitFor({ timeout: 15_000 });
    expect(await row.textContent()).toContain('DEMO');
    await poll(() => page.getByTestId('strip-online').textContent()).toBe('Demo store: nothing is reported');
    const number = await row.getAttribute('data-invoice-number');
    await poll(() => page.getByTestId('receipt-number').textContent(), { timeout: 15_000 }).toBe(number);
    // The receipt preview (what the printer prints) says the demo is not reported, and promises nothing.
    await poll(() => page.getByTestId('receipt-text').textContent(), { timeout: 15_000 }).toMatch(/DEMO — not reported/);
    expect(await page.getByTestId('receipt-text').textContent()).not.toMatch(/Pending report|reported within/);

    // The invoice's QR string as the service holds it, read through the page's own session.
    const detail = await page.evaluate(async (n) => {
      const list = await (
        await fetch('/api/invoke/invoices.listByDay', {
          signal: AbortSignal.timeout(15_000),
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ date: new Date(Date.now() + 3600_000).toISOString().slice(0, 10), search: n }),
        })
      ).json();
      const irn = list.result.items[0].irn;
      return (
        await (
          await fetch('/api/invoke/invoices.get', {
            signal: AbortSignal.timeout(15_000),
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ irn }),
          })
        ).json()
      ).result;
    }, number);
    expect(detail).toMatchObject({ invoice_number: number, demo: true, status: 'demo', attempts: [] });

    const shot = await page.locator('[data-testid=receipt] [data-testid=qr] canvas').screenshot();
    expect(decodeQrPng(shot)).toBe(detail.qr);
    console.log(`demo acceptance: URL → demo sale → decodable receipt QR in ${Date.now() - started} ms of scripted clicking`);
  }, 60_000);

  it('recovers when the service restarts: the strip says so, a sale charged meanwhile is kept, the socket reconnects, pushed sales arrive', async () => {
    const port = new URL(server.origin).port;
    const before = await page.getByTestId('sale-row').count();
    await server.stop();
    await poll(() => page.getByTestId('strip').textContent(), { timeout: 15_000 }).toMatch(/link lost/i);
    // A sale charged while the service is down is refused with a reason and kept on screen.
    await page.getByLabel('Item', { exact: true }).fill('Sugar 1kg');
    await page.getByLabel('Price').fill('1500');
    await page.getByLabel('Price').press('Control+Enter');
    await page
      .getByTestId('till-error')
      .getByText(/cannot reach the TaxPoynt POS service/)
      .waitFor();
    await poll(() => page.getByTestId('sale-line').count()).toBe(1);
    server = await startServer(dir, [], 20_000, port);
    await poll(() => page.getByTestId('strip').textContent(), { timeout: 20_000 }).not.toMatch(/link lost/i);
    // Charged again once the service is back: issued exactly once.
    await page.getByLabel('Item', { exact: true }).press('Control+Enter');
    await page
      .getByTestId('till-notice')
      .getByText(/^Invoice \S+ issued$/)
      .waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('sale-line').count()).toBe(0);
    // A sale made elsewhere (a second client, with the bearer secret) is pushed to this page.
    const res = await fetch(`${server.origin}/api/invoke/demo.sale`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
      body: '{}',
    });
    expect(res.status).toBe(200);
    const { result } = (await res.json()) as { result: { invoice: { invoice_number: string } } };
    await page.locator(`[data-testid=sale-row][data-invoice-number="${result.invoice.invoice_number}"]`).waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('sale-row').count()).toBeGreaterThan(before);
  }, 60_000);
});
