// The deal poller when Pipedrive misbehaves (loopback fake, v2 API contract): a 5xx that does not
// clear, a 200 that is not JSON, 429 with Retry-After, a revoked token, a failing write-back, a
// deal that vanished while in review, a mapper that throws. Each failure names the CRM and what is
// wrong, and nothing is recorded half: deals of pages already committed stay, the watermark never
// runs ahead of what was recorded, and a re-run after the fault does not invoice twice.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakePipedrive } from '../../fakes/pipedrive-api';
import type { FakeRequest, FakeResponse } from '../../capture/connectors/fake-http';
import { harness, invoiceCount, type Harness } from '../../capture/connectors/harness';
import { parseCrmConnection, type PipedriveConnection } from '../../../main/capture/crm/config';
import { createDealPoller, createDealSource } from '../../../main/capture/crm/create-source';
import { DealPoller, runCrmTest } from '../../../main/capture/crm/deal-poller';
import { ConnectorError } from '../../../main/capture/errors';
import { writeTokens } from '../../../main/capture/tokens';
import { CrmDeals } from '../../../main/ledger/crm-deals';
import { ReviewQueue } from '../../../main/ledger/review-queue';
import { putWonDeal } from './pipedrive-deal';

const IRN_FIELD = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0';

/** FakePipedrive that can answer one path with a non-JSON body (a proxy's HTML error page). */
class HtmlPipedrive extends FakePipedrive {
  html: { path: string; status: number } | undefined;
  protected override route(req: FakeRequest): FakeResponse {
    if (this.html && req.path === this.html.path)
      return { status: this.html.status, headers: { 'content-type': 'text/html' }, text: '<html><body>Bad gateway</body></html>' };
    return super.route(req);
  }
}

let fake: HtmlPipedrive;
let h: Harness;

function org(id: number, tin?: string) {
  return {
    id,
    name: `Buyer ${id} Ltd`,
    custom_fields: { ...(tin ? { tin } : {}), email: `ap${id}@buyer.ng` },
    address: {
      street_number: '1',
      route: 'Marina',
      locality: 'Lagos',
      postal_code: '101233',
      admin_area_level_1: 'NG-LA',
      admin_area_level_2: 'NG-LA-IKJ',
      country: 'NG',
    },
  };
}

const putWon = (id: number, orgId: number, at: string) => putWonDeal(fake, id, orgId, at);

function config(over: Record<string, unknown> = {}): PipedriveConnection {
  return parseCrmConnection({
    source: 'pipedrive',
    auth: 'api_token',
    baseUrl: fake.url,
    pageSize: 1,
    ...over,
  }) as PipedriveConnection;
}

const wonWatermark = (h: Harness) => {
  const w = new CrmDeals(h.db).watermark('pipedrive');
  return w === undefined ? undefined : (JSON.parse(w) as { won?: string }).won;
};

beforeEach(async () => {
  fake = new HtmlPipedrive();
  await fake.start();
  h = harness();
  fake.now = () => h.clock.now();
  fake.organizations.set(1, org(1, '12345678-0001'));
  fake.organizations.set(2, org(2));
  writeTokens(h.secrets, 'pipedrive', { accessToken: fake.apiToken });
});
afterEach(async () => {
  h.close();
  await fake.stop();
});

