// Pipedrive end to end over loopback: API token (x-api-token) and OAuth (Basic client auth,
// api_domain, rotating refresh tokens), v2 deals?status=won&updated_since with cursor paging, deal
// products (tax as a percentage) and deal-level discounts, 429 backoff, webhooks v2 with Basic auth,
// one invoice per deal, reopened → credit-note question.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakePipedrive } from '../../fakes/pipedrive-api';
import { harness, invoiceCount, type Harness } from '../../capture/connectors/harness';
import { parseCrmConnection, crmSecret, type PipedriveConnection } from '../../../main/capture/crm/config';
import { createDealPoller, createDealSource } from '../../../main/capture/crm/create-source';
import { pipedriveExchangeCode } from '../../../main/sources/pipedrive/pipedrive-source';
import { writeTokens } from '../../../main/capture/tokens';
import { CrmDeals } from '../../../main/ledger/crm-deals';
import { CrmWebhookServer, pipedriveWebhookRoute } from '../../../main/capture/crm/webhooks';
import { HAVE_FIXTURES, NG_BUYER, real } from '../mapping/support';

const TIN_KEY = '3f2a9b1c0d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a';
const EMAIL_KEY = '9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b';
let fake: FakePipedrive;
let h: Harness;

function seed(f: FakePipedrive): void {
  const org = real('pipedrive/07-organization-v2-get.json').data;
  f.organizations.set(1, {
    ...org,
    custom_fields: { [TIN_KEY]: NG_BUYER.tin, [EMAIL_KEY]: NG_BUYER.email },
    address: { ...org.address, admin_area_level_1: 'NG-LA', admin_area_level_2: 'NG-LA-IKJ', country: 'Nigeria', locality: 'Lagos' },
  });
  f.organizations.set(2, {
    ...org,
    id: 2,
    name: 'No TIN Ltd',
    custom_fields: { [EMAIL_KEY]: 'ap@notin.ng' },
    address: { ...org.address, admin_area_level_1: 'NG-LA', admin_area_level_2: 'NG-LA-IKJ', country: 'NG' },
  });
  f.organizationFields.push({ key: TIN_KEY, name: 'TIN' }, { key: EMAIL_KEY, name: 'Invoice email' });
  const deal = real('pipedrive/01-deal-v2-get.json').data;
  const [p1, p2] = real('pipedrive/05-deal-products-v2-bulk-add.json').data;
  // Two products with 7.5 % exclusive VAT (tax is a PERCENTAGE), one with a percentage discount, and the deal-level 10 % discount.
  f.putDeal(
    { ...deal, id: 1, status: 'won', value: 93.76, currency: 'NGN', org_id: 1 },
    {
      products: [
        { ...p1, currency: 'NGN', tax: 7.5, tax_method: 'exclusive', discount: 0, sum: 64.99 },
        { ...p2, currency: 'NGN', tax: 7.5, tax_method: 'exclusive', discount: 10, discount_type: 'percentage', sum: 39.18 },
      ],
      discounts: real('pipedrive/06-deal-additional-discounts-v2.json').data,
      at: Date.parse('2026-11-20T09:00:00Z'),
    },
  );
  f.putDeal(
    { ...deal, id: 2, title: 'No TIN', status: 'won', value: 215, currency: 'NGN', org_id: 2 },
    {
      products: [
        {
          id: 7,
          name: 'Consulting',
          quantity: 1,
          item_price: 200,
          tax: 7.5,
          tax_method: 'exclusive',
          discount: 0,
          discount_type: 'percentage',
          sum: 215,
          currency: 'NGN',
          is_enabled: true,
        },
      ],
      at: Date.parse('2026-11-20T09:10:00Z'),
    },
  );
  for (let i = 3; i <= 6; i++)
    f.putDeal({ ...deal, id: i, status: 'open', value: 1, org_id: 1 }, { at: Date.parse('2026-11-20T08:00:00Z') });
}

const map = { buyerFields: { tin: TIN_KEY, email: EMAIL_KEY } };

beforeEach(async () => {
  fake = new FakePipedrive();
  await fake.start();
  h = harness();
  fake.now = () => h.clock.now();
  if (HAVE_FIXTURES) seed(fake);
});
afterEach(async () => {
  h.close();
  await fake.stop();
});

