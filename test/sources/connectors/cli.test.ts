// The CRM commands as a business's script runs them (the built CLI in a child process):
// `ingest --source <crm> --file F` on each CRM's own JSON, `connect pipedrive` + `poll pipedrive --once`
// against the loopback fake, `deals list` / `deals credit`, and exit codes that name the field.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, setupCli, tempDir } from '../../support/fixture';
import { FakePipedrive } from '../../fakes/pipedrive-api';
import { HAVE_FIXTURES, NG_BUYER, real } from '../mapping/support';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}
function run(dataDir: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, '--data-dir', dataDir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
const lines = (r: Run) =>
  r.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

let dir: string;
beforeEach(() => {
  dir = tempDir('tpos-crm-cli-');
  expect(setupCli(dir).code).toBe(0);
});

function hubspotBundle() {
  const deal = real('hubspot/01-deal-object.json');
  Object.assign(deal.properties, { dealstage: 'closedwon', amount: '12000.00', closedate: '2026-11-20T10:00:00Z' });
  const li = real('hubspot/02-line-item-object.json');
  const company = real('hubspot/03-company-object.json');
  Object.assign(company.properties, {
    tin: NG_BUYER.tin,
    email: NG_BUYER.email,
    address: NG_BUYER.street,
    zip: NG_BUYER.postalZone,
    state: NG_BUYER.state,
    lga: NG_BUYER.lga,
  });
  return {
    deal,
    line_items: { results: [li] },
    company,
    pipelines: {
      results: [
        {
          id: 'default',
          label: 'Sales',
          stages: [{ id: 'closedwon', label: 'Closed Won', metadata: { isClosed: 'true', probability: '1.0' } }],
        },
      ],
    },
  };
}

describe.skipIf(!HAVE_FIXTURES)('CRM CLI', () => {
  it('ingest --source hubspot prints the canonical ingest line once, then a duplicate; a deal without TIN exits 2 naming the field', async () => {
    const file = join(dir, 'deal.json');
    writeFileSync(file, JSON.stringify(hubspotBundle()));
    const first = await run(dir, ['ingest', '--source', 'hubspot', '--file', file, '--options', writeOptions({ defaultVatRate: '7.5' })]);
    expect(first.code, first.stderr).toBe(0);
    const [issued] = lines(first);
    expect(issued).toMatchObject({
      outcome: 'issued',
      source: 'hubspot',
      deal_id: '512',
      duplicate: false,
      payable: '12900.00',
      status: 'pending_report',
    });
    expect(issued).toHaveProperty('qr');
    expect(issued).toHaveProperty('hash');
    expect(issued!.invoice).toMatchObject({ invoice_type_code: '381', invoice_kind: 'B2B', payment_status: 'PENDING' });
    const again = await run(dir, ['ingest', '--source', 'hubspot', '--file', file, '--options', writeOptions({ defaultVatRate: '7.5' })]);
    expect(lines(again)[0]).toMatchObject({ outcome: 'duplicate', irn: issued!.irn, duplicate: true });

    const noTin = hubspotBundle();
    noTin.deal.id = '513';
    delete (noTin.company.properties as Record<string, unknown>).tin;
    writeFileSync(file, JSON.stringify(noTin));
    const r = await run(dir, ['ingest', '--source', 'hubspot', '--file', file]);
    expect(r.code).toBe(2);
    expect(lines(r)[0]).toMatchObject({ outcome: 'review', deal_id: '513', missing: ['tin'] });
    expect(r.stderr).toMatch(/513: buyer: tin \(company\.tin\) is empty/);
    const list = lines(await run(dir, ['deals', 'list', '--source', 'hubspot']));
    expect(list.map((d) => [d.deal_id, d.state])).toEqual(
      expect.arrayContaining([
        ['512', 'invoiced'],
        ['513', 'review'],
      ]),
    );
  });

  it('ingest --source salesforce / pipedrive on their query row and deal bundle; bad JSON and bad options exit 2', async () => {
    const q = real('salesforce/01-opportunity-with-lineitems-subquery.json');
    Object.assign(q.records[0], {
      IsWon: true,
      IsClosed: true,
      Amount: 1300,
      Account: {
        Name: 'Dangote Cement Plc',
        TIN__c: NG_BUYER.tin,
        Email__c: NG_BUYER.email,
        BillingStreet: 'x',
        BillingCity: 'Lagos',
        BillingPostalCode: '101001',
        BillingState: 'NG-LA',
        LGA__c: 'NG-LA-IKJ',
      },
    });
    Object.assign(q.records[0].OpportunityLineItems.records[0], { Quantity: 1, UnitPrice: 1300 });
    const sf = join(dir, 'sf.json');
    writeFileSync(sf, JSON.stringify(q));
    expect(lines(await run(dir, ['ingest', '--source', 'salesforce', '--file', sf]))[0]).toMatchObject({
      outcome: 'issued',
      payable: '1397.50',
    });
    const pd = join(dir, 'pd.json');
    const deal = real('pipedrive/01-deal-v2-get.json');
    deal.data.status = 'won';
    deal.data.value = 109.78;
    deal.data.currency = 'EUR';
    const org = real('pipedrive/07-organization-v2-get.json');
    org.data.custom_fields = { tin: NG_BUYER.tin, email: NG_BUYER.email };
    Object.assign(org.data.address, { admin_area_level_1: 'NG-LA', admin_area_level_2: 'NG-LA-IKJ' }); // NRS state/LGA codes
    writeFileSync(
      pd,
      JSON.stringify({ deal, products: real('pipedrive/03-deal-products-v1-tax-inclusive-discount.json'), organization: org }),
    );
    expect(lines(await run(dir, ['ingest', '--source', 'pipedrive', '--file', pd]))[0]).toMatchObject({
      outcome: 'issued',
      payable: '109.78',
    });
    writeFileSync(pd, '{"deal": ');
    const bad = await run(dir, ['ingest', '--source', 'pipedrive', '--file', pd]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not valid JSON/);
    const badOpt = await run(dir, ['ingest', '--source', 'pipedrive', '--file', sf, '--currency', 'naira']);
    expect(badOpt.code).toBe(2);
    expect(badOpt.stderr).toMatch(/crm options: currency/);
  });

  describe('connect / poll / deals credit (Pipedrive)', () => {
    let fake: FakePipedrive;
    beforeEach(async () => {
      fake = new FakePipedrive();
      await fake.start();
    });
    afterEach(async () => fake.stop());

    it('connect stores settings and the encrypted token, tests, polls once; a reopened deal is credited by `deals credit`', async () => {
      fake.organizationFields.push({ key: 'tin', name: 'TIN' }, { key: 'email', name: 'Email' });
      fake.organizations.set(1, {
        id: 1,
        name: 'Ade Ltd',
        custom_fields: { tin: NG_BUYER.tin, email: NG_BUYER.email },
        address: {
          street_number: '1',
          route: 'Marina',
          locality: 'Lagos',
          postal_code: '101001',
          admin_area_level_1: 'NG-LA',
          admin_area_level_2: 'NG-LA-IKJ',
          country: 'NG',
        },
      });
      fake.putDeal(
        { id: 42, title: 'Cement', status: 'won', value: 21500, currency: 'NGN', org_id: 1, won_time: '2026-11-20T10:00:00Z' },
        {
          products: [
            {
              id: 1,
              name: 'Cement',
              quantity: 2,
              item_price: 10000,
              tax: 7.5,
              tax_method: 'exclusive',
              discount: 0,
              discount_type: 'percentage',
              currency: 'NGN',
            },
          ],
        },
      );
      const tokenFile = join(dir, 'token.txt');
      writeFileSync(tokenFile, `${fake.apiToken}\n`);
      const c = await run(dir, ['connect', 'pipedrive', '--auth', 'api_token', '--base-url', fake.url, '--access-token', `@${tokenFile}`]);
      expect(c.code, c.stderr).toBe(0);
      expect(lines(c)[0]).toMatchObject({ ok: true, saved: true, summary: expect.stringContaining('Ade Stores') });
      const p = await run(dir, ['poll', 'pipedrive', '--once']);
      expect(p.code, p.stderr).toBe(0);
      expect(lines(p)[0]).toMatchObject({ ok: true, issued: 1 });
      expect(lines(await run(dir, ['poll', 'pipedrive', '--once']))[0]).toMatchObject({ issued: 0 });
      fake.putDeal({ ...fake.deals.get(42)!, status: 'lost' });
      expect(lines(await run(dir, ['poll', 'pipedrive', '--once']))[0]).toMatchObject({ creditReviews: 1 });
      const credit = await run(dir, ['deals', 'credit', 'pipedrive', '42']);
      expect(credit.code, credit.stderr).toBe(0);
      expect(lines(credit)[0]).toMatchObject({ state: 'credited', creditIrn: expect.any(String) });
      expect((await run(dir, ['deals', 'credit', 'pipedrive', '42'])).code).toBe(2);
      const noAuth = await run(dir, ['connect', 'hubspot', '--base-url', fake.url]);
      expect(noAuth.code).toBe(2);
      expect(noAuth.stderr).toMatch(/--auth is required for hubspot/);
    });
  });
});

function writeOptions(o: Record<string, unknown>): string {
  const f = join(dir, `opts-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(f, JSON.stringify(o));
  return f;
}
