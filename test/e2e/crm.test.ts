// CRM connections and deals in the real app (`serve`) in Chromium, against the loopback HubSpot,
// Pipedrive and FIRS fakes: Settings → CRM connections (a refused token named by "test
// connection", then the private-app token, the portal's stages, the buyer and paid field mapping,
// write-back), the connection strip, and Manager → Deals (an invoiced deal with IRN and clearance
// state; a deal without a TIN in review with the reason and the CRM link, re-tried after the CRM
// record is fixed; a reopened deal asking for a credit note, issued from the screen). One server
// and one browser for the file. Screenshots under test-results/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { setupCli } from '../support/fixture';
import { openDatabase } from '../../main/ledger/database';
import { AppSettings } from '../../main/app/settings';
import { ManagerPin } from '../../main/app/manager-pin';
import { FileSecretStore } from '../../main/app/file-secret-store';
import { HttpClient } from '../../main/capture/http';
import { readTokens } from '../../main/capture/tokens';
import { MemorySecretStore } from '../capture/connectors/memory-secret-store';
import { startFakeFirs, type FakeFirs } from '../fakes/firs-server';
import { CRMS, type StartedCrm } from '../sources/crm/acceptance-crms';
import { launchChromium, SCREENSHOTS, startServer, tempData, type Browser, type Server } from './support';

const PIN = '246810';

