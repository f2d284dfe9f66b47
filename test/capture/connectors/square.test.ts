// Square connector against the loopback Square fake: OAuth PKCE + refresh rotation, precise
// connection tests, SearchOrders paging, the 72 h overlap, rate limits, outages, bad payloads,
// a crash before the watermark commit, and signed webhooks.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSquare, squareOrder, SQUARE_ALL_SCOPES } from '../../fakes/square-api';
import { harness, invoiceCount, externalIds, type Harness } from './harness';
import { SquareConnector } from '../../../main/sources/square/connector';
import { squareAuthorizeUrl, squareExchangeCode } from '../../../main/sources/square/auth';
import { parseWatermark } from '../../../main/sources/square/poller';
import { pkcePair, randomState } from '../../../main/capture/oauth';
import { SquareConfigSchema, type SquareConfig } from '../../../main/capture/config';
import { Poller } from '../../../main/capture/polling/poller';
import { readTokens, writeTokens, secretName } from '../../../main/capture/tokens';
import { ConnectorError } from '../../../main/capture/errors';
import { WebhookReceiver } from '../../../main/capture/webhooks/receiver';
import { squareHandler } from '../../../main/sources/square/webhook';
import { WebhookConfigSchema } from '../../../main/capture/config';

let fake: FakeSquare;
let h: Harness;
const HOUR = 3600_000;

function config(extra: Partial<SquareConfig> = {}): SquareConfig {
  return SquareConfigSchema.parse({ vendor: 'square', baseUrl: fake.url, auth: 'token', locationIds: ['L1'], pageSize: 3, ...extra });
}

function connectWithToken(scopes = SQUARE_ALL_SCOPES, extra: Partial<SquareConfig> = {}): SquareConnector {
  writeTokens(h.secrets, 'square', { accessToken: fake.personalToken(scopes) });
  return new SquareConnector(config(extra), h.deps);
}

beforeEach(async () => {
  fake = new FakeSquare();
  await fake.start();
  h = harness();
});
afterEach(async () => {
  await fake.stop();
  h.close();
});

