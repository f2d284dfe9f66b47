// Lightspeed X-Series connector against its loopback fake: code exchange, rotating refresh tokens
// stored before use, precise connection tests, the version change feed across pages, 429 with an
// HTTP-date Retry-After, outages, bad payloads, a crash mid-feed, and signed sale.update webhooks.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeLightspeedX, lightspeedXSale, LSX_TAX_ID } from '../../fakes/lightspeed-x-api';
import { harness, invoiceCount, externalIds, type Harness } from './harness';
import { LightspeedXConnector } from '../../../main/sources/lightspeed-x/connector';
import { lightspeedXAuthorizeUrl, lightspeedXExchangeCode } from '../../../main/sources/lightspeed-x/auth';
import { LightspeedXConfigSchema, WebhookConfigSchema, type LightspeedXConfig } from '../../../main/capture/config';
import { Poller } from '../../../main/capture/polling/poller';
import { readTokens, secretName, writeTokens } from '../../../main/capture/tokens';
import { WebhookReceiver } from '../../../main/capture/webhooks/receiver';
import { lightspeedXHandler } from '../../../main/sources/lightspeed-x/webhook';

let fake: FakeLightspeedX;
let h: Harness;

function connector(extra: Partial<LightspeedXConfig> = {}): LightspeedXConnector {
  const cfg = LightspeedXConfigSchema.parse({
    vendor: 'lightspeed-x',
    domainPrefix: fake.domainPrefix,
    baseUrl: fake.url,
    auth: 'oauth',
    clientId: fake.clientId,
    pageSize: 2,
    mapOptions: { taxRates: { [LSX_TAX_ID]: '7.5' } },
    ...extra,
  });
  return new LightspeedXConnector(cfg, h.deps);
}

async function connectOauth(): Promise<void> {
  h.secrets.set(secretName('lightspeed-x', 'client_secret'), fake.clientSecret);
  writeTokens(
    h.secrets,
    'lightspeed-x',
    await lightspeedXExchangeCode(h.deps.http, {
      baseUrl: fake.url,
      clientId: fake.clientId,
      clientSecret: fake.clientSecret,
      code: fake.issueCode(),
      redirectUri: 'http://localhost/cb',
      now: Date.now(),
    }),
  );
}

beforeEach(async () => {
  fake = new FakeLightspeedX();
  await fake.start();
  h = harness();
});
afterEach(async () => {
  await fake.stop();
  h.close();
});

