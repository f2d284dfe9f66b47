// Issue 14 acceptance, Z periods that stay closed: in Chromium against the real server, a till
// sale, "Close the day" in the manager's Z screen, then a till sale and a Square order dated
// yesterday arriving late. Z 1 (`taxpoynt-pos z-report 1 --json`) stays byte-identical; the till
// says new sales go to Z 2; both late invoices are in the open period.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { cli } from '../support/fixture';
import { openTill, poll, type OpenTill } from './support';
import { toLagos } from '../../shared/domain/lagos-time';

const PIN = '258013';

describe('Z periods in Chromium', () => {
  let dir: string;
  let page: Page;
  const today = toLagos(new Date()).date;
  const yesterday = toLagos(new Date(Date.now() - 86_400_000)).date;
  const tomorrow = toLagos(new Date(Date.now() + 86_400_000)).date;

  const api = (channel: string, body: unknown) =>
    page.evaluate(
      async ([c, b]) => {
        const r = await fetch(`/api/invoke/${c}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(b),
        });
        return (await r.json()) as { ok: boolean; result: Record<string, unknown> };
      },
      [channel, body] as const,
    );

  const sell = async (name: string, price: string) => {
    await page.getByLabel('Item', { exact: true }).fill(name);
    await page.getByLabel('Price').fill(price);
    await page.getByLabel('Price').press('Control+Enter');
    await page
      .getByTestId('till-notice')
      .getByText(/^Invoice \S+ issued$/)
      .waitFor();
  };

  let till: OpenTill | undefined;
  beforeAll(async () => {
    till = await openTill(PIN);
    ({ dir, page } = till);
  }, 60_000);
  afterAll(() => till?.close());

  it('a late till sale and a late Square order after "Close the day" go to Z 2; Z 1 stays byte-identical', async () => {
    await sell('Bread', '1200');
    expect(await page.getByTestId('period-banner').count()).toBe(0);

    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Manager' }).click();
    await page.getByLabel('Manager PIN').fill(PIN);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('button', { name: 'Z report' }).click();
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Close the day' }).click();
    await page.getByRole('button', { name: 'Closed (Z 1)' }).waitFor();

    const z1 = cli(dir, ['z-report', '1', '--json']);
    expect(z1.code, z1.stderr).toBe(0);
    expect(JSON.parse(z1.stdout)).toMatchObject({ date: today, closed: { z_number: 1 }, total: { count: 1 }, gross_kobo: 120_000 });

    // Back at the till: the banner says where new sales go, and a sale still issues.
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Till' }).click();
    await poll(() => page.getByTestId('period-banner').textContent()).toBe('Day closed (Z 1) — new sales go to Z 2');
    await sell('Milk', '950');

    // A Square order from yesterday, arriving now (the vendor's own JSON through the CLI).
    const order = readFileSync(join(process.cwd(), 'test/fixtures/vendors/square/order-mixed.json'), 'utf8').replaceAll(
      '2026-11-23',
      yesterday,
    );
    const file = join(dir, 'late-order.json');
    writeFileSync(file, order);
    const ingest = cli(dir, ['ingest', '--source', 'square', '--file', file]);
    expect(ingest.code, ingest.stderr).toBe(0);
    const late = JSON.parse(ingest.stdout.trim().split('\n')[0]!) as { outcome: string };
    expect(late.outcome).toBe('issued');

    // Z 1, from the CLI and from the screen, is exactly what it was.
    expect(cli(dir, ['z-report', '1', '--json']).stdout).toBe(z1.stdout);
    expect(cli(dir, ['close-day', '--date', today, '--json']).stdout).toBe(z1.stdout);
    const screen = await api('reports.zReport', { date: today });
    expect(`${JSON.stringify(screen.result)}\n`).toBe(z1.stdout);
    // Both late invoices wait in the open period (Z 2 to be), whatever their sale date.
    const open = await api('reports.zReport', { date: tomorrow });
    expect(open.result).toMatchObject({ closed: null, total: { count: 2 } });
    const z2 = cli(dir, ['z-report', '2', '--json']);
    expect(z2.code).not.toBe(0);
    expect(z2.stderr).toMatch(/no Z report 2 \(closed: 1\)/);
    // Yesterday can no longer be closed: its late order is already in the next period.
    expect(cli(dir, ['close-day', '--date', yesterday]).stderr).toMatch(/before .* already closed as Z 1/);
  }, 60_000);
});
