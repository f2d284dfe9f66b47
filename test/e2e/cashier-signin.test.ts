// Cashier sign-in on the till in real Chromium (browser mode): a shop with cashier PINs asks who is
// at the till (keyboard first, then the on-screen number pad), a wrong PIN is refused in words, the
// header names the cashier with "Switch cashier", and each sale (and its receipt) carries the name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { cli, setupCli } from '../support/fixture';
import { launchChromium, poll, SCREENSHOTS, startServer, tempData, type Browser, type Server } from './support';

const MANAGER_PIN = '246810';

describe('cashier sign-in on the till (Chromium)', () => {
  let dir: string;
  let server: Server;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    dir = tempData();
    const pinFile = join(dir, 'manager.pin');
    writeFileSync(pinFile, `${MANAGER_PIN}\n`);
    expect(setupCli(dir, undefined, ['--manager-pin-file', pinFile]).code).toBe(0);
    expect(cli(dir, ['set-pin', '--cashier', 'Ada', '--pin-file', '-'], '1357\n').code).toBe(0);
    expect(cli(dir, ['set-pin', '--cashier', 'Bola', '--pin-file', '-'], '2468\n').code).toBe(0);
    server = await startServer(dir);
    browser = await launchChromium();
    page = await browser.context.newPage();
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The API as this browser (its session cookie): what the till's own requests see. */
  const api = async (channel: string, body: unknown) => {
    const cookie = (await browser.context.cookies(server.origin)).map((c) => `${c.name}=${c.value}`).join('; ');
    const res = await fetch(`${server.origin}/api/invoke/${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify(body),
    });
    return (await res.json()) as { ok: boolean; result?: Record<string, unknown>; error?: { code: string; message: string } };
  };

  const sell = async (item: string) => {
    await page.getByLabel('Item', { exact: true }).fill(item);
    await page.getByLabel('Quantity').fill('1');
    await page.getByLabel('Price').fill('1075');
    await page.getByLabel('Price').press('Enter');
    await poll(() => page.getByTestId('sale-line').count()).toBe(1);
    await page.getByLabel('Cash tendered').fill('1075');
    await page.getByLabel('Cash tendered').press('Control+Enter');
    await page
      .getByTestId('till-notice')
      .getByText(/^Invoice \S+ issued$/)
      .waitFor({ timeout: 15_000 });
    const number = (await page.getByTestId('till-notice').textContent())!.split(' ')[1]!;
    await page.locator(`[data-testid=sale-row][data-invoice-number="${number}"]`).waitFor();
    return number;
  };

  /** The selected sale's receipt text as the printer would print it (the till's preview of it). */
  const receiptText = (number: string) =>
    poll(async () => {
      if ((await page.getByTestId('receipt-number').textContent()) !== number) return '';
      return (await page.getByTestId('receipt-text').textContent()) ?? '';
    });

  it('asks who is at the till before the till opens; keyboard: name, wrong PIN refused in words', async () => {
    await page.goto(server.url);
    const form = page.getByRole('form', { name: 'Cashier sign-in' });
    await form.waitFor();
    expect(await page.getByRole('region', { name: 'New sale' }).count()).toBe(0);
    // Keyboard first: the first name has the focus; Enter picks it and moves to the PIN.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Ada');
    await page.keyboard.press('Enter');
    expect(await form.getByRole('button', { name: 'Ada' }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Cashier PIN');
    await page.keyboard.type('2468'); // Bola's PIN under Ada's name
    await page.keyboard.press('Enter');
    await poll(() => page.getByTestId('signin-error').textContent()).toBe('wrong PIN');
    expect(await page.getByLabel('Cashier PIN').inputValue()).toBe('');
    expect(await page.getByRole('region', { name: 'New sale' }).count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'cashier-sign-in.png') });
  }, 60_000);

  it('touch: the number pad signs Ada in; the header names her; her sale and its receipt carry her name', async () => {
    const pad = page.getByRole('group', { name: 'Number pad' });
    for (const d of ['1', '3', '5', '9']) await pad.getByRole('button', { name: d, exact: true }).click();
    await pad.getByRole('button', { name: 'Delete last digit' }).click();
    await pad.getByRole('button', { name: '7', exact: true }).click();
    expect(await page.getByLabel('Cashier PIN').inputValue()).toBe('1357');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('region', { name: 'New sale' }).waitFor();
    expect(await page.getByTestId('signed-in-cashier').textContent()).toMatch(/Cashier: Ada/);
    await receiptText(await sell('Soap')).toMatch(/Cashier\s+Ada/);
  }, 60_000);

  it('"Switch cashier" goes back to the sign-in; Bola signs in and her sale names her', async () => {
    await page.getByRole('button', { name: 'Switch cashier' }).click();
    await page.getByRole('form', { name: 'Cashier sign-in' }).waitFor();
    // The server forgot Ada for this browser: a sale sent now is refused, naming why.
    expect(await api('app.state', {})).toMatchObject({ ok: true, result: { cashier: null, cashiers: ['Ada', 'Bola'] } });
    await page.getByRole('button', { name: 'Bola' }).click();
    await page.keyboard.type('2468');
    await page.keyboard.press('Enter');
    await page.getByRole('region', { name: 'New sale' }).waitFor();
    expect(await page.getByTestId('signed-in-cashier').textContent()).toMatch(/Cashier: Bola/);
    await receiptText(await sell('Bread')).toMatch(/Cashier\s+Bola/);
    await page.screenshot({ path: join(SCREENSHOTS, 'cashier-signed-in.png') });
  }, 60_000);
});
