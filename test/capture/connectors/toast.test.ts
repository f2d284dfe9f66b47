// Toast connector against the loopback Toast fake: machine-client login reused until near
// expiry, precise connection tests, ordersBulk paging, overlap, rate limits, a long outage read
// back in slices, bad payloads, a crash mid-window, and signed order_updated webhooks.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeToast, toastOrder } from '../../fakes/toast-api';
import { harness, invoiceCount, externalIds, type Harness } from './harness';
import { ToastConnector } from '../../../main/sources/toast/connector';
import { ToastConfigSchema, WebhookConfigSchema, type ToastConfig } from '../../../main/capture/config';
import { Poller } from '../../../main/capture/polling/poller';
import { readTokens, secretName } from '../../../main/capture/tokens';
import { WebhookReceiver } from '../../../main/capture/webhooks/receiver';
import { toastHandler } from '../../../main/sources/toast/webhook';

let fake: FakeToast;
let h: Harness;
const HOUR = 3600_000;

function connector(extra: Partial<ToastConfig> = {}): ToastConnector {
  const cfg = ToastConfigSchema.parse({
    vendor: 'toast',
    baseUrl: fake.url,
    clientId: fake.clientId,
    restaurantGuid: fake.restaurantGuid,
    pageSize: 2,
    ...extra,
  });
  return new ToastConnector(cfg, h.deps);
}
const advance = (ms: number) => {
  h.clock.offsetMs += ms;
  fake.clockOffsetMs = h.clock.offsetMs;
};

beforeEach(async () => {
  fake = new FakeToast();
  await fake.start();
  h = harness();
  h.secrets.set(secretName('toast', 'client_secret'), fake.clientSecret);
});
afterEach(async () => {
  await fake.stop();
  h.close();
});

describe('Toast auth', () => {
  it('logs in once, reuses the token, and logs in again only near expiry', async () => {
    const c = connector();
    const poller = new Poller(h.db, h.state, c.source, h.ingest);
    await poller.runOnce();
    await poller.runOnce();
    expect(fake.logins).toBe(1);
    const first = readTokens(h.secrets, 'toast')!;
    expect(first.expiresAt! - h.clock.now()).toBeGreaterThan(23 * HOUR);
    advance(24 * HOUR - 5 * 60_000); // 5 minutes before expiry: inside the 10-minute margin
    await poller.runOnce();
    expect(fake.logins).toBe(2);
    expect(readTokens(h.secrets, 'toast')!.accessToken).not.toBe(first.accessToken);
    expect(
      fake.requests
        .filter((r) => r.path === '/orders/v2/ordersBulk')
        .every((r) => r.headers['toast-restaurant-external-id'] === fake.restaurantGuid),
    ).toBe(true);
  });

  it('test connection says precisely what is wrong', async () => {
    expect(await connector().testConnection()).toMatchObject({ ok: true, summary: expect.stringContaining(fake.restaurantGuid) });

    h.secrets.set(secretName('toast', 'client_secret'), 'wrong');
    expect(await connector().testConnection()).toMatchObject({
      ok: false,
      problem: 'bad_credentials',
      message: expect.stringMatching(/login refused for client toast-client-1: Invalid client credentials/),
    });
    h.secrets.delete(secretName('toast', 'client_secret'));
    expect(await connector().testConnection()).toMatchObject({
      ok: false,
      problem: 'not_configured',
      message: expect.stringMatching(/client secret is not stored/),
    });
    h.secrets.set(secretName('toast', 'client_secret'), fake.clientSecret);

    expect(await connector({ restaurantGuid: 'rest-nope' }).testConnection()).toMatchObject({
      ok: false,
      problem: 'unknown_location',
      message: expect.stringMatching(/restaurant rest-nope is unknown or not connected/),
    });

    fake.scope = 'restaurants:read';
    expect(await connector().testConnection()).toMatchObject({
      ok: false,
      problem: 'missing_scope',
      message: expect.stringMatching(/lacks scope orders:read/),
    });
    fake.scope = 'orders:read';

    await fake.stop();
    expect(await connector().testConnection()).toMatchObject({ ok: false, problem: 'unreachable' });
  });
});

