// A CRM as the capture service sees it (DealConnector + its webhook handler), against the Pipedrive
// loopback fake (v2 API, webhooks v2 with Basic auth): poll counts, connection tests that fail by
// name, deliveries that are refused, ignored, handled once and then called duplicates.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakePipedrive } from '../../fakes/pipedrive-api';
import { harness, invoiceCount, type Harness } from '../../capture/connectors/harness';
import { crmSecret, parseCrmConnection } from '../../../main/capture/crm/config';
import { crmWebhookHandler, DealConnector } from '../../../main/capture/crm/deal-connector';
import { pipedriveWebhookRoute } from '../../../main/capture/crm/webhooks';
import { WebhookBadRequest, type WebhookRequest } from '../../../main/capture/webhooks/handlers';
import { writeTokens } from '../../../main/capture/tokens';
import { CrmDeals } from '../../../main/ledger/crm-deals';
import { putWonDeal } from './pipedrive-deal';

let fake: FakePipedrive;
let h: Harness;

const putWon = (id: number, orgId: number) =>
  putWonDeal(fake, id, orgId, '2026-11-20T09:00:00Z', Date.parse('2026-11-20T09:00:00Z') + id * 1000);

const address = {
  street_number: '1',
  route: 'Marina',
  locality: 'Lagos',
  postal_code: '101233',
  admin_area_level_1: 'NG-LA',
  admin_area_level_2: 'NG-LA-IKJ',
  country: 'NG',
};

beforeEach(async () => {
  fake = new FakePipedrive();
  await fake.start();
  h = harness();
  fake.now = () => h.clock.now();
  fake.organizations.set(1, { id: 1, name: 'Ade Ltd', custom_fields: { tin: '12345678-0001', email: 'ap@ade.ng' }, address });
  fake.organizations.set(2, { id: 2, name: 'No TIN Ltd', custom_fields: { email: 'ap@notin.ng' }, address });
  fake.organizationFields.push({ key: 'tin', name: 'TIN' }, { key: 'email', name: 'Invoice email' });
  writeTokens(h.secrets, 'pipedrive', { accessToken: fake.apiToken });
  h.secrets.set(crmSecret('pipedrive', 'webhook_basic'), 'taxpoynt:s3cret-pass');
});
afterEach(async () => {
  h.close();
  await fake.stop();
});

const connection = () => parseCrmConnection({ source: 'pipedrive', auth: 'api_token', baseUrl: fake.url, pageSize: 10 });
const connector = (withLedger = true) => new DealConnector(connection(), { ...h.deps, ...(withLedger ? { ledger: h.ledger } : {}) });
const handlerFor = (c: DealConnector) => crmWebhookHandler(() => pipedriveWebhookRoute(h.secrets, c.dealPoller()), c);

function delivery(body: unknown, password = 's3cret-pass'): WebhookRequest {
  return {
    rawBody: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
    headers: { authorization: `Basic ${Buffer.from(`taxpoynt:${password}`).toString('base64')}`, 'content-type': 'application/json' },
    path: '/webhooks/pipedrive',
  };
}
const dealEvent = (dealId: number, id: string, entity = 'deal') => ({
  meta: { action: 'change', entity, entity_id: String(dealId), id, version: '2.0' },
  data: fake.deals.get(dealId) ?? { id: dealId },
});

