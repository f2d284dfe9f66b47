// The FIRS/NRS client against the loopback fake: each documented answer and each fault is
// classified the way the worker needs (retryable / rejected with details / auth). The real
// sandbox's literal bodies (HTTP 400, "error has occurred") are served verbatim and classified
// from what is specific: "unable to validate api key" → auth; anything else → rejected with its
// details — never "duplicate" from the generic public_message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FirsClient } from '../../main/firs/firs-client';
import { FirsError } from '../../main/firs/errors';
import { parseRetryAfter } from '../../main/net/retry';
import { type FakeFirs, SANDBOX, SANDBOX_CAPTURES, startFakeFirs } from '../fakes/firs-server';
import { issuedInvoices } from './helpers';

let fake: FakeFirs;
let client: FirsClient;
const invoices = issuedInvoices(6);

beforeAll(async () => {
  fake = await startFakeFirs();
  client = new FirsClient({ baseUrl: fake.url, apiKey: fake.apiKey, apiSecret: fake.apiSecret, timeoutMs: 800 });
});
afterAll(() => fake.close());

async function failure(p: Promise<unknown>): Promise<FirsError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(FirsError);
  return e as FirsError;
}

describe('FirsClient against the fake FIRS/NRS API', () => {
  it('health, validate then sign, confirm, update payment, irn validate, code lists', async () => {
    const inv = invoices[0]!.invoice;
    expect(await client.health()).toBe(true);
    await client.validateIrn({ invoice_reference: invoices[0]!.invoice_number, business_id: inv.business_id, irn: inv.irn });
    await client.validate(inv, 'k1');
    expect(await client.confirm(inv.irn)).toBeNull();
    await client.sign(inv, 'k2');
    expect(fake.signed.get(inv.irn)?.count).toBe(1);
    expect(await client.confirm(inv.irn)).toMatchObject({ irn: inv.irn, status: 'SIGNED' });
    await client.updatePayment(inv.irn, { payment_status: 'PAID', reference: 'r-1' }, 'k3');
    expect(fake.payments.get(inv.irn)).toEqual({ payment_status: 'PAID', reference: 'r-1' });
    expect((await client.codeList('currencies')).length).toBeGreaterThan(0);
    const sent = fake.requests.filter((r) => r.path.endsWith('/sign'));
    expect(sent.at(-1)?.idempotencyKey).toBe('k2');
  });

  it('a second sign of the same IRN is a plain 400 refusal (the sandbox envelope); confirm finds the IRN', async () => {
    const e = await failure(client.sign(invoices[0]!.invoice, 'k2'));
    expect(e.kind).toBe('rejected');
    expect(e.status).toBe(400);
    expect(e.extra.publicMessage).toBe(SANDBOX.validationFailed);
    expect(e.details).toContain('already exists');
    expect(fake.signed.get(invoices[0]!.irn)?.count).toBe(1);
    expect(await client.confirm(invoices[0]!.irn)).toMatchObject({ irn: invoices[0]!.irn });
    expect(await client.confirm('NOPE1-94ND90NR-20261124')).toBeNull(); // the sandbox's 400 for an unknown IRN reads as absent
  });

  it('a validation error keeps the platform details (field path and reason)', async () => {
    const bad = { ...invoices[1]!.invoice, business_id: 'not-a-uuid' };
    const e = await failure(client.validate(bad, 'k'));
    expect(e.kind).toBe('rejected');
    expect(e.status).toBe(400);
    expect(e.details).toMatch(/^business_id: /);
    expect(e.message).toContain('business_id');
  });

  it('wrong or expired credentials: the sandbox\'s HTTP 400 "unable to validate api key" is an auth failure', async () => {
    const wrong = new FirsClient({ baseUrl: fake.url, apiKey: 'nope', apiSecret: 'nope' });
    const e = await failure(wrong.validate(invoices[1]!.invoice, 'k'));
    expect(e.kind).toBe('auth');
    expect(e.status).toBe(400);
    expect(e.message).toMatch(/API key and secret/);
    expect(e.message).toContain('unable to validate api key');
    expect(
      await wrong.confirm(invoices[0]!.irn).then(
        () => 'answered',
        (err: FirsError) => err.kind,
      ),
    ).toBe('auth'); // never read as "absent"
    fake.expireCredentials();
    try {
      expect((await failure(client.sign(invoices[1]!.invoice, 'k'))).kind).toBe('auth');
    } finally {
      fake.renewCredentials();
    }
  });

  it('friendly mode (an access point answering 401 and 404) is classified the same way', async () => {
    const friendly = await startFakeFirs({ mode: 'friendly' });
    try {
      const wrong = new FirsClient({ baseUrl: friendly.url, apiKey: 'nope', apiSecret: 'nope' });
      const e = await failure(wrong.validate(invoices[1]!.invoice, 'k'));
      expect([e.kind, e.status]).toEqual(['auth', 401]);
      const right = new FirsClient({ baseUrl: friendly.url, apiKey: friendly.apiKey, apiSecret: friendly.apiSecret });
      expect(await right.confirm(invoices[1]!.irn)).toBeNull();
    } finally {
      await friendly.close();
    }
  });

  it('500, 429 (seconds and HTTP date), malformed body, dropped connection, timeout: retryable', async () => {
    const inv = invoices[2]!.invoice;
    fake.fault({ fault: { kind: 'status500' }, times: 1 });
    expect((await failure(client.validate(inv, 'k'))).kind).toBe('retryable');

    fake.fault({ fault: { kind: 'rate_limited', retryAfter: '7' }, times: 1 });
    let e = await failure(client.validate(inv, 'k'));
    expect(e.kind).toBe('retryable');
    expect(e.extra.retryAfterMs).toBe(7000);

    const date = new Date(Date.now() + 30_000).toUTCString();
    fake.fault({ fault: { kind: 'rate_limited', retryAfter: date }, times: 1 });
    e = await failure(client.validate(inv, 'k'));
    expect(e.extra.retryAfterMs).toBeGreaterThan(25_000);
    expect(e.extra.retryAfterMs).toBeLessThanOrEqual(30_000);

    fake.fault({ fault: { kind: 'malformed' }, times: 1 });
    e = await failure(client.validate(inv, 'k'));
    expect(e.kind).toBe('retryable');
    expect(e.message).toMatch(/malformed/);

    fake.fault({ fault: { kind: 'drop' }, times: 1 });
    e = await failure(client.validate(inv, 'k'));
    expect(e.kind).toBe('retryable');
    expect(e.network).toBe(true);

    fake.fault({ fault: { kind: 'hang' }, times: 1 });
    e = await failure(client.validate(inv, 'k'));
    expect(e.kind).toBe('retryable');
    expect(e.message).toMatch(/timed out/);

    // The answer lost after the sign took effect: the platform has it, the client does not know.
    fake.fault({ fault: { kind: 'drop_after_processing' }, path: '/sign', times: 1 });
    e = await failure(client.sign(inv, 'k'));
    expect(e.network).toBe(true);
    expect(fake.signed.has(inv.irn)).toBe(true);
    expect(await client.confirm(inv.irn)).not.toBeNull();
  });

  it('refused connection and unknown host are retryable network failures', async () => {
    const port = new URL(fake.url).port;
    await fake.down();
    try {
      // A kept-alive socket may first report the reset; the next request is refused outright.
      expect((await failure(client.validate(invoices[3]!.invoice, 'k'))).network).toBe(true);
      const e = await failure(client.validate(invoices[3]!.invoice, 'k'));
      expect(e.network).toBe(true);
      expect(e.message).toMatch(/connection refused/);
      expect(await client.health()).toBe(false);
    } finally {
      await fake.up();
    }
    expect(new URL(fake.url).port).toBe(port);
    const nowhere = new FirsClient({ baseUrl: 'http://no-such-host.invalid', apiKey: 'a', apiSecret: 'b', timeoutMs: 3000 });
    const e = await failure(nowhere.health().then(() => nowhere.validate(invoices[3]!.invoice, 'k')));
    expect(e.network).toBe(true);
    expect(e.extra.code).toMatch(/ENOTFOUND|EAI_AGAIN/);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('120')).toBe(120_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:27:00 GMT'))).toBe(60_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });

  it('refuses a missing configuration with a message naming the field', () => {
    expect(() => new FirsClient({ baseUrl: 'not a url', apiKey: 'k', apiSecret: 's' })).toThrow(
      'firs.baseUrl: must be a URL like https://einvoice.firs.gov.ng',
    );
    expect(() => new FirsClient({ baseUrl: 'http://x', apiKey: '', apiSecret: 's' })).toThrow('firs.apiKey: the FIRS API key is missing');
  });
});

describe("the sandbox's literal bodies, served verbatim", () => {
  let server: Server;
  let base = '';
  let body = '';
  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(400, {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'private',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('"unable to validate api key" (HTTP 400, handler "handler", no details) → auth, on every call', async () => {
    body = JSON.stringify(SANDBOX_CAPTURES.badApiKey);
    const c = new FirsClient({ baseUrl: base, apiKey: 'k', apiSecret: 's' });
    for (const call of [
      () => c.validate({}, 'k'),
      () => c.sign({}, 'k'),
      () => c.confirm('X1-94ND90NR-20261124'),
      () => c.codeList('states'),
    ]) {
      const e = await failure(call());
      expect(e.kind).toBe('auth');
      expect(e.status).toBe(400);
      expect(e.details).toBeUndefined();
    }
  });

  it('a validation failure with the generic "…not a duplicate request" public_message → rejected with its details, never duplicate', async () => {
    body = JSON.stringify(SANDBOX_CAPTURES.validation);
    const c = new FirsClient({ baseUrl: base, apiKey: 'k', apiSecret: 's' });
    const e = await failure(c.sign({}, 'k'));
    expect(e.kind).toBe('rejected');
    expect(e.details).toBe('invalid UUID length: 13');
    expect(e.extra.publicMessage).toContain('duplicate request');
    expect(e.message).toContain('invalid UUID length: 13');
    expect(await c.confirm('X1-94ND90NR-20261124')).toBeNull(); // confirm: a non-auth 400 means the platform has no such IRN
  });
});
