// The manager's day view with 10,000 invoices in one day: the list is virtualised (only the rows
// in view are in the DOM), pages load as it scrolls, and the totals still equal the ledger's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { spawnSync } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { BUSINESS, CLI, keyPair } from '../support/fixture';
import { launchChromium, SCREENSHOTS, startServer, tempData, type Browser, type Server, poll } from './support';
import { formatNaira, parseKobo } from '../../shared/domain/money';
import { toLagos } from '../../shared/domain/lagos-time';

const N = 10_000;

/** A loopback port with nothing listening on it (bound, then released). */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
const PIN = '135700';

describe('day view at 10,000 invoices', () => {
  let dir: string;
  let server: Server;
  let browser: Browser;
  let page: Page;
  // Three days ago (Lagos), so "today" on the till stays empty and the day is complete.
  const day = toLagos(new Date(Date.now() - 3 * 86_400_000)).date;

  /** The ledger's own list of the day (`taxpoynt-pos invoices --json`: a few MB at this size). */
  const ledgerRows = () => {
    const r = spawnSync(process.execPath, [CLI, '--data-dir', dir, 'invoices', '--date', day, '--json'], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as { invoice_number: string; totals: { payable: string; tax: string } }[];
  };

  beforeAll(async () => {
    dir = tempData();
    server = await startServer(dir);
    const res = await fetch(`${server.origin}/api/invoke/setup.configure`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
      body: JSON.stringify({
        business: BUSINESS,
        cryptoKeys: keyPair().keysFileJson,
        managerPin: PIN,
        // A network printer that is switched off (nothing listens on the port): the 10,000 receipts
        // wait in the print queue. (With the in-memory virtual printer, draining 10,000 jobs back to
        // back starves the server's event loop: reported to the print/app owners.)
        printer: { interface: `tcp://127.0.0.1:${await closedPort()}` },
      }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const sales = Array.from({ length: N }, (_, i) => {
      const amount = `${1000 + (i % 97) * 25}.${String(i % 100).padStart(2, '0')}`;
      const hh = String(7 + Math.floor((i / N) * 14)).padStart(2, '0');
      const mm = String(i % 60).padStart(2, '0');
      return {
        source: 'canonical',
        external_id: `bulk-${i}`,
        occurred_at: `${day}T${hh}:${mm}:00+01:00`,
        currency: 'NGN',
        lines: [{ name: 'Item', quantity: '1', unit_price: amount, tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: true } }],
        payments: [{ method: i % 3 ? 'card' : 'cash', amount }],
        // B2B buyers carry what NRS v1.1 requires (email, postal address with state and LGA).
        ...(i % 10 === 0
          ? {
              customer: {
                name: `Customer ${i}`,
                tin: '87654321-0001',
                email: 'ap@customer.ng',
                address: {
                  street: '5 Adeola Odeku',
                  city: 'Ikeja',
                  postal_zone: '100271',
                  state: 'NG-LA',
                  lga: 'NG-LA-IKJ',
                  country: 'NG',
                },
              },
            }
          : {}),
      };
    });
    const file = join(dir, 'bulk.json');
    writeFileSync(file, JSON.stringify(sales));
    // Another process writes while the server runs: the same ledger file, as a POS feed would.
    // (stdout, one JSON line per invoice, is not needed here: discarded rather than buffered)
    const ingest = spawnSync(process.execPath, [CLI, '--data-dir', dir, 'ingest', '--source', 'canonical', '--file', file], {
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
    });
    expect(ingest.status, ingest.stderr).toBe(0);
    browser = await launchChromium();
    page = await browser.context.newPage();
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('lists the day with totals equal to the ledger, keeping only visible rows in the DOM', async () => {
    const rows = ledgerRows();
    expect(rows).toHaveLength(N);
    const payable = rows.reduce((s, r) => s + parseKobo(r.totals.payable), 0);
    const vat = rows.reduce((s, r) => s + parseKobo(r.totals.tax), 0);

    await page.goto(server.url);
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Manager' }).click();
    await page.getByLabel('Manager PIN').fill(PIN);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByLabel('Day', { exact: true }).fill(day);

    await poll(() => page.getByTestId('day-count').textContent(), { timeout: 15_000 }).toBe(String(N));
    expect(await page.getByTestId('day-payable').textContent()).toBe(formatNaira(payable));
    expect(await page.getByTestId('day-vat').textContent()).toBe(formatNaira(vat));
    // Newest first, like the till.
    await poll(() => page.getByTestId('day-row').first().textContent()).toContain(rows[N - 1]!.invoice_number);
    const inDom = await page.getByTestId('day-row').count();
    expect(inDom).toBeGreaterThan(5);
    expect(inDom).toBeLessThan(100);
    // Three days unreported: past the 20-hour mark, so the strip is red.
    await poll(() => page.getByTestId('strip-age').getAttribute('data-level')).toBe('bad');
    expect(await page.getByTestId('strip-queue').textContent()).toBe(`Waiting to report: ${N}`);
    await page.screenshot({ path: join(SCREENSHOTS, 'day-view.png') });

    // Jump to the end: the last page loads on demand and the first invoice of the day is there.
    await page.getByRole('list', { name: 'Invoices of the day' }).evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await poll(() => page.getByTestId('day-row').last().textContent(), { timeout: 15_000 }).toContain(rows[0]!.invoice_number);
    expect(await page.getByTestId('day-row').count()).toBeLessThan(100);
  }, 60_000);

  it('search and filters narrow the 10,000 rows (B2B, payment method, invoice number)', async () => {
    await page.getByLabel('B2B or B2C').selectOption('b2b');
    await poll(() => page.getByTestId('day-count').textContent()).toBe(String(N / 10));
    await page.getByLabel('B2B or B2C').selectOption('');
    await page.getByLabel('Payment method').selectOption('cash');
    await poll(() => page.getByTestId('day-count').textContent()).toBe(String(Math.ceil(N / 3)));
    await page.getByLabel('Payment method').selectOption('');
    const rows = ledgerRows();
    await page.getByLabel('Search invoices').fill(rows[4321]!.invoice_number);
    await poll(() => page.getByTestId('day-count').textContent()).toBe('1');
    expect(await page.getByTestId('day-row').first().textContent()).toContain(rows[4321]!.invoice_number);
  }, 60_000);
});
