// The POS poller when the vendor (Toast loopback fake, ordersBulk paging) fails part-way or sends
// what no schema foresaw: a 500 on the second page past the retries, an HTML page instead of JSON,
// a mapper that throws on an order without a guid. Pages already committed stay, the watermark
// does not run ahead of them, nothing of the failed page is recorded, a re-run invoices each once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeToast, toastOrder } from '../../fakes/toast-api';
import type { FakeRequest, FakeResponse } from './fake-http';
import { externalIds, harness, invoiceCount, type Harness } from './harness';
import { ToastConnector } from '../../../main/sources/toast/connector';
import { ToastConfigSchema } from '../../../main/capture/config';
import { Poller, type ItemSource } from '../../../main/capture/polling/poller';
import { ConnectorError } from '../../../main/capture/errors';
import { secretName } from '../../../main/capture/tokens';

class HtmlToast extends FakeToast {
  html = false;
  protected override route(req: FakeRequest): FakeResponse {
    if (this.html && req.path === '/orders/v2/ordersBulk')
      return { status: 200, headers: { 'content-type': 'text/html' }, text: '<html>Scheduled maintenance</html>' };
    return super.route(req);
  }
}

let fake: HtmlToast;
let h: Harness;

const connector = () =>
  new ToastConnector(
    ToastConfigSchema.parse({
      vendor: 'toast',
      baseUrl: fake.url,
      clientId: fake.clientId,
      restaurantGuid: fake.restaurantGuid,
      pageSize: 2,
    }),
    h.deps,
  );

beforeEach(async () => {
  fake = new HtmlToast();
  await fake.start();
  h = harness();
  h.secrets.set(secretName('toast', 'client_secret'), fake.clientSecret);
  const base = h.clock.now() - 60 * 60_000;
  for (let i = 1; i <= 3; i++) fake.putOrder(toastOrder(`order-${i}`, 1000 * i), { modifiedAt: base + i * 60_000 });
});
afterEach(async () => {
  await fake.stop();
  h.close();
});

describe('POS poller under vendor failures (Toast)', () => {
  it('a 500 on page two past the retries: named, page one stays, the window is not marked done, page two is not half-recorded; a re-run invoices each order once', async () => {
    const poller = new Poller(h.db, h.state, connector().source, h.ingest);
    let pageTwo = 0;
    fake.beforeRoute = (req) => {
      if (req.path !== '/orders/v2/ordersBulk' || req.query.get('page') !== '2') return;
      pageTwo++;
      fake.faults.push({ status: 500, path: '/orders/v2/ordersBulk', json: { status: 500, message: 'Internal Server Error' } });
    };
    const e = (await poller.runOnce().catch((x: unknown) => x)) as ConnectorError;
    expect(e).toBeInstanceOf(ConnectorError);
    expect(e.problem).toBe('vendor_error');
    expect(e.message).toBe('toast: Internal Server Error (HTTP 500)');
    expect(pageTwo).toBe(h.backoff.maxAttempts);
    expect(externalIds(h, 'toast')).toEqual(['order-1', 'order-2']);
    // Toast's window is marked done only after its last page: the next poll reads it again.
    expect(h.state.watermark('toast')).toBeUndefined();

    fake.beforeRoute = undefined;
    const r = await poller.runOnce();
    expect(r.sales).toBe(1);
    expect(externalIds(h, 'toast')).toEqual(['order-1', 'order-2', 'order-3']);
    expect(await poller.runOnce()).toMatchObject({ sales: 0 });
    expect(invoiceCount(h, 'toast')).toBe(3);
    expect(h.ledger.verify().ok).toBe(true);
  });

  it('an HTML page instead of the orders JSON is bad_response naming the URL; nothing recorded, no watermark, not retried', async () => {
    fake.html = true;
    const poller = new Poller(h.db, h.state, connector().source, h.ingest);
    await expect(poller.runOnce()).rejects.toMatchObject({
      problem: 'bad_response',
      message: expect.stringMatching(new RegExp(`^toast: ${fake.url}/orders/v2/ordersBulk.* answered HTTP 200 without a JSON body$`)),
    });
    expect(fake.count('/orders/v2/ordersBulk')).toBe(1);
    expect(invoiceCount(h, 'toast')).toBe(0);
    expect(h.state.watermark('toast')).toBeUndefined();
    fake.html = false;
    expect((await poller.runOnce()).sales).toBe(3);
  });

  it('a mapper that throws on an order without a guid makes one review keyed by the payload hash; the other orders are invoiced', async () => {
    const real = connector().source as ItemSource & { pages: unknown };
    const source = Object.assign(Object.create(real) as typeof real, {
      key: (item: unknown) => ((item as { guid?: string }).guid === 'order-2' ? undefined : real.key(item)),
      map: async (items: unknown[]) => {
        if ((items[0] as { guid?: string }).guid === 'order-2') throw new TypeError('checks is not iterable');
        return real.map(items);
      },
    });
    const r = await new Poller(h.db, h.state, source, h.ingest).runOnce();
    expect(r).toMatchObject({ sales: 2, reviews: 1 });
    const reviews = h.review.list({ vendor: 'toast' });
    expect(reviews).toEqual([
      expect.objectContaining({
        reason: 'could not be mapped: checks is not iterable',
        vendorId: expect.stringMatching(/^\(no id\) [0-9a-f]{32}$/),
      }),
    ]);
    expect(externalIds(h, 'toast')).toEqual(['order-1', 'order-3']);
  });

  it('a source that is not polled is refused by name', async () => {
    const c = connector();
    const webhookOnly: ItemSource = { vendor: 'toast', key: c.source.key, map: c.source.map };
    await expect(new Poller(h.db, h.state, webhookOnly, h.ingest).runOnce()).rejects.toThrow(
      'toast is not a polled source (it delivers by webhook or link)',
    );
  });
});
