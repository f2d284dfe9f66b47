// HubSpot end to end over loopback: OAuth/private-app tokens, search paging, a won deal with two
// line items (discounts, tax-rate group, hs_tax_amount) → one B2B invoice however often it is
// polled or delivered by a signed webhook; a deal without a TIN waits in review until the company
// is fixed; a reopened deal asks for a credit note. Real ledger file, real HTTP.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeHubspot, HUBSPOT_ALL_SCOPES } from '../../fakes/hubspot-api';
import { harness, invoiceCount, type Harness } from '../../capture/connectors/harness';
import { parseCrmConnection, crmSecret, type HubspotConnection } from '../../../main/capture/crm/config';
import { createDealPoller, createDealSource } from '../../../main/capture/crm/create-source';
import { hubspotExchangeCode } from '../../../main/sources/hubspot/hubspot-source';
import { writeTokens } from '../../../main/capture/tokens';
import { CrmDeals } from '../../../main/ledger/crm-deals';
import { issueDealCreditNote } from '../../../main/capture/crm/deal-sink';
import { CrmWebhookServer, hubspotWebhookRoute } from '../../../main/capture/crm/webhooks';
import { HAVE_FIXTURES, NG_BUYER, real } from '../mapping/support';

const PIPELINES = {
  results: [
    {
      id: 'default',
      label: 'Sales Pipeline',
      archived: false,
      displayOrder: 0,
      stages: [
        {
          id: 'presentationscheduled',
          label: 'Presentation Scheduled',
          displayOrder: 2,
          archived: false,
          metadata: { isClosed: 'false', probability: '0.6' },
        },
        { id: 'closedwon', label: 'Closed Won', displayOrder: 5, archived: false, metadata: { isClosed: 'true', probability: '1.0' } },
        { id: 'closedlost', label: 'Closed Lost', displayOrder: 6, archived: false, metadata: { isClosed: 'true', probability: '0.0' } },
      ],
    },
  ],
};

let fake: FakeHubspot;
let h: Harness;

function seed(f: FakeHubspot): void {
  f.pipelines = PIPELINES;
  f.taxRates.set('2148420997', real('hubspot/08-tax-rate.json'));
  const deal = real('hubspot/01-deal-object.json').properties;
  const li = real('hubspot/02-line-item-object.json');
  const company = real('hubspot/03-company-object.json');
  f.putDeal(
    '512',
    { ...deal, dealstage: 'closedwon', amount: '15850.00' },
    {
      lineItems: [
        { id: li.id, properties: { ...li.properties, discount: '100', hs_tax_rate_group_id: '2148420997', amount: '11800.00' } },
        {
          id: '9001',
          properties: {
            name: 'Support hours',
            price: '1500.00',
            quantity: '3',
            hs_discount_percentage: '10',
            amount: '4050.00',
            hs_tax_amount: '303.75',
          },
        },
      ],
      company: {
        id: company.id,
        properties: {
          ...company.properties,
          tin: NG_BUYER.tin,
          email: NG_BUYER.email,
          address: NG_BUYER.street,
          zip: NG_BUYER.postalZone,
          state: NG_BUYER.state,
          lga: NG_BUYER.lga,
          country: 'NG',
        },
      },
      at: Date.parse('2026-11-20T10:00:00Z'),
    },
  );
  f.putDeal(
    '513',
    { dealname: 'No TIN yet', dealstage: 'closedwon', amount: '1000.00', closedate: '2026-11-20T11:00:00Z' },
    {
      lineItems: [{ id: '9002', properties: { name: 'Audit', price: '1000.00', quantity: '1', amount: '1000.00' } }],
      company: {
        id: '600',
        properties: {
          name: 'Eko Ventures',
          city: 'Lagos',
          address: '3 Broad St',
          zip: '101241',
          state: 'NG-LA',
          lga: 'NG-LA-LAI',
          email: 'ap@eko.ng',
        },
      },
      at: Date.parse('2026-11-20T11:00:00Z'),
    },
  );
  f.putDeal(
    '514',
    { dealname: 'Still talking', dealstage: 'presentationscheduled', amount: '99.00' },
    { at: Date.parse('2026-11-20T12:00:00Z') },
  );
}

