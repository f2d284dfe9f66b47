// The terminal in a real browser against the real store server: setup wizard (with a bad keys
// file first), a keyboard-entered sale, its receipt QR decoded from pixels, reprint COPY, refund,
// the manager PIN gate, day totals against the ledger, and a CSV export. Screenshots for the README.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { BUSINESS, cli, decryptQr, keyPair } from '../support/fixture';
import { decodeQrPng, launchChromium, SCREENSHOTS, startServer, tempData, type Browser, type Server, poll } from './support';
import { formatNaira, parseKobo } from '../../shared/domain/money';
import { toLagos } from '../../shared/domain/lagos-time';
import { INVOICE_TYPE } from '../../shared/domain/firs-invoice';

const CREDIT_NOTE = INVOICE_TYPE.creditNote; // FIRS codes: invoice 381, credit note 380

const PIN = '246810';

interface LedgerRow {
  irn: string;
  invoice_number: string;
  type: string;
  original_irn: string | null;
  totals: { payable: string; tax: string };
}

describe('till and manager in Chromium (browser mode)', () => {
  let dir: string;
  let server: Server;
  let browser: Browser;
  let page: Page;
  const today = () => toLagos(new Date()).date;
  const ledger = (): LedgerRow[] => {
    const r = cli(dir, ['invoices', '--date', today(), '--json']);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as LedgerRow[];
  };

  beforeAll(async () => {
    dir = tempData();
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

  it('refuses the API without the per-install secret (401 JSON)', async () => {
    const res = await fetch(`${server.origin}/api/invoke/app.state`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('first run: the setup wizard rejects a bad crypto_keys.txt with a readable error, then sets up', async () => {
    await page.goto(server.url);
    await page.getByRole('button', { name: /Set up my business/ }).click();
    const form = page.getByRole('form', { name: 'Business setup' });
    await form.locator('input[name=name]').fill(BUSINESS.name);
    await form.locator('input[name=tin]').fill(BUSINESS.tin);
    await form.locator('input[name=email]').fill(BUSINESS.email);
    await form.locator('input[name=business_id]').fill(BUSINESS.business_id);
    await form.locator('input[name=service_id]').fill(BUSINESS.service_id);
    await form.locator('input[name=terminal]').fill(BUSINESS.terminal);
    // NRS v1.1: the postal address with the state and LGA pickers, and the default classification.
    await form.locator('input[name=street]').fill(BUSINESS.street);
    await form.locator('input[name=city]').fill(BUSINESS.city);
    await form.locator('input[name=postal_zone]').fill(BUSINESS.postal_zone);
    await form.locator('select[name=state]').selectOption(BUSINESS.state);
    await form.locator('input[name=lga]').fill(BUSINESS.lga);
    await form.locator('input[name=classification]').fill(`${BUSINESS.default_hs_code} Soap for toilet use`);
    await form.locator('input[name=pin]').fill(PIN);
    await form.locator('input[name=pin2]').fill(PIN);

    // Not the FIRS file at all: caught on import, before anything is sent.
    await form
      .locator('input[name=keys]')
      .setInputFiles({ name: 'crypto_keys.txt', mimeType: 'text/plain', buffer: Buffer.from('hello, I am not a key') });
    await poll(() => page.getByTestId('keys-error').textContent()).toMatch(/crypto_keys\.txt: this is not the file from the FIRS portal/);

    // The right shape but not a key: the service's cryptographic check answers, in words.
    await form.locator('input[name=keys]').setInputFiles({
      name: 'crypto_keys.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(JSON.stringify({ public_key: Buffer.from('not a pem').toString('base64'), certificate: 'abc' })),
    });
    await form.getByRole('button', { name: /Save and open the till/ }).click();
    await poll(() => page.getByTestId('setup-error').textContent()).toMatch(/crypto_keys\.txt/);
    expect(cli(dir, ['status']).stdout).not.toMatch(/Ade Stores/); // nothing half-written

    await form
      .locator('input[name=keys]')
      .setInputFiles({ name: 'crypto_keys.txt', mimeType: 'text/plain', buffer: Buffer.from(keyPair().keysFileJson) });
    // A 4-digit manager PIN is refused with the rule in words (cashier PINs may be 4 digits).
    await form.locator('input[name=pin]').fill('2468');
    await form.locator('input[name=pin2]').fill('2468');
    await form.getByRole('button', { name: /Save and open the till/ }).click();
    await poll(() => form.textContent()).toMatch(/PIN: must be 6 to 8 digits \(a manager PIN is longer than a cashier PIN\)/);
    await form.locator('input[name=pin]').fill(PIN);
    await form.locator('input[name=pin2]').fill(PIN);
    await form.getByRole('button', { name: /Save and open the till/ }).click();
    await page.getByRole('region', { name: 'New sale' }).waitFor();
    await poll(() => page.locator('.topbar').textContent()).toContain(BUSINESS.name);
    expect(await page.getByTestId('demo-badge').count()).toBe(0);
    // Right after setup the manager area asks for the PIN (whoever is at the till next must not find it open).
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Manager' }).click();
    await page.getByRole('form', { name: 'Manager unlock' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Manager sections' }).count()).toBe(0);
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Till' }).click();
    await page.getByRole('region', { name: 'New sale' }).waitFor();
  }, 60_000);

  let irn = '';
  let number = '';

  it('a keyboard-entered sale appears in the till with its invoice number, totals kobo-exact', async () => {
    const item = page.getByLabel('Item', { exact: true });
    await item.fill('Rice 5kg');
    await page.getByLabel('Quantity').fill('2');
    await page.getByLabel('Price').fill('8600');
    await page.getByLabel('Price').press('Enter');
    await poll(() => page.getByTestId('sale-line').count()).toBe(1);
    // Enter returned focus to the item field: the next line is typed straight away.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Item');
    await page.keyboard.type('Water 75cl');
    await page.getByLabel('Quantity').fill('3');
    await page.getByLabel('Price').fill('150.50');
    await page.getByLabel('VAT category').selectOption('ZERO_VAT');
    await page.getByLabel('Price').press('Enter');
    await poll(() => page.getByTestId('sale-line').count()).toBe(2);

    // 2 × 8,600.00 (VAT 7.5% inclusive) + 3 × 150.50 zero-rated = 17,651.50; VAT = 17200 × 7.5/107.5 = 1,200.00
    expect(await page.getByTestId('total-payable').textContent()).toBe('₦17,651.50');
    expect(await page.getByTestId('total-vat').textContent()).toBe('₦1,200.00');
    await page.getByLabel('Cash tendered').fill('20000');
    expect(await page.getByTestId('total-change').textContent()).toBe('₦2,348.50');
    await page.getByLabel('Cash tendered').press('Control+Enter');

    await page
      .getByTestId('till-notice')
      .getByText(/^Invoice \S+ issued$/)
      .waitFor({ timeout: 15_000 });
    number = (await page.getByTestId('till-notice').textContent())!.split(' ')[1]!;
    const rows = ledger();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.invoice_number).toBe(number);
    expect(rows[0]!.totals.payable).toBe('17651.50');
    irn = rows[0]!.irn;
    const row = page.locator(`[data-testid=sale-row][data-invoice-number="${number}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('₦17,651.50');
    expect(await page.getByTestId('receipt-number').textContent()).toBe(number);
    // The strip counts it at once: one receipt waiting to report (no FIRS connection configured yet).
    await poll(() => page.getByTestId('strip-queue').textContent()).toBe('Waiting to report: 1');
    expect(await page.getByTestId('strip-age').getAttribute('data-level')).toBe('ok');
    expect(await page.getByTestId('strip-online').textContent()).toMatch(/^Reporting not set up/);
    await page.screenshot({ path: join(SCREENSHOTS, 'till.png') });
  }, 60_000);

  it("the receipt's QR decodes (from screen pixels) to the invoice's QR string", async () => {
    const qrFromCli = cli(dir, ['qr', irn]).stdout.trim();
    const shot = await page.locator('[data-testid=receipt] [data-testid=qr] canvas').screenshot();
    const decoded = decodeQrPng(shot);
    expect(decoded).toBe(qrFromCli);
    // The stamp inside is the IRN with its signing timestamp (FIRS QR format: "IRN.unix-time").
    const stamp = JSON.parse(decryptQr(decoded!)) as { irn: string };
    expect(stamp.irn.startsWith(`${irn}.`) && /^\d+$/.test(stamp.irn.slice(irn.length + 1))).toBe(true);
  }, 30_000);

  it('the printer preview image carries the same QR', async () => {
    const img = page.getByTestId('receipt-preview');
    await img.waitFor({ timeout: 15_000 });
    const src = (await img.getAttribute('src'))!;
    const png = Buffer.from(src.replace(/^data:image\/png;base64,/, ''), 'base64');
    expect(decodeQrPng(png)).toBe(cli(dir, ['qr', irn]).stdout.trim());
  }, 30_000);

  it('a reprint is marked COPY', async () => {
    expect(await page.getByTestId('copy-mark').count()).toBe(0);
    // The original printed by itself (the virtual printer); the panel follows the pushed update.
    await page.getByTestId('print-state').getByText('printed', { exact: true }).waitFor({ timeout: 15_000 });
    await page.keyboard.press('F9');
    await page.getByTestId('copy-mark').waitFor();
    expect(await page.getByTestId('copy-mark').textContent()).toBe('COPY');
    expect(await page.getByTestId('receipt-text').textContent()).toMatch(/C O P Y/); // the printed receipt's banner
    expect(await page.getByTestId('till-notice').textContent()).toMatch(/COPY/);
  }, 30_000);

  it('a refund of one line quantity becomes a credit note pointing at the invoice', async () => {
    await page.keyboard.press('F4');
    const dialog = page.getByRole('dialog', { name: 'Refund' });
    // The amount to hand back is on screen before anything is issued, and follows the quantity.
    expect(await dialog.getByTestId('refund-amount').textContent()).toBe('Hand back: ₦0.00');
    await dialog.getByLabel('Refund quantity for Rice 5kg').fill('1');
    await poll(() => dialog.getByTestId('refund-amount').textContent()).toBe('Hand back: ₦8,600.00');
    expect(ledger().some((r) => r.type === CREDIT_NOTE)).toBe(false);
    await dialog.getByRole('button', { name: 'Issue credit note' }).click();
    await page
      .getByTestId('till-notice')
      .getByText(/^Credit note \S+ issued$/)
      .waitFor({ timeout: 15_000 });
    const credit = ledger().find((r) => r.type === CREDIT_NOTE);
    expect(credit).toMatchObject({ original_irn: irn, totals: { payable: '8600.00' } });
    await page.locator(`[data-testid=sale-row][data-invoice-number="${credit!.invoice_number}"]`).waitFor();
    // The original now says how much of it went back (from its credit notes in the ledger).
    const original = page.locator(`[data-testid=sale-row][data-invoice-number="${number}"]`);
    await poll(() => original.getByTestId('refund-state').textContent()).toBe('partly refunded ₦8,600.00');
    expect(
      await page.locator(`[data-testid=sale-row][data-invoice-number="${credit!.invoice_number}"]`).getByTestId('refund-state').count(),
    ).toBe(0);
  }, 30_000);

  it('the manager area is behind the PIN (and so is its API)', async () => {
    // Setting up left the manager locked; a reload keeps the session (the cookie) and the lock.
    await page.reload();
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Manager' }).click();
    await page.getByRole('form', { name: 'Manager unlock' }).waitFor();
    const locked = await page.evaluate(async (date) => {
      const r = await fetch('/api/invoke/reports.daySummary', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ date }),
      });
      return { status: r.status, body: await r.json() };
    }, today());
    expect(locked).toMatchObject({ status: 403, body: { ok: false, error: { code: 'locked' } } });

    await page.getByLabel('Manager PIN').fill('9999');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByTestId('pin-error').waitFor();
    await page.getByLabel('Manager PIN').fill(PIN);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('navigation', { name: 'Manager sections' }).waitFor();
  }, 30_000);

  it("the day view's totals equal the ledger's", async () => {
    const rows = ledger();
    const net = rows.reduce((sum, r) => sum + (r.type === CREDIT_NOTE ? -1 : 1) * parseKobo(r.totals.payable), 0);
    const vat = rows.reduce((sum, r) => sum + (r.type === CREDIT_NOTE ? -1 : 1) * parseKobo(r.totals.tax), 0);
    await poll(() => page.getByTestId('day-count').textContent()).toBe(String(rows.length));
    await poll(() => page.getByTestId('day-payable').textContent()).toBe(formatNaira(net));
    expect(await page.getByTestId('day-vat').textContent()).toBe(formatNaira(vat));
    expect(await page.getByTestId('day-row').count()).toBe(rows.length);
    // Newest first, like the till: the credit note (issued last) on top, the sale below it.
    const creditNumber = rows.find((r) => r.type === CREDIT_NOTE)!.invoice_number;
    expect(await page.getByTestId('day-row').first().textContent()).toContain(creditNumber);
    expect(await page.getByTestId('day-row').last().textContent()).toContain(number);
    // The placeholder shows this shop's own number and IRN formats.
    expect(await page.getByLabel('Search invoices').getAttribute('placeholder')).toBe(
      `e.g. ${BUSINESS.terminal}00000123, ${BUSINESS.terminal}00000123-${BUSINESS.service_id}-${today().replaceAll('-', '')}, rice, 1500.00`,
    );
    // Search by invoice number narrows the list to that invoice.
    await page.getByLabel('Search invoices').fill(number);
    await poll(() => page.getByTestId('day-count').textContent()).toBe('1');
    // Search finds item names: water only on the sale; rice on the sale and its refund.
    await page.getByLabel('Search invoices').fill('water');
    await poll(() => page.getByTestId('day-count').textContent()).toBe('1');
    expect(await page.getByTestId('day-row').first().textContent()).toContain(number);
    await page.getByLabel('Search invoices').fill('Rice 5');
    await poll(() => page.getByTestId('day-count').textContent()).toBe('2');
    await page.getByLabel('Search invoices').fill('');
    await poll(() => page.getByTestId('day-count').textContent()).toBe(String(rows.length));
    await page.getByTestId('day-row').filter({ hasText: number }).click();
    await page.getByTestId('invoice-detail').waitFor();
    // The detail carries the FIRS JSON, the chain link and the QR of that invoice.
    await poll(() => page.getByTestId('firs-json').count()).toBe(1);
    const firsJson = JSON.parse((await page.getByTestId('firs-json').textContent())!) as { irn: string };
    expect(firsJson.irn).toBe(irn);
    expect(await page.getByTestId('invoice-detail').getByTestId('refund-state').textContent()).toBe('partly refunded ₦8,600.00');
    expect(await page.getByTestId('invoice-detail').textContent()).toMatch(/#1 · prev [0-9a-f]{16}… → [0-9a-f]{16}…/);
    expect(decodeQrPng(await page.getByTestId('invoice-detail').getByTestId('qr').locator('canvas').screenshot())).toBe(
      cli(dir, ['qr', irn]).stdout.trim(),
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'invoice-detail.png') });

    await page.getByRole('button', { name: 'Day summary' }).click();
    await poll(() => page.getByTestId('sum-gross').textContent()).toBe(formatNaira(net));
    expect(await page.getByTestId('sum-vat').textContent()).toBe(formatNaira(vat));
    await page.getByTestId('hour-chart').waitFor();
  }, 30_000);

  it('a CSV export holds one row per invoice and credit note of the day', async () => {
    await page.getByRole('button', { name: 'Exports' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const file = await download.path();
    const csv = readFileSync(file, 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    const rows = ledger();
    expect(lines).toHaveLength(rows.length + 1); // header + rows
    for (const r of rows) {
      const line = lines.find((l) => l.includes(r.irn));
      expect(line, `CSV row for ${r.invoice_number}`).toBeDefined();
      expect(line).toContain(r.invoice_number);
      expect(line).toContain(r.totals.payable);
    }
    await page.getByTestId('export-result').waitFor();
  }, 30_000);
  it("Z report: the ledger's totals, closing the day gives it a number, PDF export", async () => {
    const rows = ledger();
    const net = rows.reduce((sum, r) => sum + (r.type === CREDIT_NOTE ? -1 : 1) * parseKobo(r.totals.payable), 0);
    await page.getByRole('button', { name: 'Z report' }).click();
    await poll(() => page.getByTestId('sum-gross').textContent()).toBe(formatNaira(net));
    expect(await page.getByTestId('z-report').textContent()).toContain('not closed');
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Close the day' }).click();
    await poll(() => page.getByRole('button', { name: /Closed \(Z \d+\)/ }).count()).toBe(1);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export PDF' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
    expect(
      readFileSync(await download.path())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  }, 30_000);

  it('sync status and settings: retry now, test print, a connection test that names what is missing', async () => {
    await page.getByRole('button', { name: 'Sync' }).click();
    await page.getByText('Nothing has failed.').waitFor();
    await page.getByRole('button', { name: 'Retry now' }).click();
    await page.getByText('Retrying now').waitFor();

    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('region', { name: 'Receipt printer' }).getByRole('button', { name: 'Test print' }).click();
    await poll(() => page.getByRole('region', { name: 'Receipt printer' }).textContent()).toMatch(/Printed: /);
    await page.getByRole('region', { name: 'FIRS / NRS connection' }).getByRole('button', { name: 'Test connection' }).click();
    await poll(() => page.getByTestId('test-firs').textContent()).toMatch(/^Failed: \S/);
    // Secrets are write-only: the FIRS key field never shows a stored value.
    expect(await page.getByRole('region', { name: 'FIRS / NRS connection' }).locator('input[type=password]').first().inputValue()).toBe('');

    // Errors appear next to the field they concern, not only in a banner at the top.
    const firs = page.getByRole('region', { name: 'FIRS / NRS connection' });
    const baseUrl = firs.locator('label', { hasText: 'Base URL' });
    await baseUrl.locator('input').fill('not a url');
    await firs.getByRole('button', { name: 'Save', exact: true }).click();
    await baseUrl.getByTestId('field-error-firs.baseUrl').waitFor();
    expect(await baseUrl.locator('input').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('p.error[role=alert]').count()).toBe(0); // nothing left for the general message
    await baseUrl.locator('input').fill('https://');
    expect(await baseUrl.getByTestId('field-error-firs.baseUrl').count()).toBe(0); // editing the field clears its error

    const pinSection = page.getByRole('region', { name: 'Manager PIN' });
    await pinSection.getByLabel('Current PIN').fill('999999');
    await pinSection.getByLabel('New PIN (6–8 digits)').fill('13579135');
    await pinSection.getByRole('button', { name: 'Change PIN' }).click();
    const current = pinSection.locator('label', { hasText: 'Current PIN' });
    await current.getByTestId('field-error-pin.current').waitFor();
    expect(await current.getByTestId('field-error-pin.current').textContent()).not.toBe('');
    expect(await pinSection.locator('label', { hasText: 'New PIN' }).getByTestId('field-error-pin.next').count()).toBe(0);

    const serial = page.getByRole('region', { name: 'Serial cash register' });
    await serial.getByLabel('Baud rate').fill('96.5');
    await serial.getByRole('button', { name: 'Save', exact: true }).click();
    expect(await serial.locator('label', { hasText: 'Baud rate' }).getByTestId('field-error-serial.baud').textContent()).toBe(
      'must be a whole number like 9600',
    );
  }, 30_000);
});