describe('CRM connections and deals in Chromium (browser mode)', () => {
  let dir: string;
  let server: Server;
  let browser: Browser;
  let page: Page;
  let firs: FakeFirs;
  const crms: Record<string, StartedCrm & { token: string; url: string }> = {};

  beforeAll(async () => {
    dir = tempData();
    expect(setupCli(dir).code).toBe(0);
    const db = openDatabase(join(dir, 'ledger.db'));
    new ManagerPin(new AppSettings(db)).set(PIN);
    firs = await startFakeFirs();
    new AppSettings(db).set('firs', { baseUrl: firs.url });
    db.close();
    const secrets = new FileSecretStore(dir);
    secrets.set('firs.apiKey', firs.apiKey);
    secrets.set('firs.apiSecret', firs.apiSecret);
    for (const crm of CRMS.filter((c) => c.source !== 'salesforce')) {
      // The fixture writes its token into a scratch store: the manager types it into Settings.
      const scratch = new MemorySecretStore();
      const started = await crm.start({ secrets: scratch, clock: { now: () => Date.now() }, deps: { http: new HttpClient(5000) } });
      crms[crm.source] = { ...started, token: readTokens(scratch, crm.source)!.accessToken, url: String(started.config.baseUrl) };
    }
    server = await startServer(dir);
    browser = await launchChromium();
    page = await browser.context.newPage();
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 90_000);

  afterAll(async () => {
    if (process.env.CRM_E2E_DEBUG) console.log(server?.output());
    await browser?.close();
    await server?.stop();
    for (const c of Object.values(crms)) await c.stop();
    await firs?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('Settings → CRM connections: a refused token is named, then HubSpot and Pipedrive connect with their stages and field mapping', async () => {
    await page.goto(server.url);
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Manager' }).click();
    await page.getByLabel('Manager PIN').fill(PIN);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('navigation', { name: 'Manager sections' }).getByRole('button', { name: 'Settings' }).click();

    const hs = page.getByTestId('crm-hubspot');
    await hs.getByLabel('API URL', { exact: true }).fill(crms.hubspot!.url);
    await hs.getByLabel('Private-app token', { exact: true }).fill('pat-na1-not-a-real-token');
    await hs.getByRole('button', { name: 'Save HubSpot' }).click();
    await page.getByText('HubSpot saved').waitFor();
    await hs.getByRole('button', { name: 'Test connection' }).click();
    await expect
      .poll(() => hs.getByTestId('test-hubspot').textContent(), { timeout: 20_000 })
      .toMatch(/^Failed: hubspot: .*(401|token|credentials)/i);

    await hs.getByLabel('Private-app token', { exact: true }).fill(crms.hubspot!.token);
    await hs.getByRole('button', { name: 'Save HubSpot' }).click();
    await page.getByText('HubSpot saved').waitFor();
    await hs.getByRole('button', { name: 'Read stages from the portal' }).click();
    await hs
      .getByTestId('crm-stage-rule')
      .getByText(/closed-won issue an invoice \(default\)/)
      .waitFor();
    expect(await hs.getByLabel('invoice at Sales / Closed Won').isChecked()).toBe(true);
    expect(await hs.getByLabel('invoice at Sales / Appointment').isChecked()).toBe(false);
    await hs.getByLabel('HubSpot TIN field').fill('tin');
    await hs.getByLabel('HubSpot LGA field').fill('lga');
    await hs.getByLabel('HubSpot paid field').fill('taxpoynt_paid');
    await hs.getByLabel('HubSpot poll interval').fill('5');
    await hs.getByLabel('HubSpot write-back').check();
    await hs.getByRole('button', { name: 'Save HubSpot' }).click();
    await page.getByText('HubSpot saved').waitFor();
    await hs.getByRole('button', { name: 'Test connection' }).click();
    await expect
      .poll(() => hs.getByTestId('test-hubspot').textContent(), { timeout: 20_000 })
      .toMatch(/^OK: connected to HubSpot; invoicing deals in stage Sales \/ Closed Won \(closedwon\)/);

    const pd = page.getByTestId('crm-pipedrive');
    await pd.getByLabel('API URL', { exact: true }).fill(crms.pipedrive!.url);
    await pd.getByLabel('API token', { exact: true }).fill(crms.pipedrive!.token);
    await pd.getByLabel('Pipedrive poll interval').fill('5');
    await pd.getByRole('button', { name: 'Save Pipedrive' }).click();
    await page.getByText('Pipedrive saved').waitFor();
    await pd.getByText('A deal is won when its status is won.').waitFor();
    await pd.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => pd.getByTestId('test-pipedrive').textContent(), { timeout: 20_000 }).toMatch(/^OK: connected to Pipedrive/);
    await page.screenshot({ path: join(SCREENSHOTS, 'crm-settings.png'), fullPage: true });

    // The connection strip shows each CRM connection's state.
    await page
      .getByTestId('strip-crm-hubspot')
      .getByText(/HubSpot: (connected|syncing deals)/)
      .waitFor({ timeout: 20_000 });
    await page
      .getByTestId('strip-crm-pipedrive')
      .getByText(/Pipedrive: (connected|syncing deals)/)
      .waitFor({ timeout: 20_000 });
  }, 120_000);

  it('Manager → Deals: invoiced with IRN and clearance, in review with reason and CRM link, re-tried, and a reopened deal credited', async () => {
    const nav = page.getByRole('navigation', { name: 'Manager sections' });
    const openDeals = async () => {
      await nav.getByRole('button', { name: 'Sync' }).click();
      await nav.getByRole('button', { name: 'Deals' }).click();
    };
    // Polled in the background; cleared by the sync.
    const won = page.getByTestId('deal-hubspot-900');
    await expect
      .poll(
        async () => {
          await openDeals();
          return (await won.count()) ? won.textContent() : '';
        },
        { timeout: 40_000, interval: 1000 },
      )
      .toMatch(/cleared/);
    expect(await won.textContent()).toMatch(/NGN 14500\.00/);
    expect(await won.locator('code').textContent()).toMatch(/^[A-Z0-9]+-[A-Z0-9]+-\d{8}$/);

    const noTin = page.getByTestId('deal-pipedrive-71');
    await noTin.waitFor();
    expect(await page.getByRole('region', { name: 'In review' }).getByTestId('deal-pipedrive-71').count()).toBe(1);
    expect(await noTin.textContent()).toMatch(/tin .* is empty/);
    expect(await noTin.getByRole('link', { name: 'No TIN' }).getAttribute('href')).toBe(`${crms.pipedrive!.url}/deal/71`);

    // The HubSpot deal without a TIN is fixed in the CRM: "Re-try" invoices it.
    const hsNoTin = page.getByTestId('deal-hubspot-901');
    expect(await hsNoTin.textContent()).toMatch(/tin .* is empty/);
    await crms.hubspot!.fixNoTin();
    await hsNoTin.getByRole('button', { name: 'Re-try' }).click();
    await page
      .getByRole('status')
      .getByText(/No TIN: invoiced as /)
      .waitFor();

    // Reopened in HubSpot after invoicing: the next background poll asks for a credit note.
    crms.hubspot!.reopen();
    const ask = page.getByRole('region', { name: 'Needs a decision' }).getByTestId('deal-hubspot-900');
    await expect
      .poll(
        async () => {
          await openDeals();
          return ask.count();
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe(1);
    expect(await ask.textContent()).toMatch(/reopened in the CRM after it was invoiced as/);
    await page.screenshot({ path: join(SCREENSHOTS, 'crm-deals.png'), fullPage: true });
    await ask.getByRole('button', { name: 'Issue credit note' }).click();
    await page
      .getByRole('status')
      .getByText(/Credit note \S+ issued for Cement/)
      .waitFor();
    const credited = page.getByTestId('deal-hubspot-900');
    await credited.getByText(/credited by /).waitFor();
  }, 120_000);
});