async function connect(auth: 'oauth' | 'private_app', over: Record<string, unknown> = {}): Promise<HubspotConnection> {
  const config = parseCrmConnection({
    source: 'hubspot',
    baseUrl: fake.url,
    auth,
    clientId: fake.clientId,
    writeback: true,
    pageSize: 2,
    ...over,
  }) as HubspotConnection;
  h.secrets.set(crmSecret('hubspot', 'client_secret'), fake.clientSecret);
  if (auth === 'oauth')
    writeTokens(
      h.secrets,
      'hubspot',
      await hubspotExchangeCode(h.deps.http, {
        baseUrl: fake.url,
        clientId: fake.clientId,
        clientSecret: fake.clientSecret,
        code: fake.authorizationCode(),
        redirectUri: 'http://localhost/cb',
        now: h.clock.now(),
      }),
    );
  else writeTokens(h.secrets, 'hubspot', { accessToken: fake.privateAppToken() });
  return config;
}

beforeEach(async () => {
  fake = new FakeHubspot();
  await fake.start();
  h = harness();
  fake.now = () => h.clock.now(); // one clock: the connector's backoff sleeps move the fake's time too
  if (HAVE_FIXTURES) seed(fake);
});
afterEach(async () => {
  h.close();
  await fake.stop();
});