describe('Square auth', () => {
  it('PKCE: authorize URL → code → tokens stored; refreshed before expiry with the rotated refresh token stored first', async () => {
    const { verifier, challenge } = pkcePair();
    const state = randomState();
    const url = squareAuthorizeUrl({
      baseUrl: fake.url,
      clientId: fake.clientId,
      state,
      codeChallenge: challenge,
      redirectUri: 'http://localhost:53682/callback',
    });
    expect(new URL(url).searchParams.get('scope')).toBe('ORDERS_READ PAYMENTS_READ MERCHANT_PROFILE_READ CUSTOMERS_READ');
    const redirect = await fetch(url, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    const back = new URL(redirect.headers.get('location')!);
    expect(back.searchParams.get('state')).toBe(state);
    // A wrong verifier is refused (the code is then spent, as Square's codes are single-use).
    await expect(
      squareExchangeCode(h.deps.http, {
        baseUrl: fake.url,
        clientId: fake.clientId,
        code: back.searchParams.get('code')!,
        codeVerifier: pkcePair().verifier,
        now: Date.now(),
      }),
    ).rejects.toMatchObject({ problem: 'bad_credentials' });
    const again = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location')!);
    const tokens = await squareExchangeCode(h.deps.http, {
      baseUrl: fake.url,
      clientId: fake.clientId,
      code: again.searchParams.get('code')!,
      codeVerifier: verifier,
      now: Date.now(),
    });
    writeTokens(h.secrets, 'square', tokens);
    expect(tokens.expiresAt! - Date.now()).toBeGreaterThan(29 * 86_400_000);

    const c = new SquareConnector(config({ auth: 'oauth', clientId: fake.clientId, pkce: true }), h.deps);
    expect((await c.testConnection()).ok).toBe(true);
    expect(fake.requests.filter((r) => r.path === '/oauth2/token')).toHaveLength(2); // the two exchanges, no refresh yet

    // 24 days later (6 days left of 30): renewed before use, old refresh token spent and replaced.
    h.clock.offsetMs = 24 * 86_400_000;
    fake.clockOffsetMs = h.clock.offsetMs;
    const firstRefresh = tokens.refreshToken!;
    fake.putOrder(squareOrder('ORD-A'));
    await new Poller(h.db, h.state, c.source, h.ingest).runOnce();
    const now = readTokens(h.secrets, 'square')!;
    expect(now.refreshToken).not.toBe(firstRefresh);
    expect(fake.refreshTokens.has(firstRefresh)).toBe(false);
    expect(fake.refreshTokens.has(now.refreshToken!)).toBe(true);
    expect(now.expiresAt! - h.clock.now()).toBeGreaterThan(29 * 86_400_000);
    // The refresh came before any API call with an expired token: no 401 was ever answered.
    const search = fake.requests.filter((r) => r.path === '/v2/orders/search');
    expect(search.every((r) => r.headers.authorization === `Bearer ${now.accessToken}`)).toBe(true);
    expect(h.secrets.writes.at(-1)!.name).toBe(secretName('square', 'tokens'));
    expect(invoiceCount(h, 'square')).toBe(1);
  });

  it('code flow with the application secret: refresh keeps the same refresh token (Square only rotates for PKCE)', async () => {
    const loc = new URL(
      (await fetch(squareAuthorizeUrl({ baseUrl: fake.url, clientId: fake.clientId, state: 's' }), { redirect: 'manual' })).headers.get(
        'location',
      )!,
    );
    await expect(
      squareExchangeCode(h.deps.http, { baseUrl: fake.url, clientId: fake.clientId, code: 'x', now: Date.now() }),
    ).rejects.toMatchObject({ problem: 'not_configured' });
    const t = await squareExchangeCode(h.deps.http, {
      baseUrl: fake.url,
      clientId: fake.clientId,
      code: loc.searchParams.get('code')!,
      clientSecret: fake.clientSecret,
      now: Date.now(),
    });
    writeTokens(h.secrets, 'square', { ...t, expiresAt: Date.now() + 60_000 }); // about to expire
    h.secrets.set(secretName('square', 'client_secret'), fake.clientSecret);
    const c = new SquareConnector(config({ auth: 'oauth', clientId: fake.clientId, pkce: false }), h.deps);
    expect(await c.testConnection()).toMatchObject({ ok: true });
    const refresh = fake.requests.filter((r) => r.path === '/oauth2/token').at(-1)!.json as Record<string, string>;
    expect(refresh).toMatchObject({ grant_type: 'refresh_token', client_secret: fake.clientSecret, refresh_token: t.refreshToken });
    expect(readTokens(h.secrets, 'square')!.refreshToken).toBe(t.refreshToken);
  });

  it('an access token rejected mid-way (revoked) is refreshed once and the call retried', async () => {
    const { verifier, challenge } = pkcePair();
    const loc = new URL(
      (
        await fetch(squareAuthorizeUrl({ baseUrl: fake.url, clientId: fake.clientId, state: 's', codeChallenge: challenge }), {
          redirect: 'manual',
        })
      ).headers.get('location')!,
    );
    writeTokens(
      h.secrets,
      'square',
      await squareExchangeCode(h.deps.http, {
        baseUrl: fake.url,
        clientId: fake.clientId,
        code: loc.searchParams.get('code')!,
        codeVerifier: verifier,
        now: Date.now(),
      }),
    );
    fake.access.clear(); // Square revoked every access token
    const c = new SquareConnector(config({ auth: 'oauth', clientId: fake.clientId }), h.deps);
    const r = await c.testConnection();
    expect(r).toMatchObject({ ok: true });
    expect(fake.requests.filter((r) => r.path === '/oauth2/token')).toHaveLength(2); // exchange + one refresh
  });

  it('test connection says precisely what is wrong', async () => {
    writeTokens(h.secrets, 'square', { accessToken: 'EAAA-not-a-token' });
    expect(await new SquareConnector(config(), h.deps).testConnection()).toMatchObject({
      ok: false,
      problem: 'bad_credentials',
      message: expect.stringMatching(/access token was refused/),
    });

    const noOrders = connectWithToken(['MERCHANT_PROFILE_READ', 'PAYMENTS_READ']);
    expect(await noOrders.testConnection()).toMatchObject({
      ok: false,
      problem: 'missing_scope',
      message: expect.stringMatching(/lacks scope ORDERS_READ/),
    });

    const wrongLoc = connectWithToken(SQUARE_ALL_SCOPES, { locationIds: ['L9'] });
    expect(await wrongLoc.testConnection()).toMatchObject({
      ok: false,
      problem: 'unknown_location',
      message: expect.stringMatching(/location L9 is not one of this account's locations \(L1 "Ade Stores Ikeja", L2/),
    });

    const ok = connectWithToken();
    expect(await ok.testConnection()).toMatchObject({ ok: true, summary: expect.stringMatching(/merchant MLFAKE123/) });

    await fake.stop();
    const down = await ok.testConnection();
    expect(down).toMatchObject({
      ok: false,
      problem: 'unreachable',
      message: expect.stringMatching(/cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/),
    });
  });
});

describe('Square polling', () => {
  it('pages through SearchOrders to the end and stores the newest updated_at as the watermark', async () => {
    const c = connectWithToken();
    const base = Date.now() - 2 * HOUR;
    for (let i = 0; i < 8; i++) fake.putOrder(squareOrder(`ORD-${i}`, 100_000 + i * 1075), { updatedAt: base + i * 60_000 });
    fake.putOrder(squareOrder('OTHER-LOC'), { location: 'L2', updatedAt: base });
    fake.putOrder({ ...squareOrder('OPEN-1'), state: 'OPEN' }, { updatedAt: base + 30_000 });
    const poller = new Poller(h.db, h.state, c.source, h.ingest);
    const r = await poller.runOnce();
    expect(r).toMatchObject({ pages: 3, fetched: 9, sales: 8, skips: 1, reviews: 0 });
    expect(externalIds(h, 'square')).toEqual(['ORD-0', 'ORD-1', 'ORD-2', 'ORD-3', 'ORD-4', 'ORD-5', 'ORD-6', 'ORD-7']);
    expect(parseWatermark(h.state.watermark('square')).watermark).toBe(new Date(base + 7 * 60_000).toISOString());
    expect(parseWatermark(h.state.watermark('square')).deepAt).toBeGreaterThan(0); // the first poll is a deep (72 h) scan
    expect(
      fake.requests.filter((q) => q.path === '/v2/orders/search').map((q) => (q.json as { cursor?: string }).cursor !== undefined),
    ).toEqual([false, true, true]);
    // The OPEN order completes later: a new version → invoiced then.
    fake.putOrder(squareOrder('OPEN-1'));
    expect((await poller.runOnce()).sales).toBe(1);
    expect(invoiceCount(h, 'square')).toBe(9);
  });

  it('a late (offline) order behind the watermark, inside the 72 h overlap, is captured exactly once by the next deep scan', async () => {
    const c = connectWithToken();
    const poller = new Poller(h.db, h.state, c.source, h.ingest);
    fake.putOrder(squareOrder('NOW-1'), { updatedAt: Date.now() - 1000 });
    await poller.runOnce();
    const wm = parseWatermark(h.state.watermark('square')).watermark!;
    fake.putOrder(squareOrder('OFFLINE-1'), { updatedAt: Date.now() - 48 * HOUR });
    // Within the hour: a short (10 min) overlap, which does not reach 48 h back.
    expect((await poller.runOnce()).sales).toBe(0);
    const startOf = () =>
      Date.parse(
        (
          fake.requests.filter((q) => q.path === '/v2/orders/search').at(-1)!.json as {
            query: { filter: { date_time_filter: { updated_at: { start_at: string } } } };
          }
        ).query.filter.date_time_filter.updated_at.start_at,
      );
    expect(Date.parse(wm) - startOf()).toBe(10 * 60_000);
    h.clock.offsetMs = 61 * 60_000; // the hourly deep scan is due
    const r = await poller.runOnce();
    expect(r.sales).toBe(1);
    expect(Date.parse(wm) - startOf()).toBe(72 * HOUR);
    expect(parseWatermark(h.state.watermark('square')).watermark).toBe(wm); // never moves backwards
    const r2 = await poller.runOnce();
    expect(r2).toMatchObject({ fresh: 0, sales: 0 });
    expect(externalIds(h, 'square')).toEqual(['NOW-1', 'OFFLINE-1']);
  });

  it("looks up the order's customer so a TIN in the configured field makes the invoice B2B", async () => {
    const c = connectWithToken();
    fake.customers.set('CUST-1', {
      id: 'CUST-1',
      company_name: 'Okafor Trading Ltd',
      reference_id: '23456789-0001',
      email_address: 'ap@okafor.ng',
    });
    fake.putOrder(squareOrder('B2B-1', 107_500, { customer_id: 'CUST-1' }), { updatedAt: Date.now() - 2000 });
    fake.putOrder(squareOrder('GONE-1', 107_500, { customer_id: 'CUST-DELETED' }), { updatedAt: Date.now() - 1000 });
    const r = await new Poller(h.db, h.state, c.source, h.ingest).runOnce();
    // The TIN makes the sale B2B; NRS v1.1 then needs the buyer's full postal address, which this
    // customer lacks, so the ledger refuses it and it waits in review naming what is missing.
    expect(r.sales).toBe(2); // both map to sales; the ledger refuses the incomplete B2B one
    expect(h.ledger.findBySourceId('square', 'B2B-1')).toBeUndefined();
    const [review] = h.review.list({ vendor: 'square' });
    expect(review).toMatchObject({ vendorId: 'B2B-1' });
    expect(review!.reason).toMatch(/B2B invoice needs a complete buyer: .*customer\.address/);
    expect(review!.reason).not.toMatch(/customer\.(tin|email)/); // the looked-up customer's TIN and email were read
    expect(review!.payload).toMatchObject({ id: 'B2B-1', customer_id: 'CUST-1' });
    expect(h.ledger.findBySourceId('square', 'GONE-1')!.b2b).toBe(false); // a deleted customer: still a (B2C) sale
    expect(fake.count('/v2/customers/')).toBe(2);
  });

  it('429 with Retry-After in seconds and as an HTTP date are both honoured', async () => {
    const c = connectWithToken();
    fake.putOrder(squareOrder('RL-1'));
    fake.faults.push({
      status: 429,
      headers: { 'retry-after': '7' },
      json: { errors: [{ category: 'RATE_LIMIT_ERROR', code: 'RATE_LIMITED', detail: 'slow down' }] },
    });
    fake.faults.push({
      status: 429,
      headers: { 'retry-after': new Date(Date.now() + 30_000).toUTCString() },
      json: { errors: [{ code: 'RATE_LIMITED' }] },
    });
    const r = await new Poller(h.db, h.state, c.source, h.ingest).runOnce();
    expect(r.sales).toBe(1);
    expect(h.clock.waits[0]).toBe(7000);
    // The date is 30 s after the real now; the connector's clock had already waited 7 s.
    expect(h.clock.waits[1]).toBeGreaterThan(20_000);
    expect(h.clock.waits[1]).toBeLessThanOrEqual(23_000);
  });

  it('down for hours (5xx): each poll backs off exponentially with jitter and fails; back up → everything, no gap', async () => {
    const c = connectWithToken();
    const poller = new Poller(h.db, h.state, c.source, h.ingest);
    fake.putOrder(squareOrder('BEFORE'));
    await poller.runOnce();
    fake.down = true;
    const during: string[] = [];
    for (let i = 0; i < 5; i++) {
      fake.putOrder(squareOrder(`DURING-${i}`), { updatedAt: Date.now() + i });
      during.push(`DURING-${i}`);
      const err = await poller.runOnce().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConnectorError);
      expect((err as ConnectorError).problem).toBe('vendor_error');
    }
    // 4 attempts per poll: waits 1 s, 2 s, 4 s (equal jitter with random 0.5 → 75 %).
    expect(h.clock.waits.slice(0, 3)).toEqual([750, 1500, 3000]);
    fake.down = false;
    const r = await poller.runOnce();
    expect(r.sales).toBe(5);
    expect(externalIds(h, 'square')).toEqual(['BEFORE', ...during]);
  });

  it('a malformed order goes to the review queue with its reason and the rest of the page is invoiced', async () => {
    const c = connectWithToken();
    const bad = squareOrder('BAD-1');
    delete (bad as Record<string, unknown>).total_money;
    fake.putOrder(squareOrder('GOOD-1'), { updatedAt: Date.now() - 3000 });
    fake.putOrder(bad, { updatedAt: Date.now() - 2000 });
    fake.putOrder({ ...squareOrder('MISMATCH-1'), total_money: { amount: 1, currency: 'NGN' } }, { updatedAt: Date.now() - 1000 });
    fake.putOrder(squareOrder('GOOD-2'));
    const poller = new Poller(h.db, h.state, c.source, h.ingest);
    const r = await poller.runOnce();
    expect(r).toMatchObject({ sales: 2, reviews: 2 });
    expect(externalIds(h, 'square')).toEqual(['GOOD-1', 'GOOD-2']);
    const items = h.review.list();
    expect(items.map((i) => [i.vendorId, i.reason])).toEqual([
      ['BAD-1', expect.stringMatching(/total_money/)],
      ['MISMATCH-1', expect.stringMatching(/POS charged 0\.01/)],
    ]);
    await poller.runOnce(); // seen: not queued again
    expect(h.review.list()).toHaveLength(2);
    expect(h.review.list()[0]!.seenCount).toBe(1);
  });

  it('a crash after fetching, before the page commit: reopened, the poll resumes with no gap and no duplicate', async () => {
    const c = connectWithToken();
    const base = Date.now() - HOUR;
    for (let i = 0; i < 7; i++) fake.putOrder(squareOrder(`C-${i}`), { updatedAt: base + i * 1000 });
    let pages = 0;
    const crashing = new Poller(h.db, h.state, c.source, (outcomes) => {
      if (++pages === 2) {
        h.ingest(outcomes); // sales written inside the page transaction…
        throw new Error('simulated crash'); // …then the process dies before commit
      }
      return h.ingest(outcomes);
    });
    await expect(crashing.runOnce()).rejects.toThrow('simulated crash');
    expect(externalIds(h, 'square')).toEqual(['C-0', 'C-1', 'C-2']);
    expect(parseWatermark(h.state.watermark('square')).watermark).toBe(new Date(base + 2000).toISOString());
    expect(parseWatermark(h.state.watermark('square')).deepAt).toBeUndefined(); // the deep scan did not finish
    h = h.reopen();
    const c2 = new SquareConnector(config(), h.deps);
    const r = await new Poller(h.db, h.state, c2.source, h.ingest).runOnce();
    expect(r.sales).toBe(4);
    expect(externalIds(h, 'square')).toEqual(['C-0', 'C-1', 'C-2', 'C-3', 'C-4', 'C-5', 'C-6']);
    expect(h.ledger.verify().ok).toBe(true);
  });
});

describe('Square webhooks', () => {
  async function receiver(c: SquareConnector, cfg: SquareConfig) {
    const poller = new Poller(h.db, h.state, c.source, h.ingest);
    const rx = new WebhookReceiver(
      WebhookConfigSchema.parse({ enabled: true, port: 0 }),
      new Map([['square', { handler: squareHandler(cfg, h.secrets, c), poller }]]),
      h.state,
    );
    const { port } = await rx.start();
    return { rx, url: `http://127.0.0.1:${port}/webhooks/square` };
  }

  it('valid signature → full order fetched, invoice durable, then 200; wrong signature → 401 and nothing; repeat event → once', async () => {
    const cfg = config({ notificationUrl: 'https://relay.example.ng/webhooks/square' });
    writeTokens(h.secrets, 'square', { accessToken: fake.personalToken() });
    h.secrets.set(secretName('square', 'webhook_secret'), 'sig-key-123');
    const c = new SquareConnector(cfg, h.deps);
    const { rx, url } = await receiver(c, cfg);
    try {
      fake.putOrder(squareOrder('WH-1'));
      const event = fake.orderEvent('WH-1', 'order.created', 'evt-1');
      const bad = await fake.deliver(url, event, { signatureKey: 'sig-key-123', notificationUrl: cfg.notificationUrl!, tamper: true });
      expect(bad.status).toBe(401);
      expect(invoiceCount(h, 'square')).toBe(0);
      expect(h.state.hasEvent('square', 'evt-1')).toBe(false);

      const ok = await fake.deliver(url, event, { signatureKey: 'sig-key-123', notificationUrl: cfg.notificationUrl! });
      expect(ok.status).toBe(200);
      // Durable when the 200 arrived: a separate connection sees it.
      const { default: Database } = await import('better-sqlite3');
      const other = new Database(h.file, { readonly: true });
      expect(other.prepare("SELECT COUNT(*) AS n FROM invoices WHERE external_id = 'WH-1'").get()).toEqual({ n: 1 });
      other.close();
      expect(fake.count('/v2/orders/WH-1', 'GET')).toBe(1); // id-only event → the order was fetched

      const again = await fake.deliver(url, event, { signatureKey: 'sig-key-123', notificationUrl: cfg.notificationUrl! });
      expect(again.status).toBe(200);
      expect(JSON.parse(again.body)).toMatchObject({ duplicate: true });
      expect(invoiceCount(h, 'square')).toBe(1);

      // A different event about the same order version is not a second invoice either.
      const other2 = await fake.deliver(url, fake.orderEvent('WH-1', 'order.updated', 'evt-2'), {
        signatureKey: 'sig-key-123',
        notificationUrl: cfg.notificationUrl!,
      });
      expect(other2.status).toBe(200);
      expect(invoiceCount(h, 'square')).toBe(1);
      // Polling afterwards sees the order as already handled.
      expect((await new Poller(h.db, h.state, c.source, h.ingest).runOnce()).fresh).toBe(0);
    } finally {
      await rx.stop();
    }
  });

  it('a webhook is answered while a poll waits out a 10-minute Retry-After, and the poll then adds no duplicate', async () => {
    const cfg = config({ notificationUrl: 'https://relay.example.ng/webhooks/square' });
    writeTokens(h.secrets, 'square', { accessToken: fake.personalToken() });
    h.secrets.set(secretName('square', 'webhook_secret'), 'k2');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const waits: number[] = [];
    const c = new SquareConnector(cfg, {
      ...h.deps,
      clock: {
        ...h.clock,
        sleep: async (ms) => {
          waits.push(ms);
          await gate;
        },
      },
    });
    const { rx, url } = await receiver(c, cfg);
    try {
      fake.putOrder(squareOrder('BUSY-1'), { updatedAt: Date.now() - 1000 });
      fake.faults.push({ status: 429, headers: { 'retry-after': '600' }, path: '/v2/orders/search' });
      const poll = new Poller(h.db, h.state, c.source, h.ingest).runOnce();
      await vi.waitFor(() => expect(waits).toEqual([600_000]));
      const r = await fake.deliver(url, fake.orderEvent('BUSY-1', 'order.updated', 'evt-busy'), {
        signatureKey: 'k2',
        notificationUrl: cfg.notificationUrl!,
      });
      expect(r.status).toBe(200);
      expect(invoiceCount(h, 'square')).toBe(1);
      release();
      expect(await poll).toMatchObject({ fresh: 0, sales: 0 });
      expect(invoiceCount(h, 'square')).toBe(1);
    } finally {
      release();
      await rx.stop();
    }
  });

  it("payment.* events fetch the payment's order; refund.* events run a poll that picks up the return order", async () => {
    const cfg = config({ notificationUrl: 'https://relay.example.ng/webhooks/square' });
    writeTokens(h.secrets, 'square', { accessToken: fake.personalToken() });
    h.secrets.set(secretName('square', 'webhook_secret'), 'k3');
    const c = new SquareConnector(cfg, h.deps);
    const { rx, url } = await receiver(c, cfg);
    try {
      fake.putOrder(squareOrder('PAY-1'), { updatedAt: Date.now() - 5000 });
      const payment = {
        merchant_id: fake.merchantId,
        type: 'payment.updated',
        event_id: 'evt-pay',
        created_at: new Date().toISOString(),
        data: { type: 'payment', id: 'PMT-1', object: { payment: { id: 'PMT-1', order_id: 'PAY-1', status: 'COMPLETED' } } },
      };
      expect((await fake.deliver(url, payment, { signatureKey: 'k3', notificationUrl: cfg.notificationUrl! })).status).toBe(200);
      expect(fake.count('/v2/orders/PAY-1', 'GET')).toBe(1);
      const ret = squareOrder('RET-1', 107_500, {
        line_items: [],
        returns: [
          {
            source_order_id: 'PAY-1',
            return_line_items: (squareOrder('x').line_items as Record<string, unknown>[]).map((l) => ({
              ...l,
              gross_return_money: l.gross_sales_money,
            })),
            return_taxes: squareOrder('x').taxes,
          },
        ],
        return_amounts: { total_money: { amount: 107_500, currency: 'NGN' } },
      });
      fake.putOrder(ret, { updatedAt: Date.now() - 1000 });
      const refund = {
        merchant_id: fake.merchantId,
        type: 'refund.created',
        event_id: 'evt-ref',
        created_at: new Date().toISOString(),
        data: { type: 'refund', id: 'RF-1', object: { refund: { id: 'RF-1', order_id: 'RET-1', status: 'PENDING' } } },
      };
      const r = await fake.deliver(url, refund, { signatureKey: 'k3', notificationUrl: cfg.notificationUrl! });
      expect(r.status).toBe(200);
      expect(JSON.parse(r.body)).toMatchObject({ polled: 1 }); // PAY-1 was already handled
      const credit = h.ledger.findBySourceId('square', 'RET-1')!;
      expect(credit.original_irn).toBe(h.ledger.findBySourceId('square', 'PAY-1')!.irn);
      expect(
        JSON.parse((await fake.deliver(url, refund, { signatureKey: 'k3', notificationUrl: cfg.notificationUrl! })).body),
      ).toMatchObject({ duplicate: true });
    } finally {
      await rx.stop();
    }
  });

  it('fails closed without a signature key, and answers 503 (redeliver) when the order cannot be fetched', async () => {
    const cfg = config({ notificationUrl: 'https://relay.example.ng/webhooks/square' });
    writeTokens(h.secrets, 'square', { accessToken: fake.personalToken() });
    const c = new SquareConnector(cfg, h.deps);
    const { rx, url } = await receiver(c, cfg);
    try {
      fake.putOrder(squareOrder('WH-2'));
      const r = await fake.deliver(url, fake.orderEvent('WH-2'), { signatureKey: 'anything', notificationUrl: cfg.notificationUrl! });
      expect(r.status).toBe(401);
      expect(JSON.parse(r.body).error).toMatch(/no Square signature key configured/);
      h.secrets.set(secretName('square', 'webhook_secret'), 'k');
      fake.down = true;
      const r2 = await fake.deliver(url, fake.orderEvent('WH-2', 'order.updated', 'evt-down'), {
        signatureKey: 'k',
        notificationUrl: cfg.notificationUrl!,
      });
      expect(r2.status).toBe(503);
      expect(h.state.hasEvent('square', 'evt-down')).toBe(false);
      fake.down = false;
      const r3 = await fake.deliver(url, fake.orderEvent('WH-2', 'order.updated', 'evt-down'), {
        signatureKey: 'k',
        notificationUrl: cfg.notificationUrl!,
      });
      expect(r3.status).toBe(200);
      expect(invoiceCount(h, 'square')).toBe(1);
    } finally {
      await rx.stop();
    }
  });
});
