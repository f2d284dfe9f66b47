// The CRM webhook listener (main/capture/crm/webhooks.ts) on bad deliveries, over loopback: each is
// answered with the right status and a reason naming what is wrong, nothing is recorded, and a
// sender that hangs up mid-body does not take the listener down (it answers the next delivery).
import { request } from 'node:http';
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakePipedrive } from '../../fakes/pipedrive-api';
import { harness, type Harness } from '../../capture/connectors/harness';
import { crmSecret, parseCrmConnection, type HubspotConnection, type PipedriveConnection } from '../../../main/capture/crm/config';
import { createDealPoller } from '../../../main/capture/crm/create-source';
import { writeTokens } from '../../../main/capture/tokens';
import { CrmWebhookServer, hubspotWebhookRoute, pipedriveWebhookRoute } from '../../../main/capture/crm/webhooks';
import { CaptureState } from '../../../main/capture/polling/state';

let fake: FakePipedrive;
let h: Harness;
let server: CrmWebhookServer;
let base: string;
const PUBLIC = 'https://pos.example.ng';
const NOW = 1_795_000_000_000;

beforeEach(async () => {
  fake = new FakePipedrive();
  await fake.start();
  h = harness();
  const pd = parseCrmConnection({ source: 'pipedrive', auth: 'api_token', baseUrl: fake.url }) as PipedriveConnection;
  const hs = parseCrmConnection({ source: 'hubspot', auth: 'private_app', baseUrl: fake.url }) as HubspotConnection;
  writeTokens(h.secrets, 'pipedrive', { accessToken: fake.apiToken });
  server = new CrmWebhookServer(
    [
      pipedriveWebhookRoute(h.secrets, createDealPoller(h.ledger, pd, h.deps)),
      hubspotWebhookRoute(
        h.secrets,
        createDealPoller(h.ledger, hs, h.deps),
        (p) => `${PUBLIC}${p}`,
        () => NOW,
      ),
    ],
    { host: '127.0.0.1', port: 0, allowRemote: false },
  );
  const { port } = await server.start();
  base = `http://127.0.0.1:${port}`;
});
afterEach(async () => {
  await server.stop();
  h.close();
  await fake.stop();
});

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
async function post(path: string, body: string, headers: Record<string, string> = {}, method = 'POST') {
  const res = await fetch(`${base}${path}`, { method, body: method === 'GET' ? undefined : body, headers });
  return { status: res.status, body: (await res.json()) as { ok: boolean; error?: string; results?: unknown[] } };
}
const nothingRecorded = () => expect(new CaptureState(h.db).hasEvent('pipedrive', 'pipedrive:evt-1')).toBe(false);

describe('routes and listening', () => {
  it('unknown paths and methods are 404; a listener beyond loopback needs allowRemote', async () => {
    expect(await post('/webhooks/salesforce', '{}')).toEqual({ status: 404, body: { ok: false, error: 'unknown webhook path' } });
    expect((await post('/webhooks/pipedrive', '', {}, 'GET')).status).toBe(404);
    await expect(new CrmWebhookServer([], { host: '0.0.0.0', port: 0, allowRemote: false }).start()).rejects.toThrow(
      'webhooks.host: 0.0.0.0 is not loopback; allowRemote must be set to listen beyond this machine',
    );
  });

  it('a body over 1 MiB is refused with 413', async () => {
    h.secrets.set(crmSecret('pipedrive', 'webhook_basic'), 'u:p');
    const r = await post('/webhooks/pipedrive', 'x'.repeat(1024 * 1024 + 10), { authorization: basic('u', 'p') });
    expect(r).toEqual({ status: 413, body: { ok: false, error: 'body too large' } });
  });
});