describe('deal poller: vendor failures', () => {
  it('a 500 that outlasts the retries stops the poll naming Pipedrive and the status; the committed page stays, the watermark stops there, a re-run does not invoice twice', async () => {
    putWon(1, 1, '2026-11-20T09:00:00Z');
    putWon(2, 1, '2026-11-20T10:00:00Z');
    const poller = createDealPoller(h.ledger, config(), h.deps);
    let dealCalls = 0;
    fake.beforeRoute = (req) => {
      // The second page of the won feed (cursor set) fails every time it is asked for.
      if (req.path !== '/api/v2/deals' || !req.query.get('cursor')) return;
      dealCalls++;
      fake.faults.push({ status: 500, path: '/api/v2/deals', json: { success: false, error: 'Internal server error', errorCode: 500 } });
    };
    const err = await poller.runOnce().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as ConnectorError).problem).toBe('vendor_error');
    expect((err as Error).message).toBe('pipedrive: Internal server error (HTTP 500)');
    expect(dealCalls).toBe(h.backoff.maxAttempts); // retried, then given up
    expect(h.clock.waits).toHaveLength(h.backoff.maxAttempts - 1);
    // Page one (deal 1) is durable with its watermark; deal 2 was never recorded.
    const deals = new CrmDeals(h.db);
    expect(deals.get('pipedrive', '1')).toMatchObject({ state: 'invoiced' });
    expect(deals.get('pipedrive', '2')).toBeUndefined();
    expect(wonWatermark(h)).toBe('2026-11-20T09:00:00Z');
    expect(invoiceCount(h, 'pipedrive')).toBe(1);

    fake.beforeRoute = undefined;
    const again = await poller.runOnce();
    expect(again.issued).toBe(1);
    expect(deals.get('pipedrive', '2')).toMatchObject({ state: 'invoiced' });
    expect(invoiceCount(h, 'pipedrive')).toBe(2);
    expect(wonWatermark(h)).toBe('2026-11-20T10:00:00Z');
    expect(h.ledger.verify().ok).toBe(true);
  });

  it('a 200 whose body is an HTML page is a bad_response naming the URL; nothing is recorded and the watermark is not set', async () => {
    putWon(1, 1, '2026-11-20T09:00:00Z');
    fake.html = { path: '/api/v2/deals', status: 200 };
    const poller = createDealPoller(h.ledger, config(), h.deps);
    await expect(poller.runOnce()).rejects.toMatchObject({
      problem: 'bad_response',
      message: `pipedrive: ${fake.url}/api/v2/deals answered HTTP 200 without a JSON body`,
    });
    expect(h.clock.waits).toEqual([]); // not transient: not retried
    expect(invoiceCount(h, 'pipedrive')).toBe(0);
    expect(new CrmDeals(h.db).watermark('pipedrive')).toBeUndefined();
    // A 502 HTML page is the vendor's fault: retried, and named with the page's text.
    fake.html = { path: '/api/v2/deals', status: 502 };
    await expect(poller.runOnce()).rejects.toMatchObject({
      problem: 'vendor_error',
      message: 'pipedrive: <html><body>Bad gateway</body></html> (HTTP 502)',
    });
    expect(h.clock.waits).toHaveLength(h.backoff.maxAttempts - 1);
    expect(invoiceCount(h, 'pipedrive')).toBe(0);
  });

  it('a deals page without data[] is a bad_response naming the path, before anything is recorded', async () => {
    putWon(1, 1, '2026-11-20T09:00:00Z');
    fake.faults.push({ status: 200, path: '/api/v2/deals', json: { success: true, items: [] } });
    await expect(createDealPoller(h.ledger, config(), h.deps).runOnce()).rejects.toThrow(
      'pipedrive: /api/v2/deals answered without data[]',
    );
    expect(invoiceCount(h, 'pipedrive')).toBe(0);
  });

  it('429 with Retry-After waits exactly that long (capped by the backoff), then carries on', async () => {
    putWon(1, 1, '2026-11-20T09:00:00Z');
    fake.faults.push({
      status: 429,
      path: '/api/v2/deals',
      headers: { 'retry-after': '7' },
      json: { success: false, error: 'Rate limit' },
    });
    const r = await createDealPoller(h.ledger, config(), h.deps).runOnce();
    expect(h.clock.waits).toEqual([7000]);
    expect(r.issued).toBe(1);
  });

  it('a revoked API token is bad_credentials naming Pipedrive, tried once (an API token cannot be renewed), nothing recorded', async () => {
    putWon(1, 1, '2026-11-20T09:00:00Z');
    writeTokens(h.secrets, 'pipedrive', { accessToken: 'revoked-token' });
    const err = (await createDealPoller(h.ledger, config(), h.deps)
      .runOnce()
      .catch((e: unknown) => e)) as ConnectorError;
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err.problem).toBe('bad_credentials');
    expect(err.message).toMatch(/^pipedrive: /);
    expect(h.clock.waits).toEqual([]);
    expect(fake.count('/api/v2/deals')).toBe(1);
    expect(invoiceCount(h, 'pipedrive')).toBe(0);
    expect(new CrmDeals(h.db).watermark('pipedrive')).toBeUndefined();
  });
});

