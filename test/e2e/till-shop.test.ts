// Issue 14 in Chromium against the real server: a catalogue imported as CSV in Manager → Products,
// then at the till a barcode scanned (keyboard wedge, into the Price field), a quick key, a search
// with a weighed quantity, a split cash + transfer payment whose receipt prints both payments and
// the change (which stays on screen), and a B2B buyer added at the till making a B2B invoice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { BUSINESS } from '../support/fixture';
import { toLagos } from '../../shared/domain/lagos-time';
import { openTill, poll, type OpenTill } from './support';

const PIN = '482615';
const CSV = [
  'name,sku,barcodes,price,vat,unit,hs_code,isic_code,service_category,favourite',
  'Rice 5kg,RICE-5KG,5901234123457,"8,600.00",STANDARD_VAT,each,1006.30,,,no',
  'Beans brown,BEANS,,1500,STANDARD_VAT,kg,0713.33,,,no',
  'Water 75cl,WATER,4006381333931,150,ZERO_VAT,each,,,,yes',
].join('\r\n');

interface Shown {
  b2b: boolean;
  invoice: { invoice_kind: string; invoice_line: { hsn_code?: string; invoiced_quantity?: number }[] };
  sale: { payments: { method: string; amount: string }[]; lines: { sku?: string; quantity: string }[] };
}

