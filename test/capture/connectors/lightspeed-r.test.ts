// Lightspeed R-Series connector against its loopback fake: authorize → code → tokens, access and
// refresh tokens rotated on refresh and stored first, precise connection tests, Sale.json paging
// by timeStamp through @attributes.next, overlap, returns linked through SaleLine lookups, 429,
// outages, malformed sales and a crash between pages. (R has no sales webhooks: polling only.)
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeLightspeedR, lightspeedRSale } from '../../fakes/lightspeed-r-api';
import { harness, invoiceCount, externalIds, type Harness } from './harness';
import { LightspeedRConnector } from '../../../main/sources/lightspeed-r/connector';
import { lightspeedRAuthorizeUrl, lightspeedRExchangeCode } from '../../../main/sources/lightspeed-r/auth';
import { LightspeedRConfigSchema, type LightspeedRConfig } from '../../../main/capture/config';
import { Poller } from '../../../main/capture/polling/poller';
import { INVOICE_TYPE } from '../../../shared/domain/firs-invoice';
import { readTokens, secretName, writeTokens } from '../../../main/capture/tokens';

let fake: FakeLightspeedR;
let h: Harness;

function connector(extra: Partial<LightspeedRConfig> = {}): LightspeedRConnector {
  return new LightspeedRConnector(
    LightspeedRConfigSchema.parse({
      vendor: 'lightspeed-r',
      accountId: fake.accountId,
      baseUrl: fake.url,
      authUrl: fake.url,
      clientId: fake.clientId,
      pageSize: 2,
      ...extra,
    }),
    h.deps,
  );
}

async function connect(): Promise<void> {
  h.secrets.set(secretName('lightspeed-r', 'client_secret'), fake.clientSecret);
  const url = lightspeedRAuthorizeUrl({
    authUrl: fake.url,
    clientId: fake.clientId,
    state: 'st-1',
    redirectUri: 'http://localhost:53682/cb',
  });
  const loc = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location')!);
  expect(loc.searchParams.get('state')).toBe('st-1');
  writeTokens(
    h.secrets,
    'lightspeed-r',
    await lightspeedRExchangeCode(h.deps.http, {
      authUrl: fake.url,
      clientId: fake.clientId,
      clientSecret: fake.clientSecret,
      code: loc.searchParams.get('code')!,
      now: Date.now(),
    }),
  );
}

beforeEach(async () => {
  fake = new FakeLightspeedR();
  await fake.start();
  h = harness();
  await connect();
});
afterEach(async () => {
  await fake.stop();
  h.close();
});