describe.skipIf(!HAVE_FIXTURES)('Pipedrive connector', () => {
  it('a won deal with two products, a discount and VAT becomes one invoice equal to the deal value; polled or delivered again, still one', async () => {
    const config = parseCrmConnection({
      source: 'pipedrive',
      auth: 'api_token',
      baseUrl: fake.url,
      pageSize: 1,
      writeback: true,
      writebackFields: { irn: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0' },
      map,
    }) as PipedriveConnection;
    writeTokens(h.secrets, 'pipedrive', { accessToken: fake.apiToken });
    const poller = createDealPoller(h.ledger, config, h.deps);
    const r = await poller.runOnce();
    expect(r).toMatchObject({ issued: 1, reviews: 1 });
    expect(
      fake.requests.filter((x) => x.path === '/api/v2/deals' && x.query.get('status') === 'won').map((x) => x.query.get('cursor') !== null),
    ).toEqual([false, true]);
    expect(fake.requests.every((x) => !x.query.has('api_token') && x.headers['x-api-token'] === fake.apiToken)).toBe(true);
    const deals = new CrmDeals(h.db);
    const inv = h.ledger.findByIrn(deals.get('pipedrive', '1')!.irn!)!;
    expect(inv).toMatchObject({ type: '381', b2b: true, payable_kobo: 9376 });
    expect(inv.sale.lines.map((l) => [l.name, l.discount ?? '0', l.tax.rate])).toEqual([
      ['Product 1', '6.05', '7.5'],
      ['Product 2', '7.69', '7.5'],
    ]);
    expect(deals.get('pipedrive', '2')).toMatchObject({ state: 'review', missing: ['tin'] });
    expect(fake.patches).toEqual([{ id: 1, body: { custom_fields: { a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0: inv.irn } } }]);
    await poller.runOnce();

    h.secrets.set(crmSecret('pipedrive', 'webhook_basic'), 'taxpoynt:s3cret-pass');
    const server = new CrmWebhookServer([pipedriveWebhookRoute(h.secrets, poller)], { host: '127.0.0.1', port: 0, allowRemote: false });
    const { port } = await server.start();
    const url = `http://127.0.0.1:${port}/webhooks/pipedrive`;
    const d1 = fake.deals.get(1)!;
    const ok = await fake.deliver(url, d1, { user: 'taxpoynt', password: 's3cret-pass', id: 'evt-1' });
    expect(ok.status).toBe(200);
    expect((await fake.deliver(url, d1, { user: 'taxpoynt', password: 's3cret-pass', id: 'evt-1' })).body).toContain('"duplicate":true');
    expect((await fake.deliver(url, d1, { user: 'taxpoynt', password: 'wrong', id: 'evt-2' })).status).toBe(401);
    expect(invoiceCount(h, 'pipedrive')).toBe(1);
    // Reopened in Pipedrive: the open feed (or a webhook) asks for a credit note.
    fake.putDeal({ ...d1, status: 'open' });
    const reopened = await fake.deliver(url, fake.deals.get(1)!, { user: 'taxpoynt', password: 's3cret-pass', id: 'evt-3' });
    expect(reopened.body).toContain('credit_review');
    expect(deals.get('pipedrive', '1')!.reason).toMatch(/reopened in the CRM after it was invoiced/);
    await server.stop();
  });

  it('OAuth: api_domain from the token answer, rotating refresh tokens stored before use, expires_in as a string', async () => {
    fake.expiresInAsString = true;
    const config = parseCrmConnection({
      source: 'pipedrive',
      auth: 'oauth',
      oauthUrl: fake.url,
      clientId: fake.clientId,
      map,
    }) as PipedriveConnection;
    h.secrets.set(crmSecret('pipedrive', 'client_secret'), fake.clientSecret);
    writeTokens(
      h.secrets,
      'pipedrive',
      await pipedriveExchangeCode(h.deps.http, h.secrets, {
        config,
        clientSecret: fake.clientSecret,
        code: fake.authorizationCode(),
        redirectUri: 'http://localhost/cb',
        now: h.clock.now(),
      }),
    );
    expect(h.secrets.get(crmSecret('pipedrive', 'api_domain'))).toBe(fake.url);
    const poller = createDealPoller(h.ledger, config, h.deps);
    await poller.runOnce();
    h.clock.offsetMs += 57 * 60_000;
    const writes = h.secrets.writes.length;
    expect(await createDealSource(config, h.deps).testConnection()).toMatchObject({
      ok: true,
      summary: expect.stringContaining('Ade Stores'),
    });
    const rotated = h.secrets.writes.slice(writes).filter((w) => w.name === 'capture.pipedrive.tokens');
    expect(rotated).toHaveLength(1);
    expect(fake.refreshTokens.has(JSON.parse(rotated[0]!.value).refreshToken)).toBe(true); // the new one, the old one spent
    expect(invoiceCount(h, 'pipedrive')).toBe(1);
  });

  it('429 is retried after a backoff; an unknown TIN field and a refused token are named by test connection', async () => {
    const config = parseCrmConnection({ source: 'pipedrive', auth: 'api_token', baseUrl: fake.url, map }) as PipedriveConnection;
    writeTokens(h.secrets, 'pipedrive', { accessToken: fake.apiToken });
    fake.faults.push({
      status: 429,
      headers: { 'x-ratelimit-limit': '80', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2' },
      json: { success: false, error: 'Too many requests', errorCode: 429 },
    });
    await createDealPoller(h.ledger, config, h.deps).runOnce();
    expect(h.clock.waits.length).toBe(1);
    const unknown = await createDealSource(
      parseCrmConnection({ ...config, map: { buyerFields: { tin: 'deadbeef' } } }),
      h.deps,
    ).testConnection();
    expect(unknown).toMatchObject({
      ok: false,
      problem: 'unknown_field',
      message: expect.stringContaining('organization field "deadbeef" (the buyer\'s TIN) does not exist'),
    });
    writeTokens(h.secrets, 'pipedrive', { accessToken: 'revoked' });
    expect(await createDealSource(config, h.deps).testConnection()).toMatchObject({
      ok: false,
      problem: 'bad_credentials',
      message: expect.stringContaining('the access token was refused'),
    });
  });
});
