// Authenticated vendor calls (VendorApi) against the Toast loopback fake (documented contract:
// bearer token, Toast-Restaurant-External-ID, JSON error bodies {status, code, message}) when the
// vendor answers badly: 5xx and 429 with Retry-After (seconds or an HTTP date), a 200 that is an
// HTML page, a token that expired (renewed once, then named), error bodies of other shapes.
// Errors name the vendor, the vendor's own words and the status; nothing is retried that cannot help.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeToast } from '../../fakes/toast-api';
import type { FakeRequest, FakeResponse } from './fake-http';
import { harness, type Harness } from './harness';
import { VendorApi, vendorMessage } from '../../../main/capture/vendor-api';
import { ConnectorError } from '../../../main/capture/errors';
import { TokenKeeper, writeTokens, type TokenSet } from '../../../main/capture/tokens';
import type { HttpResponse } from '../../../main/capture/http';

class HtmlToast extends FakeToast {
  html = false;
  protected override route(req: FakeRequest): FakeResponse {
    if (this.html) return { status: 200, headers: { 'content-type': 'text/html' }, text: '<html>Maintenance</html>' };
    return super.route(req);
  }
}

let fake: HtmlToast;
let h: Harness;
let renewals: (TokenSet | undefined)[];

beforeEach(async () => {
  fake = new HtmlToast();
  await fake.start();
  h = harness();
  renewals = [];
  fake.putOrder({ guid: 'order-1', businessDate: 20261120 });
  fake.access.set('tok-good', Date.now() + 3_600_000);
  writeTokens(h.secrets, 'toast', { accessToken: 'tok-good' });
});
afterEach(async () => {
  h.close();
  await fake.stop();
});

function api(renewTo?: string, extra: Partial<ConstructorParameters<typeof VendorApi>[0]> = {}): VendorApi {
  const tokens = new TokenKeeper(
    h.secrets,
    'toast',
    async (current) => {
      renewals.push(current);
      if (!renewTo) throw new ConnectorError('bad_credentials', 'toast: cannot renew: log in again');
      return { accessToken: renewTo };
    },
    h.clock.now,
  );
  return new VendorApi({
    vendor: 'toast',
    http: h.deps.http,
    tokens,
    backoff: h.backoff,
    clock: h.clock,
    headers: { 'Toast-Restaurant-External-ID': fake.restaurantGuid },
    ...extra,
  });
}
const getOrder = (a: VendorApi) => a.call({ method: 'GET', url: `${fake.url}/orders/v2/orders/order-1` });
const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a ConnectorError');
    },
    (e: unknown) => e as ConnectorError,
  );