describe('deal poller: write-back, re-checks, mapper crashes', () => {
  it('a write-back the CRM refuses leaves the invoice and marks the deal failed with the reason; the next poll writes it back once', async () => {
    putWon(1, 1, '2026-11-20T09:00:00Z');
    const poller = createDealPoller(h.ledger, config({ writeback: true, writebackFields: { irn: IRN_FIELD } }), h.deps);
    // The CRM refuses the first PATCH only (the bundle's GETs of /api/v2/deals/1/… are answered).
    let refused = false;
    fake.beforeRoute = (req) => {
      if (req.method !== 'PATCH' || refused) return;
      refused = true;
      fake.faults.push({ status: 400, path: req.path, json: { success: false, error: 'Custom field not found', errorCode: 400 } });
    };
    const r = await poller.runOnce();
    expect(r).toMatchObject({ issued: 1, writtenBack: 0, writebackFailed: 1 });
    const deals = new CrmDeals(h.db);
    const d = deals.get('pipedrive', '1')!;
    expect(d).toMatchObject({ state: 'invoiced', writeback: 'failed', writebackError: 'pipedrive: Custom field not found (HTTP 400)' });
    expect(fake.patches).toEqual([]);
    expect(invoiceCount(h, 'pipedrive')).toBe(1);

    const r2 = await poller.runOnce();
    expect(r2).toMatchObject({ issued: 0, writtenBack: 1, writebackFailed: 0 });
    expect(fake.patches).toEqual([{ id: 1, body: { custom_fields: { [IRN_FIELD]: d.irn } } }]);
    expect(deals.get('pipedrive', '1')).toMatchObject({ writeback: 'done', writebackError: null });
    // Nothing changed since: not written again.
    expect((await poller.runOnce()).writtenBack).toBe(0);
    expect(fake.patches).toHaveLength(1);
  });

  it('write-back switched on without the IRN field key fails naming the missing flag; the invoice stands', async () => {
    putWon(1, 1, '2026-11-20T09:00:00Z');
    const r = await createDealPoller(h.ledger, config({ writeback: true }), h.deps).runOnce();
    expect(r).toMatchObject({ issued: 1, writebackFailed: 1 });
    expect(new CrmDeals(h.db).get('pipedrive', '1')).toMatchObject({
      state: 'invoiced',
      writeback: 'failed',
      writebackError: 'pipedrive: write-back needs the deal custom-field key for the IRN (--writeback-field)',
    });
  });

  it('a deal waiting for a TIN that was deleted in the CRM is withdrawn on the re-check and its review resolved', async () => {
    putWon(7, 2, '2026-11-20T09:00:00Z'); // organization 2 has no TIN
    const poller = createDealPoller(h.ledger, config(), h.deps);
    const first = await poller.runOnce();
    expect(first.reviews).toBe(1);
    const deals = new CrmDeals(h.db);
    const reviewId = deals.get('pipedrive', '7')!.reviewId!;
    expect(new ReviewQueue(h.db).get(reviewId)!.status).toBe('open');

    fake.deals.delete(7);
    const r = await poller.runOnce();
    expect(r.rechecked).toBe(1);
    expect(r.results).toEqual([
      expect.objectContaining({ dealId: '7', outcome: 'withdrawn', reason: 'no longer won: the deal no longer exists in the CRM' }),
    ]);
    expect(deals.get('pipedrive', '7')).toMatchObject({ state: 'withdrawn', reviewId: null });
    expect(new ReviewQueue(h.db).get(reviewId)).toMatchObject({ status: 'resolved' });
    expect(invoiceCount(h, 'pipedrive')).toBe(0);
  });

  it('a mapper that throws on one deal makes that deal a review naming the error; the other deals of the page are invoiced', async () => {
    putWon(1, 1, '2026-11-20T09:00:00Z');
    putWon(2, 1, '2026-11-20T09:30:00Z');
    const real = createDealSource(config({ pageSize: 10 }), h.deps);
    const source = Object.assign(Object.create(real) as typeof real, {
      map(bundles: unknown[]) {
        const b = bundles[0] as { deal: { id: number } };
        if (b.deal.id === 2) throw new TypeError("Cannot read properties of undefined (reading 'rate')");
        return real.map(bundles);
      },
    });
    const poller = new DealPoller(h.db, h.ledger, h.review, new CrmDeals(h.db), source, { writeback: false, recheckReviews: 0 });
    const r = await poller.runOnce();
    expect(r).toMatchObject({ fetched: 2, issued: 1, reviews: 1 });
    const deals = new CrmDeals(h.db);
    expect(deals.get('pipedrive', '2')).toMatchObject({
      state: 'review',
      reason: "could not be mapped: Cannot read properties of undefined (reading 'rate')",
    });
    expect(h.review.list({ vendor: 'pipedrive' })).toEqual([expect.objectContaining({ vendorId: '2', status: 'open' })]);
    expect(invoiceCount(h, 'pipedrive')).toBe(1);
  });

  it('a webhook event is recorded once: the same id again is a duplicate that fetches nothing new and records nothing', async () => {
    putWon(1, 1, '2026-11-20T09:00:00Z');
    const poller = createDealPoller(h.ledger, config(), h.deps);
    const first = await poller.ingestEvent(['1', '99'], 'evt-1');
    expect(first.duplicate).toBe(false);
    expect(first.results.map((x) => [x.dealId, x.outcome])).toEqual([
      ['1', 'issued'],
      ['99', 'none'], // never seen, and gone from the CRM: nothing to withdraw
    ]);
    const before = fake.requests.length;
    expect(await poller.ingestEvent(['1'], 'evt-1')).toEqual({ duplicate: true, results: [] });
    expect(fake.requests.length).toBe(before);
    expect(invoiceCount(h, 'pipedrive')).toBe(1);
  });

  it('a failed poll does not block the next: concurrent polls run one after the other', async () => {
    putWon(1, 1, '2026-11-20T09:00:00Z');
    const poller = createDealPoller(h.ledger, config(), h.deps);
    fake.html = { path: '/api/v2/deals', status: 200 };
    const a = poller.runOnce();
    const b = poller.runOnce();
    await expect(a).rejects.toMatchObject({ problem: 'bad_response' });
    await expect(b).rejects.toMatchObject({ problem: 'bad_response' });
    fake.html = undefined;
    expect((await poller.runOnce()).issued).toBe(1);
  });

  it('runCrmTest turns connector errors into a named result and lets programming errors through', async () => {
    await expect(
      runCrmTest('pipedrive', () => Promise.reject(new ConnectorError('missing_scope', 'pipedrive: deals:read missing'))),
    ).resolves.toEqual({ ok: false, source: 'pipedrive', problem: 'missing_scope', message: 'pipedrive: deals:read missing' });
    await expect(runCrmTest('pipedrive', () => Promise.reject(new RangeError('bug')))).rejects.toThrow(RangeError);
  });
});