describe('Lightspeed R auth', () => {
  it('refreshes before expiry; access and refresh tokens both rotate and the new pair is stored before use', async () => {
    const first = readTokens(h.secrets, 'lightspeed-r')!;
    const c = connector();
    expect(await c.testConnection()).toMatchObject({ ok: true, summary: 'connected to Lightspeed R account 123456' });
    h.clock.offsetMs = 58 * 60_000; // 2 minutes before the 1-hour token expires (margin 5 minutes)
    fake.clockOffsetMs = h.clock.offsetMs;
    fake.putSale(lightspeedRSale('501'), { at: fake.now() - 60_000 });
    fake.requests.length = 0;
    await new Poller(h.db, h.state, c.source, h.ingest).runOnce();
    const now = readTokens(h.secrets, 'lightspeed-r')!;
    expect(now.accessToken).not.toBe(first.accessToken);
    expect(now.refreshToken).not.toBe(first.refreshToken);
    expect(fake.refreshTokens.has(first.refreshToken!)).toBe(false);
    expect(fake.refreshTokens.has(now.refreshToken!)).toBe(true);
    const saleCalls = fake.requests.filter((r) => r.path.endsWith('/Sale.json'));
    expect(saleCalls.every((r) => r.headers.authorization === `Bearer ${now.accessToken}`)).toBe(true);
    expect(invoiceCount(h, 'lightspeed-r')).toBe(1);
  });

  it('test connection says precisely what is wrong', async () => {
    expect(await connector({ accountId: '999' }).testConnection()).toMatchObject({
      ok: false,
      problem: 'unknown_location',
      message: expect.stringMatching(/account 999 is not this token's \(123456 "Ade Stores"\)/),
    });
    expect(await connector({ shopId: '7' }).testConnection()).toMatchObject({
      ok: false,
      problem: 'unknown_location',
      message: expect.stringMatching(/shop 7 is not in account 123456 \(1 "Ade Stores Yaba"\)/),
    });
    expect(await connector({ shopId: '1' }).testConnection()).toMatchObject({ ok: true });
    // A token granted without the register scope.
    fake.scope = 'employee:inventory';
    writeTokens(h.secrets, 'lightspeed-r', { accessToken: 'x', refreshToken: [...fake.refreshTokens][0]!, expiresAt: 0 });
    expect(await connector().testConnection()).toMatchObject({
      ok: false,
      problem: 'missing_scope',
      message: expect.stringMatching(/Insufficient scope.*employee:register_read/),
    });
    // The refresh token was revoked (e.g. the app was disconnected in Lightspeed).
    fake.refreshTokens.clear();
    writeTokens(h.secrets, 'lightspeed-r', { accessToken: 'x', refreshToken: 'gone', expiresAt: 0 });
    expect(await connector().testConnection()).toMatchObject({
      ok: false,
      problem: 'bad_credentials',
      message: expect.stringMatching(/refresh token is invalid/),
    });
    await fake.stop();
    expect(await connector().testConnection()).toMatchObject({ ok: false, problem: 'unreachable' });
  });
});

describe('Lightspeed R polling', () => {
  it('pages Sale.json by timeStamp through @attributes.next (a lone sale comes as an object) and stores the newest timeStamp', async () => {
    const t0 = Date.now() - 30 * 60_000;
    for (let i = 0; i < 5; i++) fake.putSale(lightspeedRSale(String(600 + i), String(1000 + i * 10)), { at: t0 + i * 1000 });
    fake.putSale(lightspeedRSale('699', '50', { completed: 'false' }), { at: t0 + 10_000 });
    const r = await new Poller(h.db, h.state, connector().source, h.ingest).runOnce();
    expect(r).toMatchObject({ pages: 3, fetched: 6, sales: 5, skips: 1 });
    expect(externalIds(h, 'lightspeed-r')).toEqual(['600', '601', '602', '603', '604']);
    expect(h.state.watermark('lightspeed-r')).toBe(new Date(Math.floor((t0 + 10_000) / 1000) * 1000).toISOString());
    const first = fake.requests.find((q) => q.path.endsWith('/Sale.json'))!;
    expect(first.query.get('sort')).toBe('timeStamp');
    expect(first.query.get('timeStamp')).toMatch(/^>=,\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);
    expect(JSON.parse(first.query.get('load_relations')!)).toEqual(expect.arrayContaining(['SaleLines', 'SalePayments', 'Customer']));
    expect(
      fake.requests
        .filter((q) => q.path.endsWith('/Sale.json'))
        .slice(1)
        .every((q) => q.query.get('after')),
    ).toBe(true);
  });

  it('a sale stamped behind the watermark inside the overlap is captured once; a return finds its original through SaleLine', async () => {
    const poller = new Poller(h.db, h.state, connector({ overlapMinutes: 60 }).source, h.ingest);
    fake.putSale(lightspeedRSale('700'), { at: Date.now() - 60_000 });
    await poller.runOnce();
    fake.putSale(lightspeedRSale('701'), { at: Date.now() - 40 * 60_000 });
    const ret = lightspeedRSale('702', '1000');
    Object.assign(ret, { calcSubtotal: '-1000', calcTax1: '-75.00', calcTotal: '-1075.00', total: '-1075.00' });
    (ret.SaleLines as { SaleLine: Record<string, unknown> }).SaleLine = {
      ...(lightspeedRSale('702').SaleLines as { SaleLine: Record<string, unknown> }).SaleLine,
      unitQuantity: '-1',
      parentSaleLineID: '7001',
    };
    (ret.SalePayments as { SalePayment: Record<string, unknown> }).SalePayment.amount = '-1075.00';
    fake.putSale(ret, { at: Date.now() - 1000 });
    const r = await poller.runOnce();
    expect(r).toMatchObject({ sales: 2, reviews: 0 });
    expect(fake.count(`/API/V3/Account/${fake.accountId}/SaleLine/7001.json`)).toBe(1);
    const credit = h.ledger.findBySourceId('lightspeed-r', '702')!;
    expect(credit.type).toBe(INVOICE_TYPE.creditNote);
    expect(credit.original_irn).toBe(h.ledger.findBySourceId('lightspeed-r', '700')!.irn);
    expect((await poller.runOnce()).fresh).toBe(0);
    expect(invoiceCount(h, 'lightspeed-r')).toBe(3);
  });

  it('429 (leaky bucket) with Retry-After seconds, and 503s, are waited out', async () => {
    fake.putSale(lightspeedRSale('800'), { at: Date.now() - 60_000 });
    fake.faults.push({ status: 429, headers: { 'retry-after': '3', 'x-ls-api-bucket-level': '60/60' } }, { status: 503 });
    expect((await new Poller(h.db, h.state, connector().source, h.ingest).runOnce()).sales).toBe(1);
    expect(h.clock.waits).toEqual([3000, 1500]);
  });

  it('paces itself when the leaky bucket is nearly full (headroom of 5 units at the drip rate)', async () => {
    for (let i = 0; i < 4; i++) fake.putSale(lightspeedRSale(String(850 + i)), { at: Date.now() - 60_000 + i * 1000 });
    fake.bucketLevel = 56; // the two pages report 57/60 then 58/60
    const r = await new Poller(h.db, h.state, connector().source, h.ingest).runOnce();
    expect(r.sales).toBe(4);
    expect(h.clock.waits).toEqual([2000, 3000]);
  });

  it('malformed sales are recorded with their reason; a crash between pages loses and repeats nothing', async () => {
    const t0 = Date.now() - 10 * 60_000;
    fake.putSale(lightspeedRSale('900'), { at: t0 });
    fake.putSale({ saleID: '901', completed: 'true', calcTotal: 'abc' }, { at: t0 + 1000 });
    for (let i = 2; i < 6; i++) fake.putSale(lightspeedRSale(String(900 + i)), { at: t0 + i * 1000 });
    let n = 0;
    await expect(
      new Poller(h.db, h.state, connector().source, (o) => {
        if (++n === 2) throw new Error('crash');
        return h.ingest(o);
      }).runOnce(),
    ).rejects.toThrow('crash');
    expect(externalIds(h, 'lightspeed-r')).toEqual(['900']);
    expect(h.review.list()).toMatchObject([{ vendorId: '901', reason: expect.stringMatching(/Sale\./) }]);
    h = h.reopen();
    const r = await new Poller(h.db, h.state, connector().source, h.ingest).runOnce();
    expect(r.sales).toBe(4);
    expect(externalIds(h, 'lightspeed-r')).toEqual(['900', '902', '903', '904', '905']);
    expect(h.review.list()).toHaveLength(1);
  });
});