describe.skipIf(!HAVE_FIXTURES)('HubSpot connector', () => {
  it('a won deal becomes one B2B invoice however often polled or delivered; no TIN waits in review until fixed; reopened asks for a credit note', async () => {
    const config = await connect('oauth');
    const poller = createDealPoller(h.ledger, config, h.deps);
    const first = await poller.runOnce();
    expect(first).toMatchObject({ pages: 2, fetched: 3, issued: 1, reviews: 1 });
    expect(fake.requests.filter((r) => r.path === '/crm/v3/objects/deals/search').map((r) => (r.json as { after?: string }).after)).toEqual(
      [undefined, '2'],
    );
    const deals = new CrmDeals(h.db);
    const d512 = deals.get('hubspot', '512')!;
    const inv = h.ledger.findByIrn(d512.irn!)!;
    expect(inv).toMatchObject({ type: '381', b2b: true, net_kobo: 1585000, payable_kobo: 1689125, currency: 'NGN' });
    expect(inv.invoice).toMatchObject({
      invoice_kind: 'B2B',
      payment_status: 'PENDING',
      accounting_customer_party: { party_name: 'Biglytics', tin: NG_BUYER.tin },
    });
    expect(deals.get('hubspot', '513')).toMatchObject({ state: 'review', missing: ['tin'] });
    expect(h.review.list({ vendor: 'hubspot' })[0]!.reason).toMatch(/tin \(company\.tin\) is empty/);
    // Written back to the deal (which bumps its modified date: the next poll re-reads it, without a second invoice).
    expect(fake.patches).toEqual([{ id: '512', properties: { taxpoynt_irn: inv.irn, taxpoynt_status: 'awaiting_clearance' } }]);
    expect(deals.get('hubspot', '512')!.writeback).toBe('done');

    for (let i = 0; i < 3; i++) await poller.runOnce();
    // A signed webhook batch (the SDK's event shape, for this deal), delivered twice.
    let port = 0;
    const server = new CrmWebhookServer(
      [hubspotWebhookRoute(h.secrets, poller, (p: string) => `http://127.0.0.1:${port}${p}`, h.clock.now)],
      { host: '127.0.0.1', port: 0, allowRemote: false },
    );
    port = (await server.start()).port;
    const event = {
      ...real('hubspot/07-webhook-event-batch-signed.json')[0],
      subscriptionType: 'deal.propertyChange',
      propertyName: 'dealstage',
      propertyValue: 'closedwon',
      objectId: 512,
      eventId: 77,
    };
    const url = `http://127.0.0.1:${port}/webhooks/hubspot`;
    const ok = await fake.deliver(url, [event], { uri: url, timestamp: h.clock.now() });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).results[0]).toMatchObject({ duplicate: false, deals: [{ deal: '512', outcome: 'none' }] });
    expect(JSON.parse((await fake.deliver(url, [event], { uri: url, timestamp: h.clock.now() })).body).results[0].duplicate).toBe(true);
    expect((await fake.deliver(url, [event], { uri: url, tamper: true, timestamp: h.clock.now() })).status).toBe(401);
    expect((await fake.deliver(url, [event], { uri: url, timestamp: h.clock.now() - 6 * 60_000 })).status).toBe(401);
    expect(invoiceCount(h, 'hubspot')).toBe(1);

    // The company gets its TIN: the deal waiting in review is invoiced on the next poll.
    fake.updateCompany('600', { tin: '23456789-0001' });
    const fixed = await poller.runOnce();
    expect(fixed.rechecked).toBeGreaterThanOrEqual(1);
    expect(deals.get('hubspot', '513')!.state).toBe('invoiced');
    expect(invoiceCount(h, 'hubspot')).toBe(2);

    // Reopened after invoicing: a credit-note question (by webhook), then the credit note.
    fake.putDeal('512', { ...fake.deals.get('512')!.properties, dealstage: 'presentationscheduled' });
    const reopen = await fake.deliver(url, [{ ...event, eventId: 78, propertyValue: 'presentationscheduled' }], {
      uri: url,
      timestamp: h.clock.now(),
    });
    expect(JSON.parse(reopen.body).results[0].deals[0].outcome).toBe('credit_review');
    expect(deals.get('hubspot', '512')!.reason).toMatch(/reopened in the CRM after it was invoiced as/);
    const credited = issueDealCreditNote(h.ledger, h.review, deals, 'hubspot', '512', new Date(h.clock.now()));
    expect(h.ledger.findByIrn(credited.creditIrn!)).toMatchObject({ type: '380', original_irn: inv.irn });
    await server.stop();
    expect(fake.requests.some((r) => r.query.has('hapikey'))).toBe(false);
    expect(h.ledger.verify().ok).toBe(true);
  });

  it('OAuth: refreshed before expiry (30-minute tokens) and once more when HubSpot says it expired; the watermark survives', async () => {
    const config = await connect('oauth');
    const poller = createDealPoller(h.ledger, config, h.deps);
    await poller.runOnce();
    expect(new CrmDeals(h.db).watermark('hubspot')).toBe('2026-11-20T12:00:00.000Z');
    const before = fake.count('/oauth/v1/token');
    h.clock.offsetMs += 26 * 60_000; // within the 5-minute margin of expiry
    await poller.runOnce();
    expect(fake.count('/oauth/v1/token')).toBe(before + 1);
    const wm = new CrmDeals(h.db).watermark('hubspot'); // the write-back touched deal 512: its new modified date
    // Server-side expiry the client could not foresee: 401 EXPIRED_AUTHENTICATION → one renewal, same request retried.
    for (const t of fake.access.keys()) fake.access.set(t, { ...fake.access.get(t)!, expiresAt: 0 });
    const unauthorised = fake.requests.length;
    await expect(poller.runOnce()).resolves.toMatchObject({ watermark: wm });
    expect(fake.requests.slice(unauthorised).filter((r) => r.path === '/oauth/v1/token')).toHaveLength(1);
    expect(fake.count('/oauth/v1/token')).toBe(before + 2);
    expect(new CrmDeals(h.db).watermark('hubspot')).toBe(wm);
  });

  it('rate limits: paces on X-HubSpot-RateLimit-Remaining and backs off on 429 TEN_SECONDLY_ROLLING', async () => {
    const config = await connect('private_app');
    fake.windowLimit = 4;
    const r = await createDealPoller(h.ledger, config, h.deps).runOnce();
    expect(r.issued).toBe(1);
    expect(h.clock.waits).toContain(10_000);
    fake.faults.push({
      status: 429,
      json: {
        status: 'error',
        message: 'You have reached your ten_secondly_rolling limit.',
        errorType: 'RATE_LIMIT',
        policyName: 'TEN_SECONDLY_ROLLING',
      },
    });
    const waits = h.clock.waits.length;
    await createDealPoller(h.ledger, config, h.deps).runOnce();
    expect(h.clock.waits.length).toBeGreaterThan(waits);
  });

  it('test connection names the problem: refused token, missing scope, unknown stage', async () => {
    const config = await connect('private_app', { map: { wonStages: ['closedwon'] } });
    expect(await createDealSource(config, h.deps).testConnection()).toMatchObject({
      ok: true,
      summary: expect.stringContaining('Sales Pipeline / Closed Won (closedwon)'),
    });
    const bad = await createDealSource(parseCrmConnection({ ...config, map: { wonStages: ['123456'] } }), h.deps).testConnection();
    expect(bad).toMatchObject({
      ok: false,
      problem: 'unknown_stage',
      message: expect.stringContaining('stage 123456 is in no deal pipeline'),
    });
    writeTokens(h.secrets, 'hubspot', { accessToken: fake.privateAppToken(HUBSPOT_ALL_SCOPES.filter((s) => s !== 'tax_rates.read')) });
    await expect(createDealPoller(h.ledger, config, h.deps).runOnce()).rejects.toThrow(/lacks scope tax_rates\.read/);
    writeTokens(h.secrets, 'hubspot', { accessToken: 'pat-na1-revoked' });
    expect(await createDealSource(config, h.deps).testConnection()).toMatchObject({ ok: false, problem: 'bad_credentials' });
  });
});