describe('a shop till in Chromium', () => {
  let page: Page;

  /** The app's own API from the page (its session cookie): faster than spawning the CLI. */
  const api = async <T>(channel: string, body: unknown): Promise<T> => {
    const r = await page.evaluate(
      async ([c, b]) => {
        const res = await fetch(`/api/invoke/${c}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(b),
        });
        return (await res.json()) as { ok: boolean; result: unknown; error?: unknown };
      },
      [channel, body] as const,
    );
    expect(r.ok, JSON.stringify(r.error)).toBe(true);
    return r.result as T;
  };
  const today = () => toLagos(new Date()).date;
  const dayRows = () =>
    api<{ total: number; items: { irn: string; invoice_number: string }[] }>('invoices.listByDay', {
      date: today(),
      order: 'desc',
      limit: 50,
    });
  const issuedIrn = async (): Promise<string> => {
    await page
      .getByTestId('till-notice')
      .getByText(/^Invoice \S+ issued$/)
      .waitFor();
    const number = (await page.getByTestId('till-notice').textContent())!.split(' ')[1]!;
    const row = (await dayRows()).items.find((x) => x.invoice_number === number);
    expect(row, `ledger row for ${number}`).toBeDefined();
    return row!.irn;
  };
  const show = async (irn: string): Promise<Shown> => {
    const d = await api<{ b2b: boolean; firs: Shown['invoice']; sale: Shown['sale'] }>('invoices.get', { irn });
    return { b2b: d.b2b, invoice: d.firs, sale: d.sale };
  };
  /**
   * A scanner: real key events (text goes into the focused field) stamped 8 ms apart, as a USB
   * scanner types. The events carry their own time stamps, so a loaded test machine cannot
   * stretch the burst into what looks like a person typing.
   */
  const scan = async (code: string) => {
    const cdp = await page.context().newCDPSession(page);
    const t0 = Date.now() / 1000;
    const keys = [...code, 'Enter'];
    for (const [i, k] of keys.entries()) {
      const key =
        k === 'Enter'
          ? { key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13 }
          : { key: k, code: `Digit${k}`, windowsVirtualKeyCode: 48 + Number(k) };
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', timestamp: t0 + i * 0.008, text: k === 'Enter' ? '\r' : k, ...key });
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', timestamp: t0 + i * 0.008 + 0.002, ...key });
    }
    await cdp.detach();
  };

  let till: OpenTill | undefined;
  beforeAll(async () => {
    till = await openTill(PIN);
    ({ page } = till);
  }, 60_000);
  afterAll(() => till?.close());

  it('Manager → Products imports a CSV (a bad one is refused by row, nothing imported)', async () => {
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Manager' }).click();
    await page.getByLabel('Manager PIN').fill(PIN);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('navigation', { name: 'Manager sections' }).getByRole('button', { name: 'Products' }).click();
    const input = page.getByLabel('Import products CSV');
    await input.setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('name,sku,price\r\nRice,RICE,"1.500,00"\r\n') });
    await poll(() => page.getByTestId('products-error').textContent()).toMatch(/row 2, price: "1.500,00" is ambiguous/);
    expect(await page.getByTestId('product-row').count()).toBe(0);
    await input.setInputFiles({ name: 'products.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await poll(() => page.getByTestId('products-notice').textContent()).toBe('Imported: 3 added, 0 updated');
    // The list is re-read after the notice shows: wait for it (under load it lagged the notice).
    await poll(() => page.getByTestId('product-row').count()).toBe(3);
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Till' }).click();
  }, 30_000);

  it('a scan into the Price field adds its product; a quick key and a search add theirs; VAT resets; split cash + transfer with change', async () => {
    await page.getByLabel('Price').focus();
    await scan('5901234123457');
    await poll(() => page.locator('[data-testid=sale-line][data-sku="RICE-5KG"]').count()).toBe(1);
    expect(await page.getByLabel('Price').inputValue()).toBe(''); // the digits did not stay in the field
    expect(await page.getByTestId('entry-error').count()).toBe(0);

    await page.getByTestId('quick-key').filter({ hasText: 'Water 75cl' }).click();
    await poll(() => page.locator('[data-testid=sale-line][data-sku="WATER"]').count()).toBe(1);
    expect(await page.getByLabel('VAT category').inputValue()).toBe('STANDARD_VAT'); // not carried over from water

    await page.getByLabel('Item', { exact: true }).fill('bea');
    await page.getByTestId('product-match').filter({ hasText: 'Beans brown' }).click();
    await poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Quantity');
    await page.getByLabel('Quantity').fill('1.25');
    await page.getByLabel('Quantity').press('Enter');
    await poll(() => page.locator('[data-testid=sale-line][data-sku="BEANS"]').count()).toBe(1);

    // 8,600 + 150 + 1.25 × 1,500 = 10,625.00
    expect(await page.getByTestId('total-payable').textContent()).toBe('₦10,625.00');
    await page.getByRole('button', { name: 'Split payment' }).click();
    await page.getByLabel('Payment 1 amount').fill('500');
    await poll(() => page.getByTestId('sale-problem').textContent()).toBe('Cash ₦500.00 is ₦10,125.00 short of ₦10,625.00');
    expect(await page.getByTestId('total-payable').textContent()).toBe('₦10,625.00'); // totals stay
    await page.getByLabel('Payment 1 amount').fill('6000');
    await page.getByLabel('Payment 2 amount').fill('5,000');
    await poll(() => page.getByTestId('total-change').textContent()).toBe('₦375.00');
    expect(await page.getByTestId('sale-problem').count()).toBe(0); // cleared once fixed
    expect(await page.getByTestId('total-remaining').textContent()).toBe('₦0.00');
    await page.getByRole('button', { name: /^Charge/ }).click();

    const irn = await issuedIrn();
    await poll(() => page.getByTestId('change-due-amount').textContent()).toBe('Change ₦375.00');
    const inv = await show(irn);
    expect(inv.sale.payments).toEqual([
      { method: 'cash', amount: '6000.00' },
      { method: 'transfer', amount: '5000.00' },
    ]);
    expect(inv.sale.lines.map((l) => [l.sku, l.quantity])).toEqual([
      ['RICE-5KG', '1'],
      ['WATER', '1'],
      ['BEANS', '1.25'],
    ]);
    // The product's own HS code where it has one; the business default otherwise.
    expect(inv.invoice.invoice_line.map((l) => l.hsn_code)).toEqual(['1006.30', BUSINESS.default_hs_code, '0713.33']);
    // The receipt prints both payments and the change.
    const receipt = (await page.getByTestId('receipt-text').textContent())!;
    expect(receipt).toMatch(/Cash\s+6,000\.00/);
    expect(receipt).toMatch(/Transfer\s+5,000\.00/);
    expect(receipt).toMatch(/Change\s+375\.00/);
    // The change stays until the next sale starts.
    await page.getByLabel('Item', { exact: true }).fill('x');
    await poll(() => page.getByTestId('change-due').count()).toBe(0);
    await page.getByLabel('Item', { exact: true }).fill('');
  }, 60_000);

  it('a B2B buyer added at the till makes the sale a B2B invoice; a bad TIN is refused in words', async () => {
    await page.getByLabel('Item', { exact: true }).focus();
    await scan('4006381333931');
    await poll(() => page.getByTestId('sale-line').count()).toBe(1);
    await page.getByRole('button', { name: 'B2B buyer…' }).click();
    const form = page.getByRole('form', { name: 'New buyer' });
    await form.locator('input[name=name]').fill('Okafor Trading Ltd');
    await form.locator('input[name=tin]').fill('12345678');
    await form.locator('input[name=email]').fill('accounts@okafor.ng');
    await form.locator('input[name=street]').fill('12 Allen Avenue');
    await form.locator('input[name=city]').fill('Ikeja');
    await form.locator('input[name=postal_zone]').fill('100271');
    await form.locator('select[name=state]').selectOption('NG-LA');
    await form.locator('input[name=lga]').fill('NG-LA-IKJ');
    await form.getByRole('button', { name: 'Save buyer and use' }).click();
    await poll(() => page.getByTestId('buyer-error').textContent()).toMatch(/customer\.tin: "12345678" is not a TIN in a published format/);
    await form.locator('input[name=tin]').fill('12345678-0001');
    await form.getByRole('button', { name: 'Save buyer and use' }).click();
    await poll(() => page.getByTestId('buyer').textContent()).toMatch(/B2B: Okafor Trading Ltd · 12345678-0001/);
    await page.getByRole('button', { name: /^Charge/ }).click();
    const inv = await show(await issuedIrn());
    expect(inv.b2b).toBe(true);
    expect(inv.invoice.invoice_kind).toBe('B2B');

    // The buyer is found again by name for the next sale.
    await page.getByRole('button', { name: 'B2B buyer…' }).click();
    await page.getByLabel('Find buyer').fill('okafor');
    await page.getByTestId('buyer-match').first().click();
    await poll(() => page.getByTestId('buyer').textContent()).toMatch(/Okafor/);
  }, 60_000);

  it("a sale above the manager's limit asks first: dismissed, nothing is issued and the sale stays", async () => {
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Manager' }).click();
    await page.getByRole('navigation', { name: 'Manager sections' }).getByRole('button', { name: 'Till' }).click();
    await page.getByText(/^Now: ₦/).waitFor(); // the stored limit has arrived
    await page.getByLabel('Confirm above').fill('50,000');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Now: ₦50,000.00').waitFor();
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Till' }).click();

    const before = (await dayRows()).total;
    await page.getByLabel('Item', { exact: true }).fill('Cement');
    await page.getByLabel('Quantity').fill('100000');
    await page.getByLabel('Price').fill('4500');
    const asked = new Promise<string>((resolve) =>
      page.once('dialog', (d) => {
        resolve(d.message());
        void d.dismiss();
      }),
    );
    await page.getByRole('button', { name: /^Charge/ }).click();
    expect(await asked).toBe('Charge ₦450,000,000.00? That is above the ₦50,000.00 limit for one sale. Check the quantities and prices.');
    expect(await page.getByLabel('Item', { exact: true }).inputValue()).toBe('Cement');
    expect((await dayRows()).total).toBe(before);
    await page.getByLabel('Quantity').fill('1');
    await page.getByRole('button', { name: /^Charge/ }).click(); // within the limit: no question
    await issuedIrn();
  }, 60_000);

  it('park a sale, serve the next customer, resume it as it was', async () => {
    await page.getByTestId('quick-key').filter({ hasText: 'Water 75cl' }).click();
    await page.getByTestId('quick-key').filter({ hasText: 'Water 75cl' }).click();
    await poll(() => page.locator('[data-testid=sale-line][data-sku="WATER"]').textContent()).toMatch(/Water 75cl2/);
    await page.getByRole('button', { name: 'Park' }).click();
    expect(await page.getByTestId('sale-line').count()).toBe(0);
    const resume = page.getByTestId('resume');
    expect(await resume.textContent()).toMatch(/^Resume \d\d:\d\d ₦300\.00$/);

    await page.getByLabel('Item', { exact: true }).fill('Tea');
    await page.getByLabel('Price').fill('300');
    expect(await resume.isDisabled()).toBe(true); // one sale on screen at a time
    await page.getByRole('button', { name: /^Charge/ }).click();
    await issuedIrn();

    await resume.click();
    await poll(() => page.locator('[data-testid=sale-line][data-sku="WATER"]').count()).toBe(1);
    expect(await page.getByTestId('resume').count()).toBe(0);
    expect(await page.getByTestId('total-payable').textContent()).toBe('₦300.00');
    await page.getByRole('button', { name: /^Charge/ }).click();
    expect((await show(await issuedIrn())).sale.lines).toMatchObject([{ sku: 'WATER', quantity: '2' }]);
  }, 60_000);
});