describe('VendorApi: vendor failures', () => {
  it('a 503 that never clears: retried after each Retry-After, then vendor_error in the vendor’s words', async () => {
    for (let i = 0; i < h.backoff.maxAttempts; i++)
      fake.faults.push({ status: 503, headers: { 'retry-after': '3' }, json: { status: 503, message: 'Service temporarily unavailable' } });
    const e = await failure(getOrder(api()));
    expect(e).toBeInstanceOf(ConnectorError);
    expect(e.problem).toBe('vendor_error');
    expect(e.message).toBe('toast: Service temporarily unavailable (HTTP 503)');
    expect(h.clock.waits).toEqual([3000, 3000, 3000]);
    expect(fake.count('/orders/v2/orders/order-1')).toBe(h.backoff.maxAttempts);
  });

  it('429 with Retry-After as an HTTP date waits until then, then the call succeeds', async () => {
    const at = new Date(Math.ceil((Date.now() + 20_000) / 1000) * 1000);
    fake.faults.push({ status: 429, headers: { 'retry-after': at.toUTCString() }, json: { status: 429, message: 'Rate limit exceeded' } });
    const res = await getOrder(api());
    expect((res.body as { guid: string }).guid).toBe('order-1');
    expect(h.clock.waits).toHaveLength(1);
    expect(h.clock.waits[0]).toBeGreaterThan(15_000);
    expect(h.clock.waits[0]).toBeLessThanOrEqual(21_000);
  });

  it('a 200 that is an HTML page is bad_response naming the URL, not retried', async () => {
    fake.html = true;
    const e = await failure(getOrder(api()));
    expect(e.problem).toBe('bad_response');
    expect(e.message).toBe(`toast: ${fake.url}/orders/v2/orders/order-1 answered HTTP 200 without a JSON body`);
    expect(h.clock.waits).toEqual([]);
    expect(fake.count('/orders/')).toBe(1);
  });

  it('an expired token is renewed once and the call repeated; a renewal the vendor also refuses is bad_credentials', async () => {
    fake.access.set('tok-good', Date.now() - 1);
    fake.access.set('tok-new', Date.now() + 3_600_000);
    const res = await getOrder(api('tok-new'));
    expect((res.body as { guid: string }).guid).toBe('order-1');
    expect(renewals).toEqual([{ accessToken: 'tok-good' }]);
    expect(fake.requests.map((r) => r.headers.authorization)).toEqual(['Bearer tok-good', 'Bearer tok-new']);

    renewals = [];
    writeTokens(h.secrets, 'toast', { accessToken: 'tok-good' });
    const e = await failure(getOrder(api('tok-also-bad')));
    expect(e.problem).toBe('bad_credentials');
    expect(e.message).toBe('toast: Authentication failed: the access token is invalid or expired (HTTP 401)');
    expect(renewals).toHaveLength(1); // once, not in a loop
    expect(h.clock.waits).toEqual([]);
  });

  it('a renewal that cannot happen is the error the caller sees', async () => {
    fake.access.set('tok-good', Date.now() - 1);
    const e = await failure(getOrder(api()));
    expect(e).toMatchObject({ problem: 'bad_credentials', message: 'toast: cannot renew: log in again' });
  });

  it('403 and 404 keep their meaning; a refine hook can name the vendor’s case (unknown restaurant)', async () => {
    const refined = api(undefined, {
      refine: (res, err) =>
        res.status === 403 && /restaurant/.test(vendorMessage(res))
          ? new ConnectorError('not_configured', `toast: unknown restaurant ${fake.restaurantGuid}`, { status: 403 })
          : err,
    });
    fake.restaurantGuid = 'someone-else';
    await expect(getOrder(refined)).rejects.toMatchObject({ problem: 'not_configured', message: 'toast: unknown restaurant someone-else' });
    fake.restaurantGuid = 'rest-0000-1111';
    fake.scope = 'restaurants:read';
    await expect(getOrder(api())).rejects.toMatchObject({
      problem: 'missing_scope',
      message: 'toast: Missing required scope orders:read (HTTP 403)',
    });
    fake.scope = 'orders:read restaurants:read';
    await expect(api().call({ method: 'GET', url: `${fake.url}/orders/v2/orders/nope` })).rejects.toMatchObject({
      problem: 'bad_response',
      message: 'toast: Order not found (HTTP 404)',
    });
  });

  it('a pace hook slows the next call, never beyond the backoff cap', async () => {
    await getOrder(api(undefined, { pace: () => 10 * 60 * 60_000 }));
    expect(h.clock.waits).toEqual([h.backoff.capMs]);
  });
});

describe('vendorMessage: the vendor’s own words from any error shape', () => {
  const res = (status: number, body: unknown, text = ''): HttpResponse => ({ status, headers: {}, body, text }) as HttpResponse;
  it('reads errors[0] code/detail, message, error_description, error, detail and nested error.message; else the text or the status', () => {
    expect(vendorMessage(res(400, { errors: [{ code: 'INVALID_VALUE', detail: 'begin_time is malformed' }] }))).toBe(
      'INVALID_VALUE: begin_time is malformed',
    );
    expect(vendorMessage(res(400, { errors: [{ message: 'bad cursor' }] }))).toBe('bad cursor');
    expect(vendorMessage(res(401, { error: 'invalid_grant', error_description: 'Refresh token expired' }))).toBe('Refresh token expired');
    expect(vendorMessage(res(500, { error: { message: 'Internal failure', code: 9 } }))).toBe('Internal failure');
    expect(vendorMessage(res(422, { detail: 'quantity must be positive' }))).toBe('quantity must be positive');
    expect(vendorMessage(res(502, undefined, '<html>Bad gateway</html>'))).toBe('<html>Bad gateway</html>');
    expect(vendorMessage(res(503, {}, ''))).toBe('HTTP 503');
  });
});