describe('Lightspeed X auth', () => {
  it('authorize URL, code exchange; near expiry the refresh rotates both tokens and the new refresh token is stored before use', async () => {
    const u = new URL(lightspeedXAuthorizeUrl({ clientId: fake.clientId, redirectUri: 'http://localhost/cb', state: 'st' }));
    expect(u.origin + u.pathname).toBe('https://secure.retail.lightspeed.app/connect');
    expect(u.searchParams.get('response_type')).toBe('code');
    await connectOauth();
    const first = readTokens(h.secrets, 'lightspeed-x')!;
    expect(first.refreshToken).toBeTruthy();
    const c = connector();
    expect(await c.testConnection()).toMatchObject({ ok: true });
    h.clock.offsetMs = 23.5 * 3600_000; // within the 1-hour margin of the 24-hour token
    fake.clockOffsetMs = h.clock.offsetMs;
    fake.putSale(lightspeedXSale('S-1'));
    await new Poller(h.db, h.state, c.source, h.ingest).runOnce();
    const now = readTokens(h.secrets, 'lightspeed-x')!;
    expect(now.refreshToken).not.toBe(first.refreshToken);
    expect(fake.refreshTokens.has(first.refreshToken!)).toBe(false);
    expect(fake.refreshTokens.has(now.refreshToken!)).toBe(true);
    expect(fake.requests.filter((r) => r.path === '/api/1.0/token' && r.form.get('grant_type') === 'refresh_token')).toHaveLength(1);
    expect(invoiceCount(h, 'lightspeed-x')).toBe(1);
    // A second connector instance (e.g. after a restart) refreshes with the stored, rotated token.
    h.clock.offsetMs += 24 * 3600_000;
    fake.clockOffsetMs = h.clock.offsetMs;
    expect(await connector().testConnection()).toMatchObject({ ok: true });
  });

  it('test connection says precisely what is wrong', async () => {
    writeTokens(h.secrets, 'lightspeed-x', { accessToken: 'revoked' });
    h.secrets.set(secretName('lightspeed-x', 'client_secret'), fake.clientSecret);
    expect(await connector({ auth: 'token' }).testConnection()).toMatchObject({
      ok: false,
      problem: 'bad_credentials',
      message: expect.stringMatching(/access token was refused/),
    });
    writeTokens(h.secrets, 'lightspeed-x', { accessToken: 'expired', refreshToken: 'not-a-refresh-token', expiresAt: 0 });
    expect(await connector().testConnection()).toMatchObject({
      ok: false,
      problem: 'bad_credentials',
      message: expect.stringMatching(/Refresh token is invalid/),
    });
    writeTokens(h.secrets, 'lightspeed-x', { accessToken: fake.personalToken() });
    expect(await connector({ auth: 'token', outletId: 'outlet-nowhere' }).testConnection()).toMatchObject({
      ok: false,
      problem: 'unknown_location',
      message: expect.stringMatching(/outlet outlet-nowhere is not one of adestores's outlets \(outlet-ikeja "Ikeja"/),
    });
    fake.scopes = ['outlets:read'];
    expect(await connector({ auth: 'token' }).testConnection()).toMatchObject({
      ok: false,
      problem: 'missing_scope',
      message: expect.stringMatching(/sales:read/),
    });
    fake.scopes = ['sales:read', 'outlets:read'];
    expect(await connector({ auth: 'token', outletId: 'outlet-ikeja' }).testConnection()).toMatchObject({ ok: true });
    await fake.stop();
    expect(await connector({ auth: 'token' }).testConnection()).toMatchObject({ ok: false, problem: 'unreachable' });
  });
});

describe('Lightspeed X polling', () => {
  beforeEach(() => writeTokens(h.secrets, 'lightspeed-x', { accessToken: fake.personalToken() }));

  it('follows the version feed page by page (after = version.max) until data is empty; other outlets and open sales skipped', async () => {
    for (let i = 0; i < 5; i++) fake.putSale(lightspeedXSale(`X-${i}`, 1000 + i));
    fake.putSale(lightspeedXSale('LEKKI', 500, { outlet_id: 'outlet-lekki' }));
    fake.putSale(lightspeedXSale('PARKED', 500, { status: 'SAVED' }));
    const poller = new Poller(h.db, h.state, connector({ auth: 'token', outletId: 'outlet-ikeja' }).source, h.ingest);
    const r = await poller.runOnce();
    expect(r).toMatchObject({ pages: 4, fetched: 7, sales: 5, skips: 2 });
    expect(externalIds(h, 'lightspeed-x')).toEqual(['X-0', 'X-1', 'X-2', 'X-3', 'X-4']);
    expect(h.state.watermark('lightspeed-x')).toBe(String(fake.sales.get('PARKED')!.version));
    const afters = fake.requests.filter((q) => q.path === '/api/2.0/sales').map((q) => q.query.get('after'));
    expect(afters[0]).toBe('0');
    expect(afters).toHaveLength(5); // 4 pages + the empty one that ends the feed
    // The parked sale is completed later: a new version, after the watermark → invoiced then.
    fake.putSale(lightspeedXSale('PARKED', 500));
    expect((await poller.runOnce()).sales).toBe(1);
  });

  it('429 with Retry-After as an HTTP date, then 502s, are waited out', async () => {
    fake.putSale(lightspeedXSale('RL'));
    fake.faults.push(
      { status: 429, headers: { 'retry-after': new Date(Date.now() + 45_000).toUTCString() } },
      { status: 502 },
      { status: 502 },
    );
    const r = await new Poller(h.db, h.state, connector({ auth: 'token' }).source, h.ingest).runOnce();
    expect(r.sales).toBe(1);
    expect(h.clock.waits[0]).toBeGreaterThan(40_000);
    expect(h.clock.waits.slice(1)).toEqual([1500, 3000]);
  });

  it('a malformed sale is recorded for review with its reason; the feed keeps going', async () => {
    fake.putSale(lightspeedXSale('OK-1'));
    fake.putSale({
      id: 'BAD-1',
      status: 'CLOSED',
      created_at: '2026-11-24T08:00:00+00:00',
      total_price: 1,
      total_tax: 0,
      line_items: 'nope',
    });
    fake.putSale(lightspeedXSale('OK-2'));
    const r = await new Poller(h.db, h.state, connector({ auth: 'token' }).source, h.ingest).runOnce();
    expect(r).toMatchObject({ sales: 2, reviews: 1 });
    expect(h.review.list()).toMatchObject([{ vendorId: 'BAD-1', reason: expect.stringMatching(/line_items/) }]);
  });

  it('a crash mid-feed: committed pages stay, the rest is read after reopening, nothing twice', async () => {
    for (let i = 0; i < 6; i++) fake.putSale(lightspeedXSale(`K-${i}`));
    let n = 0;
    await expect(
      new Poller(h.db, h.state, connector({ auth: 'token' }).source, (o) => {
        if (++n === 3) throw new Error('killed');
        return h.ingest(o);
      }).runOnce(),
    ).rejects.toThrow('killed');
    expect(invoiceCount(h, 'lightspeed-x')).toBe(4);
    h = h.reopen();
    const r = await new Poller(h.db, h.state, connector({ auth: 'token' }).source, h.ingest).runOnce();
    expect(r.sales).toBe(2);
    expect(externalIds(h, 'lightspeed-x')).toEqual(['K-0', 'K-1', 'K-2', 'K-3', 'K-4', 'K-5']);
  });
});

describe('Lightspeed X webhooks', () => {
  it('signed sale.update → the API 2.0 sale fetched, invoice durable, 200; bad signature 401; repeat once', async () => {
    writeTokens(h.secrets, 'lightspeed-x', { accessToken: fake.personalToken() });
    const c = connector({ auth: 'token' });
    const rx = new WebhookReceiver(
      WebhookConfigSchema.parse({ enabled: true, port: 0 }),
      new Map([['lightspeed-x', { handler: lightspeedXHandler(h.secrets, c), poller: new Poller(h.db, h.state, c.source, h.ingest) }]]),
      h.state,
    );
    const { port } = await rx.start();
    const url = `http://127.0.0.1:${port}/webhooks/lightspeed-x`;
    try {
      const sale = fake.putSale(lightspeedXSale('WX-1'));
      expect((await fake.deliver(url, sale, { secret: fake.clientSecret })).status).toBe(401); // no secret stored: fail closed
      h.secrets.set(secretName('lightspeed-x', 'client_secret'), fake.clientSecret);
      expect((await fake.deliver(url, sale, { secret: fake.clientSecret, tamper: true })).status).toBe(401);
      expect(invoiceCount(h, 'lightspeed-x')).toBe(0);
      expect((await fake.deliver(url, sale, { secret: fake.clientSecret })).status).toBe(200);
      expect(invoiceCount(h, 'lightspeed-x')).toBe(1);
      expect(fake.count('/api/2.0/sales/WX-1')).toBe(1);
      expect(JSON.parse((await fake.deliver(url, sale, { secret: fake.clientSecret })).body)).toMatchObject({ duplicate: true });
      expect(invoiceCount(h, 'lightspeed-x')).toBe(1);
      expect(fake.count('/api/2.0/sales/WX-1')).toBe(1);
    } finally {
      await rx.stop();
    }
  });
});