describe('DealConnector', () => {
  it('poll() reports what the deal poller did: an invoice, a review waiting for a TIN, the watermark', async () => {
    putWon(1, 1);
    putWon(2, 2);
    const r = await connector().poll();
    expect(r).toMatchObject({ pages: 3, fetched: 2, fresh: 2, sales: 1, skips: 0, reviews: 1 });
    expect(JSON.parse(r.watermark!)).toEqual({ won: '2026-11-20T09:00:02Z' });
    // updated_since is inclusive: the last deal (still without a TIN) is read again; nothing is issued again.
    expect(await connector().poll()).toMatchObject({ fetched: 1, fresh: 1, sales: 0, reviews: 1 });
    expect(invoiceCount(h, 'pipedrive')).toBe(1);
    expect(h.review.list({ vendor: 'pipedrive' })).toEqual([expect.objectContaining({ vendorId: '2', status: 'open' })]);
  });

  it('without the ledger it can test the connection but refuses to poll, naming what is missing', async () => {
    const c = connector(false);
    await expect(c.poll()).rejects.toThrow('pipedrive: polling needs the ledger (ConnectorDeps.ledger)');
    expect(await c.testConnection()).toMatchObject({ ok: true, vendor: 'pipedrive', summary: expect.stringContaining('Ade Stores') });
    expect(fake.count('/api/v2/deals')).toBe(0);
  });

  it('a refused token fails the connection test as bad_credentials in Pipedrive’s words', async () => {
    writeTokens(h.secrets, 'pipedrive', { accessToken: 'revoked' });
    expect(await connector().testConnection()).toEqual({
      ok: false,
      vendor: 'pipedrive',
      problem: 'bad_credentials',
      message: 'pipedrive: the access token was refused (revoked or expired): create a new one and connect again',
    });
  });

  it('the item source keys and maps deals as sales, reviews and skips; a deal gone from the CRM is fetched as nothing', async () => {
    putWon(1, 1);
    const c = connector();
    const bundle = await c.fetchOrder('1');
    expect(c.source.key(bundle)).toEqual({ id: '1', version: expect.any(String) });
    expect(c.source.key({ deal: { title: 'no id' } })).toBeUndefined();
    const [sale] = await c.source.map([bundle]);
    expect(sale).toMatchObject({ kind: 'sale', vendor: 'pipedrive', vendorId: '1' });
    const [lost] = await c.source.map([{ deal: { ...fake.deals.get(1), status: 'lost' } }]);
    expect(lost).toMatchObject({ kind: 'skip', vendor: 'pipedrive', vendorId: '1' });
    expect(lost).not.toHaveProperty('withdrawn');
    const [deleted] = await c.source.map([{ deal: { ...fake.deals.get(1), status: 'deleted' } }]);
    expect(deleted).toMatchObject({ kind: 'skip', withdrawn: true });
    expect(await c.fetchOrder('404')).toBeUndefined();
  });
});

describe('CRM webhook handler (Pipedrive webhooks v2, Basic auth)', () => {
  it('wrong or missing credentials fail verification with the reason; nothing is fetched', () => {
    const handler = handlerFor(connector());
    expect(handler.verify(delivery(dealEvent(1, 'e'), 'wrong'))).toEqual({
      ok: false,
      reason: 'Pipedrive webhook credentials do not match',
    });
    expect(handler.verify({ rawBody: Buffer.from('{}'), headers: {} })).toEqual({ ok: false, reason: 'no Basic authorization header' });
    expect(handler.verify(delivery(dealEvent(1, 'e')))).toEqual({ ok: true });
    expect(fake.requests).toHaveLength(0);
  });

  it('a body that is not JSON or has no meta is a bad request naming the problem', async () => {
    const handler = handlerFor(connector());
    await expect(handler.action(delivery('not json{'))).rejects.toThrow(new WebhookBadRequest('pipedrive webhook: body is not JSON'));
    await expect(handler.action(delivery({ data: {} }))).rejects.toThrow(
      new WebhookBadRequest('pipedrive webhook: no meta (webhooks v2 expected)'),
    );
    await expect(handler.action(delivery({ meta: { entity: 'deal' } }))).rejects.toThrow('pipedrive webhook: meta.entity_id missing');
  });

  it('a delivery about another entity is ignored under a batch id derived from the body', async () => {
    const handler = handlerFor(connector());
    const a = await handler.action(delivery(dealEvent(5, 'p-1', 'person')));
    expect(a).toEqual({ kind: 'ignore', eventId: expect.stringMatching(/^batch:[0-9a-f]{32}$/), reason: 'no deal events in the delivery' });
    const b = await handler.action(delivery(dealEvent(5, 'p-1', 'person')));
    expect(b.eventId).toBe(a.eventId);
  });

  it('a deal event is recorded once under its event id; the same delivery again is a duplicate', async () => {
    putWon(1, 1);
    const handler = handlerFor(connector());
    const a = await handler.action(delivery(dealEvent(1, 'evt-1')));
    expect(a).toMatchObject({ kind: 'handle', eventId: 'pipedrive:evt-1' });
    if (a.kind !== 'handle') throw new Error('expected handle');
    const first = await a.run();
    const irn = new CrmDeals(h.db).get('pipedrive', '1')!.irn!;
    expect(first).toEqual({
      message: 'deals 1, issued 1',
      result: { results: [{ event: 'pipedrive:evt-1', duplicate: false, deals: [{ deal: '1', outcome: 'issued', irn }] }] },
    });
    const again = await handler.action(delivery(dealEvent(1, 'evt-1')));
    if (again.kind !== 'handle') throw new Error('expected handle');
    expect(await again.run()).toEqual({
      message: 'duplicate event',
      result: { results: [{ event: 'pipedrive:evt-1', duplicate: true, deals: [] }] },
    });
    expect(invoiceCount(h, 'pipedrive')).toBe(1);
  });
});
