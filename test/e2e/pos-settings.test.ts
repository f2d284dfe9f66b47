// Settings → Point of sale connections in Chromium against the real store server (temp SQLite
// ledger) and the loopback Square fake: each vendor's panel shows the fields its source describes;
// Square is set up from the screen alone (an empty location list refused at its field, then saved),
// its token shown only as "stored", and "Test connection" passes against the saved settings. One
// server and one browser for the file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { setupCli } from '../support/fixture';
import { openDatabase } from '../../main/ledger/database';
import { AppSettings } from '../../main/app/settings';
import { ManagerPin } from '../../main/app/manager-pin';
import { FakeSquare } from '../fakes/square-api';
import { launchChromium, poll, SCREENSHOTS, startServer, tempData, type Browser, type Server } from './support';

const PIN = '246810';

describe('POS connections in Settings (Chromium)', () => {
  let dir: string;
  let server: Server;
  let browser: Browser;
  let page: Page;
  let square: FakeSquare;

  beforeAll(async () => {
    dir = tempData();
    expect(setupCli(dir).code).toBe(0);
    const db = openDatabase(join(dir, 'ledger.db'));
    new ManagerPin(new AppSettings(db)).set(PIN);
    db.close();
    square = new FakeSquare();
    [server] = await Promise.all([startServer(dir), square.start()]);
    browser = await launchChromium();
    page = await browser.context.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await square?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const notice = () => page.locator('p.notice[role=status]').textContent();

  it('every POS vendor has its own fields: Toast its restaurant and machine client, Lightspeed its store', async () => {
    await page.goto(server.url);
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Manager' }).click();
    await page.getByLabel('Manager PIN').fill(PIN);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('navigation', { name: 'Manager sections' }).getByRole('button', { name: 'Settings' }).click();
    const toast = page.getByRole('group', { name: 'Toast connection' });
    await toast.waitFor();
    for (const label of ['API host', 'Client id', 'Client secret', 'Restaurant GUID']) await toast.getByLabel(`Toast ${label}`).waitFor();
    expect(await toast.getByLabel('Toast Client secret').getAttribute('type')).toBe('password');
    await page
      .getByRole('group', { name: 'Lightspeed Retail (X-Series) connection' })
      .getByLabel(/Domain prefix$/)
      .waitFor();
    await page
      .getByRole('group', { name: 'Lightspeed Retail (R-Series) connection' })
      .getByLabel(/Account id$/)
      .waitFor();
  }, 60_000);

  it('Square from the screen: an empty location list is refused at its field; saved, then "Test connection" passes', async () => {
    const sq = page.getByRole('group', { name: 'Square connection' });
    const locations = sq.getByLabel('Square Location ids');
    const token = square.personalToken();
    await sq.getByLabel('Square API URL').fill(square.url);
    await sq.getByLabel('Square Access token').fill(token);
    await locations.fill('L1');
    await locations.fill('');
    await sq.getByRole('button', { name: 'Save Square' }).click();
    await poll(() => sq.getByTestId('field-error-pos.square.locationIds').textContent()).toBe('give at least one location id');
    expect(await locations.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('p.error[role=alert]').count()).toBe(0); // nothing left over for the top of the screen
    expect(await sq.getByLabel('Square Access token').inputValue()).toBe(token); // what was typed stays for the fix

    await locations.fill('L1, L2');
    expect(await sq.getByTestId('field-error-pos.square.locationIds').count()).toBe(0); // editing drops the error
    await sq.getByRole('button', { name: 'Save Square' }).click();
    await poll(() => notice()).toBe('Square saved');
    expect(await sq.getByLabel('Square Access token').inputValue()).toBe('');
    expect(await sq.locator('label', { hasText: 'Access token' }).textContent()).toContain('stored');
    expect(await locations.inputValue()).toBe('L1, L2');
    expect(await sq.locator('legend').textContent()).toContain('enabled');
    expect(await page.content()).not.toContain(token);

    await sq.getByRole('button', { name: 'Test connection' }).click();
    await poll(() => sq.getByTestId('test-square').textContent()).toMatch(/^OK: /);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await sq.screenshot({ path: join(SCREENSHOTS, 'settings-pos-square.png') });

    // Read back after a reload: the saved settings, the token only as "stored".
    await page.reload();
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Manager' }).click();
    const sections = page.getByRole('navigation', { name: 'Manager sections' });
    if ((await sections.count()) === 0) {
      await page.getByLabel('Manager PIN').fill(PIN);
      await page.getByRole('button', { name: 'Unlock' }).click();
    }
    await sections.getByRole('button', { name: 'Settings' }).click();
    await poll(() => locations.inputValue()).toBe('L1, L2');
    expect(await sq.getByLabel('Square API URL').inputValue()).toBe(square.url);
    expect(await sq.locator('label', { hasText: 'Access token' }).textContent()).toContain('stored');
  }, 60_000);
});