describe('Pipedrive deliveries', () => {
  const delivery = (meta: unknown) => JSON.stringify({ meta, data: {} });

  it('fails closed: no credentials configured, no Basic header, wrong credentials', async () => {
    const body = delivery({ entity: 'deal', entity_id: '1', id: 'evt-1' });
    expect(await post('/webhooks/pipedrive', body, { authorization: basic('u', 'p') })).toEqual({
      status: 401,
      body: { ok: false, error: 'no Pipedrive webhook credentials configured' },
    });
    h.secrets.set(crmSecret('pipedrive', 'webhook_basic'), 'u:p');
    expect((await post('/webhooks/pipedrive', body, { authorization: 'Bearer x' })).body.error).toBe('no Basic authorization header');
    expect((await post('/webhooks/pipedrive', body, { authorization: basic('u', 'q') })).body.error).toBe(
      'Pipedrive webhook credentials do not match',
    );
    expect(fake.requests).toHaveLength(0);
    nothingRecorded();
  });

  it('malformed bodies are 400 naming what is wrong; other entities are answered and ignored', async () => {
    h.secrets.set(crmSecret('pipedrive', 'webhook_basic'), 'u:p');
    const auth = { authorization: basic('u', 'p') };
    expect(await post('/webhooks/pipedrive', '{"meta":', auth)).toEqual({
      status: 400,
      body: { ok: false, error: 'pipedrive webhook: body is not JSON' },
    });
    expect((await post('/webhooks/pipedrive', '{"event":"updated.deal"}', auth)).body.error).toBe(
      'pipedrive webhook: no meta (webhooks v2 expected)',
    );
    expect((await post('/webhooks/pipedrive', 'null', auth)).status).toBe(400);
    expect((await post('/webhooks/pipedrive', delivery({ entity: 'deal', id: 'evt-1' }), auth)).body.error).toBe(
      'pipedrive webhook: meta.entity_id missing',
    );
    expect(await post('/webhooks/pipedrive', delivery({ entity: 'person', entity_id: 5 }), auth)).toEqual({
      status: 200,
      body: { ok: true, results: [] },
    });
    expect(fake.requests).toHaveLength(0);
    nothingRecorded();
  });

  it('the CRM answering 500 when the deal is fetched: 503 with its words, so Pipedrive redelivers; the event is not claimed', async () => {
    h.secrets.set(crmSecret('pipedrive', 'webhook_basic'), 'u:p');
    for (let i = 0; i < 10; i++) fake.faults.push({ status: 500, json: { success: false, error: 'Internal server error' } });
    const r = await post('/webhooks/pipedrive', delivery({ entity: 'deal', entity_id: 1, id: 'evt-1' }), {
      authorization: basic('u', 'p'),
    });
    expect(r.status).toBe(503);
    expect(r.body.ok).toBe(false);
    expect(r.body.error).toMatch(/500/);
    nothingRecorded();
  });

  it('a sender hanging up mid-body is not answered and does not stop the listener', async () => {
    h.secrets.set(crmSecret('pipedrive', 'webhook_basic'), 'u:p');
    const { port } = new URL(base);
    await new Promise<void>((resolve) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/webhooks/pipedrive', headers: { 'content-length': '1000' } });
      req.on('error', () => resolve());
      req.write('{"meta": {"entity": "deal"');
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 100);
    });
    // Give the listener time to see the hang-up; then it must still answer.
    await new Promise((r) => setTimeout(r, 200));
    expect(
      (await post('/webhooks/pipedrive', delivery({ entity: 'person', entity_id: 5 }), { authorization: basic('u', 'p') })).status,
    ).toBe(200);
    nothingRecorded();
  });
});

describe('HubSpot deliveries', () => {
  const sign = (secret: string, body: string, ts: number) =>
    createHmac('sha256', secret).update(`POST${PUBLIC}/webhooks/hubspot${body}${ts}`).digest('base64');
  const hubspot = (body: string, o: { secret?: string; ts?: number } = {}) => {
    const ts = o.ts ?? NOW - 1000;
    return post('/webhooks/hubspot', body, {
      'x-hubspot-signature-v3': sign(o.secret ?? 'hs-secret', body, ts),
      'x-hubspot-request-timestamp': String(ts),
    });
  };

  it('fails closed without a client secret; a stale timestamp or a wrong secret is 401 with the reason', async () => {
    expect((await hubspot('[]')).body.error).toBe('no HubSpot client secret configured');
    h.secrets.set(crmSecret('hubspot', 'client_secret'), 'hs-secret');
    expect((await hubspot('[]', { ts: NOW - 10 * 60_000 })).body.error).toMatch(
      /HubSpot timestamp is -?600 s away from now \(limit 300 s\)/,
    );
    expect(await hubspot('[]', { secret: 'other' })).toEqual({
      status: 401,
      body: { ok: false, error: 'HubSpot signature does not match' },
    });
    expect(await hubspot('[]')).toEqual({ status: 200, body: { ok: true, results: [] } });
  });

  it('signed but malformed: not JSON, not an array, a deal event without ids → 400; other subscriptions are ignored', async () => {
    h.secrets.set(crmSecret('hubspot', 'client_secret'), 'hs-secret');
    expect((await hubspot('{')).body).toEqual({ ok: false, error: 'hubspot webhook: body is not JSON' });
    expect((await hubspot('{"eventId":1}')).body.error).toBe('hubspot webhook: body is not a JSON array of events');
    expect((await hubspot('[{"subscriptionType":"deal.propertyChange","eventId":1}]')).body.error).toBe(
      'hubspot webhook: a deal event without objectId/eventId',
    );
    expect(await hubspot('[{"subscriptionType":"contact.creation","objectId":9,"eventId":2}, null]')).toEqual({
      status: 200,
      body: { ok: true, results: [] },
    });
    expect(fake.requests).toHaveLength(0);
  });
});