describe('Toast polling', () => {
  it('pages through ordersBulk (page/pageSize, Link next) and commits the window end as the watermark with the last page', async () => {
    for (let i = 0; i < 5; i++) fake.putOrder(toastOrder(`T-${i}`, 1000 + i), { modifiedAt: Date.now() - 10 * 60_000 + i });
    fake.putOrder(toastOrder('VOID-1', 500, { voided: true }), { modifiedAt: Date.now() - 60_000 });
    const c = connector();
    const r = await new Poller(h.db, h.state, c.source, h.ingest).runOnce();
    expect(r).toMatchObject({ pages: 4, fetched: 6, sales: 5, skips: 1 }); // a full last page is followed by an empty one
    expect(externalIds(h, 'toast')).toEqual(['T-0', 'T-1', 'T-2', 'T-3', 'T-4']);
    expect(fake.requests.filter((q) => q.path === '/orders/v2/ordersBulk').map((q) => q.query.get('page'))).toEqual(['1', '2', '3', '4']);
    const wm = h.state.watermark('toast')!;
    expect(Math.abs(Date.parse(wm) - h.clock.now())).toBeLessThan(5_000);
  });

  it('a late order modified behind the watermark but inside the overlap is captured once', async () => {
    const c = connector({ overlapMinutes: 30 });
    const poller = new Poller(h.db, h.state, c.source, h.ingest);
    fake.putOrder(toastOrder('EARLY'), { modifiedAt: Date.now() - 60_000 });
    await poller.runOnce();
    fake.putOrder(toastOrder('LATE'), { modifiedAt: Date.now() - 20 * 60_000 });
    expect((await poller.runOnce()).sales).toBe(1);
    expect((await poller.runOnce()).sales).toBe(0);
    expect(externalIds(h, 'toast')).toEqual(['EARLY', 'LATE']);
  });

  it('429 with Retry-After (seconds, then HTTP date) waits as told', async () => {
    fake.putOrder(toastOrder('RL'), { modifiedAt: Date.now() - 1000 });
    fake.faults.push(
      { status: 429, headers: { 'retry-after': '2' } },
      { status: 429, headers: { 'retry-after': new Date(Date.now() + 60_000).toUTCString() } },
    );
    const r = await new Poller(h.db, h.state, connector().source, h.ingest).runOnce();
    expect(r.sales).toBe(1);
    expect(h.clock.waits[0]).toBe(2000);
    expect(h.clock.waits[1]).toBeGreaterThan(50_000);
  });

  it('down for 7 hours: polls fail with backoff; back up → the gap is read in 2-hour slices, every order once', async () => {
    const c = connector({ maxWindowHours: 2, overlapMinutes: 10 });
    const poller = new Poller(h.db, h.state, c.source, h.ingest);
    fake.putOrder(toastOrder('BEFORE'), { modifiedAt: Date.now() - 60_000 });
    await poller.runOnce();
    fake.down = true;
    const during: string[] = [];
    for (let hour = 1; hour <= 7; hour++) {
      advance(HOUR);
      fake.putOrder(toastOrder(`H${hour}`), { modifiedAt: fake.now() - 1000 });
      during.push(`H${hour}`);
      await expect(poller.runOnce()).rejects.toMatchObject({ problem: 'vendor_error' });
    }
    fake.down = false;
    fake.requests.length = 0;
    const r = await poller.runOnce();
    expect(r.sales).toBe(7);
    expect(externalIds(h, 'toast')).toEqual(['BEFORE', ...during].sort());
    expect(fake.requests.filter((q) => q.path === '/orders/v2/ordersBulk' && q.query.get('page') === '1').length).toBeGreaterThanOrEqual(4);
  });

  it('a malformed order is recorded for review with its reason; the others are invoiced', async () => {
    fake.putOrder(toastOrder('OK-1'), { modifiedAt: Date.now() - 3000 });
    fake.putOrder({ guid: 'BROKEN-1', checks: 'not a list' }, { modifiedAt: Date.now() - 2000 });
    fake.putOrder(toastOrder('OK-2'), { modifiedAt: Date.now() - 1000 });
    const r = await new Poller(h.db, h.state, connector().source, h.ingest).runOnce();
    expect(r).toMatchObject({ sales: 2, reviews: 1 });
    expect(h.review.list()).toMatchObject([{ vendor: 'toast', vendorId: 'BROKEN-1', reason: expect.stringMatching(/checks/) }]);
  });

  it('a crash after the first page is committed but before the window watermark: no gap, no duplicate', async () => {
    for (let i = 0; i < 5; i++) fake.putOrder(toastOrder(`K-${i}`), { modifiedAt: Date.now() - 5 * 60_000 + i });
    let n = 0;
    const crashing = new Poller(h.db, h.state, connector().source, (o) => {
      if (++n === 2) throw new Error('power cut');
      return h.ingest(o);
    });
    await expect(crashing.runOnce()).rejects.toThrow('power cut');
    expect(invoiceCount(h, 'toast')).toBe(2);
    expect(h.state.watermark('toast')).toBeUndefined();
    h = h.reopen();
    const r = await new Poller(h.db, h.state, connector().source, h.ingest).runOnce();
    expect(r).toMatchObject({ sales: 3, fresh: 3 });
    expect(externalIds(h, 'toast')).toEqual(['K-0', 'K-1', 'K-2', 'K-3', 'K-4']);
  });
});

describe('Toast webhooks', () => {
  it('signed order_updated with the whole order → durable invoice then 200; wrong signature 401; repeat once; no secret fails closed', async () => {
    const c = connector();
    const rx = new WebhookReceiver(
      WebhookConfigSchema.parse({ enabled: true, port: 0 }),
      new Map([['toast', { handler: toastHandler(c.config, h.secrets), poller: new Poller(h.db, h.state, c.source, h.ingest) }]]),
      h.state,
    );
    const { port } = await rx.start();
    const url = `http://127.0.0.1:${port}/webhooks/toast`;
    try {
      fake.putOrder(toastOrder('W-1'));
      const event = fake.orderUpdated('W-1', 'evt-w1');
      expect((await fake.deliver(url, event, { secret: 'whsec' })).status).toBe(401); // no secret stored yet
      h.secrets.set(secretName('toast', 'webhook_secret'), 'whsec');
      const bad = await fake.deliver(url, event, { secret: 'whsec', tamper: true });
      expect(bad.status).toBe(401);
      expect(invoiceCount(h, 'toast')).toBe(0);
      const ok = await fake.deliver(url, event, { secret: 'whsec' });
      expect(ok.status).toBe(200);
      expect(invoiceCount(h, 'toast')).toBe(1);
      expect(fake.count('/orders/v2/orders/')).toBe(0); // the event carried the whole order
      expect(JSON.parse((await fake.deliver(url, event, { secret: 'whsec' })).body)).toMatchObject({ duplicate: true });
      expect(invoiceCount(h, 'toast')).toBe(1);
      const other = { ...fake.orderUpdated('W-1', 'evt-x'), details: { restaurantGuid: 'someone-else', order: {} } };
      expect(JSON.parse((await fake.deliver(url, other, { secret: 'whsec' })).body)).toMatchObject({
        ignored: expect.stringMatching(/not the configured one/),
      });
    } finally {
      await rx.stop();
    }
  });
});
