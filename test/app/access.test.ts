// Who may do what (issue 12): the access policy, cashier/manager PINs, the shared wrong-PIN
// throttle, per-client sessions over real loopback HTTP, expiring cookies and LAN log-ins, and
// `set-pin` / `setup --manager-pin-file` through the real binary.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { existsSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { mayCredit, mayViewInvoice } from '../../main/app/access-policy';
import { ManagerSession, type CallContext } from '../../main/app/handlers';
import { dispatch } from '../../main/app/dispatch';
import { AppServices } from '../../main/app/services';
import { AppSettings } from '../../main/app/settings';
import { ManagerPin } from '../../main/app/manager-pin';
import { AppServer, LAN_LOGIN_MS, SESSION_MAX_AGE_S } from '../../main/server/app-server';
import { openDatabase } from '../../main/ledger/database';
import { BUSINESS, CLI, cli, keyPair, setupCli, simpleSale, tempDir } from '../support/fixture';

const PIN = '246810';
const TODAY = '2026-11-24';
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

describe('access policy (pure)', () => {
  const cashier = { manager: false, today: TODAY };
  const manager = { manager: true, today: TODAY };
  const old = { irn: 'T0100000001-94ND90NR-20261115', issue_date: '2026-11-15' };
  const todays = { irn: 'T0100000002-94ND90NR-20261124', issue_date: TODAY };

  it('a cashier sees and credits today only, up to the limit; the manager anything', () => {
    expect(mayViewInvoice(cashier, todays)).toEqual({ allowed: true });
    expect(mayViewInvoice(cashier, old)).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/from 2026-11-15; .* need the manager PIN/),
    });
    expect(mayViewInvoice(manager, old)).toEqual({ allowed: true });
    expect(mayCredit(cashier, old, 100, null)).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/sold on 2026-11-15; crediting a sale from another day needs the manager PIN/),
    });
    expect(mayCredit(cashier, todays, 5_000_000, null)).toEqual({ allowed: true });
    expect(mayCredit(cashier, todays, 5_000_001, 5_000_000)).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/₦50,000\.01 is above the cashier limit of ₦50,000\.00/),
    });
    expect(mayCredit(cashier, todays, 5_000_000, 5_000_000)).toEqual({ allowed: true });
    expect(mayCredit(manager, old, 9e12, 0)).toEqual({ allowed: true });
  });
});

describe('PINs and the wrong-PIN throttle', () => {
  it('is shared by every process on the data dir and survives a restart', () => {
    const file = join(tempDir(), 'ledger.db');
    const a = openDatabase(file);
    const b = openDatabase(file); // a second process's connection
    let t = 1_000_000;
    const pinA = new ManagerPin(new AppSettings(a), () => t);
    const pinB = new ManagerPin(new AppSettings(b), () => t);
    pinA.set(PIN);
    for (let i = 0; i < 4; i++) expect((i % 2 ? pinA : pinB).check('0000')).toEqual({ ok: false, message: 'wrong PIN' });
    expect(pinB.check('0000')).toMatchObject({ ok: false, retryAfterS: 30 }); // the fifth miss, counted across both
    expect(pinA.check(PIN)).toMatchObject({ ok: false, message: /too many wrong PINs/ });
    a.close();
    b.close();
    const restarted = new ManagerPin(new AppSettings(openDatabase(file)), () => t);
    expect(restarted.check(PIN)).toMatchObject({ ok: false, retryAfterS: 30 });
    t += 31_000;
    expect(restarted.check(PIN)).toEqual({ ok: true });
    expect(restarted.check('0000')).toEqual({ ok: false, message: 'wrong PIN' }); // a success resets the count
  });

  it('cashier PINs log in as cashiers, never unlock the manager area, and must be distinct', () => {
    const pins = new ManagerPin(new AppSettings(openDatabase(join(tempDir(), 'ledger.db'))));
    pins.set(PIN);
    pins.setCashier('Ada', '1111');
    expect(pins.checkAny('1111')).toEqual({ ok: true, role: 'cashier', cashier: 'Ada' });
    expect(pins.checkAny(PIN)).toEqual({ ok: true, role: 'manager' });
    expect(pins.check('1111')).toEqual({ ok: false, message: 'wrong PIN' });
    expect(() => pins.setCashier('Bola', PIN)).toThrow(/manager's/);
    expect(() => pins.setCashier('Bola', '1111')).toThrow(/another cashier/);
    expect(pins.removeCashier('Ada')).toBe(true);
    expect(pins.checkAny('1111').ok).toBe(false);
  });
});

describe('handlers: refunds and other days', () => {
  const NOW = new Date('2026-11-24T20:00:00+01:00');
  async function app() {
    const services = new AppServices({
      dataDir: tempDir(),
      mode: 'browser',
      now: () => NOW,
      demoFeedMs: 0,
      watchMs: 60_000,
      log: () => {},
    });
    cleanup.push(() => services.stop());
    await services.configure(BUSINESS, keyPair().keysFileJson, PIN);
    services.start();
    const session = new ManagerSession(() => NOW.getTime());
    const ctx: CallContext = { services, session };
    const call = (channel: string, payload: unknown) => dispatch(channel, payload, ctx, { checkResponses: true });
    return { services, session, call };
  }

  it('a cashier cannot credit a 9-day-old sale (F4) without the manager PIN, nor open it by a guessed IRN', async () => {
    const { services, session, call } = await app();
    const old = services.ledger.issue(simpleSale('old', '1075.00', { occurred_at: '2026-11-15T10:00:00+01:00' })).invoice;
    const refund = { irn: old.irn, refundId: 'refund-old-0001', lines: [{ index: 0, quantity: '1' }] };
    const denied = await call('invoices.refund', refund);
    expect(denied).toMatchObject({
      ok: false,
      error: { code: 'locked', message: expect.stringMatching(/sold on 2026-11-15; .*manager PIN/) },
    });
    expect(services.ledger.count()).toBe(1);
    for (const channel of ['invoices.get', 'receipt.preview', 'receipt.reprint']) {
      expect(await call(channel, { irn: old.irn })).toMatchObject({ ok: false, error: { code: 'locked' } });
    }
    expect(await call('manager.unlock', { pin: PIN })).toMatchObject({ ok: true, result: { unlocked: true } });
    expect(await call('invoices.get', { irn: old.irn })).toMatchObject({ ok: true });
    expect(await call('invoices.refund', refund)).toMatchObject({
      ok: true,
      result: { invoice: { kind: 'credit_note', original_irn: old.irn } },
    });
    session.lock();
  });

  it('today: a cashier credits up to the configured amount; above it needs the manager', async () => {
    const { services, call } = await app();
    const sale = services.ledger.issue(
      simpleSale('big', '100000.00', {
        occurred_at: '2026-11-24T10:00:00+01:00',
        lines: [{ name: 'TV', quantity: '2', unit_price: '50000.00', tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: true } }],
      }),
    ).invoice;
    services.settings.set('access', { refundLimitKobo: 6_000_000 });
    expect(await call('invoices.get', { irn: sale.irn })).toMatchObject({ ok: true });
    expect(
      await call('invoices.refund', { irn: sale.irn, refundId: 'refund-big-0001', lines: [{ index: 0, quantity: '2' }] }),
    ).toMatchObject({
      ok: false,
      error: { code: 'locked', message: expect.stringMatching(/₦100,000\.00 is above the cashier limit of ₦60,000\.00/) },
    });
    expect(
      await call('invoices.refund', { irn: sale.irn, refundId: 'refund-big-0002', lines: [{ index: 0, quantity: '1' }] }),
    ).toMatchObject({ ok: true });
  });
});

describe('cashier sign-in at the till (handlers)', () => {
  const NOW = new Date('2026-11-24T20:00:00+01:00');
  async function app() {
    const services = new AppServices({
      dataDir: tempDir(),
      mode: 'browser',
      now: () => NOW,
      demoFeedMs: 0,
      watchMs: 60_000,
      log: () => {},
    });
    cleanup.push(() => services.stop());
    await services.configure(BUSINESS, keyPair().keysFileJson, PIN);
    services.start();
    const session = new ManagerSession(() => NOW.getTime());
    const call = (channel: string, payload: unknown) => dispatch(channel, payload, { services, session }, { checkResponses: true });
    const sale = (id: string, extra: Record<string, unknown> = {}) =>
      call('sales.createManual', { sale: { ...simpleSale(id, '1075.00', { occurred_at: '2026-11-24T19:00:00+01:00' }), ...extra } });
    const cashierOf = (irn: string) => services.ledger.findByIrn(irn)!.sale.cashier;
    return { services, session, call, sale, cashierOf };
  }
  type Issued = { ok: true; result: { invoice: { irn: string } } };

  it('a single-till shop (no cashiers) sells without a sign-in and records no cashier', async () => {
    const { call, sale, cashierOf } = await app();
    expect(await call('app.state', {})).toMatchObject({ ok: true, result: { cashiers: [], cashier: null } });
    const r = (await sale('single-1')) as Issued;
    expect(r.ok).toBe(true);
    expect(cashierOf(r.result.invoice.irn)).toBeUndefined();
  });

  it('with cashiers: nobody signed in cannot sell; a signed-in cashier is on every sale, credit note and receipt', async () => {
    const { services, session, call, sale, cashierOf } = await app();
    services.pin.setCashier('Ada', '1357');
    services.pin.setCashier('Bola', '2468');
    expect(await call('app.state', {})).toMatchObject({ ok: true, result: { cashiers: ['Ada', 'Bola'], cashier: null } });
    expect(await sale('c-0')).toMatchObject({
      ok: false,
      error: { code: 'locked', message: expect.stringMatching(/nobody is signed in at this till/) },
    });
    expect(services.ledger.count()).toBe(0);
    // Another cashier's PIN under Ada's name is a wrong PIN.
    expect(await call('cashier.signIn', { name: 'Ada', pin: '2468' })).toMatchObject({
      ok: true,
      result: { signedIn: false, message: 'wrong PIN' },
    });
    expect(await call('cashier.signIn', { name: 'Ada', pin: '12' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await call('cashier.signIn', { name: 'Ada', pin: '1357' })).toEqual({ ok: true, result: { signedIn: true, cashier: 'Ada' } });
    expect(await call('app.state', {})).toMatchObject({ ok: true, result: { cashier: 'Ada' } });
    // The name comes from the session, never from the request.
    const s1 = (await sale('c-1', { cashier: 'Bola' })) as Issued;
    expect(s1.ok).toBe(true);
    expect(cashierOf(s1.result.invoice.irn)).toBe('Ada');
    const preview = await call('receipt.preview', { irn: s1.result.invoice.irn });
    expect(preview.ok && (preview.result as { text: string }).text).toMatch(/Cashier\s+Ada/);
    const credit = (await call('invoices.refund', {
      irn: s1.result.invoice.irn,
      refundId: 'refund-c1-0001',
      lines: [{ index: 0, quantity: '1' }],
    })) as Issued;
    expect(credit.ok).toBe(true);
    expect(cashierOf(credit.result.invoice.irn)).toBe('Ada');
    // Switch cashier.
    expect(await call('cashier.signOut', {})).toEqual({ ok: true, result: { signedIn: false } });
    expect(await sale('c-2')).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(await call('cashier.signIn', { name: 'Bola', pin: '2468' })).toMatchObject({ ok: true, result: { signedIn: true } });
    const s2 = (await sale('c-2')) as Issued;
    expect(cashierOf(s2.result.invoice.irn)).toBe('Bola');
    // A cashier removed while signed in is signed out; the manager alone is recorded as the manager.
    services.pin.removeCashier('Bola');
    expect(await call('app.state', {})).toMatchObject({ ok: true, result: { cashiers: ['Ada'], cashier: null } });
    expect(await sale('c-3')).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(session.cashier).toBeUndefined();
    await call('manager.unlock', { pin: PIN });
    const s3 = (await sale('c-3')) as Issued;
    expect(cashierOf(s3.result.invoice.irn)).toBe('Manager');
  });

  it('wrong PINs at the sign-in meet the same throttle as every PIN of the terminal', async () => {
    const { services, call } = await app();
    services.pin.setCashier('Ada', '1357');
    for (let i = 0; i < 4; i++)
      expect(await call('cashier.signIn', { name: 'Ada', pin: '9999' })).toMatchObject({ result: { signedIn: false } });
    expect(await call('cashier.signIn', { name: 'Nobody', pin: '9999' })).toMatchObject({ result: { signedIn: false, retryAfterS: 30 } });
    // Blocked: even the right PIN waits, and the manager unlock shares the block.
    expect(await call('cashier.signIn', { name: 'Ada', pin: '1357' })).toMatchObject({ result: { signedIn: false, retryAfterS: 30 } });
    expect(await call('manager.unlock', { pin: PIN })).toMatchObject({ result: { unlocked: false, retryAfterS: 30 } });
  });
});

describe('browser mode sessions', () => {
  async function boot(lan: boolean) {
    let now = Date.parse('2026-11-24T08:00:00+01:00');
    const services = new AppServices({
      dataDir: tempDir(),
      mode: 'browser',
      now: () => new Date(now),
      demoFeedMs: 0,
      watchMs: 60_000,
      log: () => {},
    });
    await services.configure(BUSINESS, keyPair().keysFileJson, PIN);
    services.start();
    const server = new AppServer({ services, lan, checkResponses: true, log: () => {} });
    await server.listen();
    cleanup.push(async () => {
      await server.close();
      await services.stop();
    });
    const post = (channel: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${server.baseUrl}/api/invoke/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const login = async () => {
      const r = await fetch(server.url, { redirect: 'manual' });
      return { cookie: r.headers.get('set-cookie')!.split(';')[0]!, setCookie: r.headers.get('set-cookie')! };
    };
    return {
      services,
      server,
      post,
      login,
      advance: (ms: number) => {
        now += ms;
      },
    };
  }

  it("Bearer clients do not share a session: one client's PIN unlocks nobody else", async () => {
    const { server, post } = await boot(false);
    const bearer = { authorization: `Bearer ${server.secret}` };
    expect((await post('settings.get', {}, { ...bearer, 'x-tpos-pin': PIN })).status).toBe(200);
    expect((await post('settings.get', {}, bearer)).status).toBe(403);
    // An unlock over Bearer holds for that request only.
    expect(await (await post('manager.unlock', { pin: PIN }, bearer)).json()).toMatchObject({ ok: true, result: { unlocked: true } });
    expect((await post('settings.get', {}, bearer)).status).toBe(403);
    expect((await post('settings.get', {}, { ...bearer, 'x-tpos-pin': '9999' })).status).toBe(403);
  });

  it('cookies carry Max-Age and stop working after 12 hours, even though the server still runs', async () => {
    const { post, login, advance } = await boot(false);
    const { cookie, setCookie } = await login();
    expect(setCookie).toMatch(new RegExp(`; Max-Age=${SESSION_MAX_AGE_S}$`));
    expect((await post('app.state', {}, { cookie })).status).toBe(200);
    advance(SESSION_MAX_AGE_S * 1000 + 1000);
    expect((await post('app.state', {}, { cookie })).status).toBe(401);
  });

  it("--lan: cashiers log in with their own PIN, the manager's unlocks the manager area, and log-ins expire", async () => {
    const { services, server, post, login, advance } = await boot(true);
    services.pin.setCashier('Ada', '1357');
    const form = (cookie: string, pin: string) =>
      fetch(`${server.baseUrl}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: `pin=${pin}`,
      });
    const ada = (await login()).cookie;
    expect((await form(ada, '1357')).status).toBe(303);
    expect(await (await post('app.state', {}, { cookie: ada })).json()).toMatchObject({ ok: true, result: { cashier: 'Ada' } });
    // Her LAN log-in is her till sign-in: the sale she issues names her.
    const sold = (await (
      await post(
        'sales.createManual',
        { sale: simpleSale('lan-ada', '1075.00', { occurred_at: '2026-11-24T07:30:00+01:00' }) },
        { cookie: ada },
      )
    ).json()) as {
      result: { invoice: { irn: string } };
    };
    expect(services.ledger.findByIrn(sold.result.invoice.irn)!.sale.cashier).toBe('Ada');
    expect((await post('settings.get', {}, { cookie: ada })).status).toBe(403);
    const boss = (await login()).cookie;
    expect((await form(boss, PIN)).status).toBe(303);
    expect((await post('settings.get', {}, { cookie: boss })).status).toBe(200);
    advance(LAN_LOGIN_MS + 1000);
    expect((await post('app.state', {}, { cookie: ada })).status).toBe(401);
    expect((await post('app.state', {}, { cookie: boss })).status).toBe(401);
  });
});

describe('set-pin and setup --manager-pin-file (the binary)', () => {
  it('sets the manager PIN from a file at setup, a cashier PIN from stdin; never from a flag value', () => {
    const dir = tempDir('tpos-pin-');
    const pinFile = join(dir, 'manager.pin');
    writeFileSync(pinFile, `${PIN}\n`);
    const setup = setupCli(dir, undefined, ['--manager-pin-file', pinFile]);
    expect(setup.stderr).toBe('');
    expect(JSON.parse(setup.stdout)).toMatchObject({ ok: true, manager_pin_set: true });
    expect(cli(dir, ['set-pin', '--cashier', 'Ada', '--pin-file', '-'], '1357\n').code).toBe(0);
    const bad = cli(dir, ['set-pin', '--pin-file', '-'], '12\n');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--pin-file: the manager PIN must be 6 to 8 digits/);
    expect(cli(dir, ['set-pin', '1234']).code).toBe(2); // no positional/flag value is accepted
    const none = cli(dir, ['set-pin']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/TAXPOYNT_POS_PIN; never as a flag value/);
    const pins = new ManagerPin(new AppSettings(openDatabase(join(dir, 'ledger.db'))));
    expect(pins.checkAny(PIN)).toEqual({ ok: true, role: 'manager' });
    expect(pins.checkAny('1357')).toEqual({ ok: true, role: 'cashier', cashier: 'Ada' });
  }, 90_000); // seven CLI processes: slow on a loaded 2-core machine

  it('setup --manager-pin-file refuses a 4-digit manager PIN before writing anything', () => {
    const dir = tempDir('tpos-pin-');
    const pinFile = join(dir, 'manager.pin');
    writeFileSync(pinFile, '2468\n');
    const r = setupCli(dir, undefined, ['--manager-pin-file', pinFile]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--manager-pin-file: the manager PIN must be 6 to 8 digits/);
    expect(existsSync(join(dir, 'ledger.db'))).toBe(false); // refused before the ledger was opened
    expect(setupCli(dir).code).toBe(0);
    // A 4-digit PIN is fine for a cashier but not for the manager (it guards refunds and other days' PII).
    const short = cli(dir, ['set-pin', '--pin-file', '-'], '2468\n');
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/--pin-file: the manager PIN must be 6 to 8 digits \(a cashier's may be 4 to 8\)/);
    expect(cli(dir, ['set-pin', '--pin-file', '-'], `${PIN}\n`).code).toBe(0);
    const shortCashier = cli(dir, ['set-pin', '--cashier', 'Bola', '--pin-file', '-'], '135\n');
    expect(shortCashier.code).toBe(2);
    expect(shortCashier.stderr).toMatch(/--pin-file: a cashier's PIN must be 4 to 8 digits/);
  }, 90_000);

  it('set-pin from $TAXPOYNT_POS_PIN on a terminal set up without one', () => {
    const dir = tempDir('tpos-pin-');
    expect(setupCli(dir).code).toBe(0);
    const r = spawnCliEnv(dir, ['set-pin'], { TAXPOYNT_POS_PIN: '975310' });
    expect(r.status).toBe(0);
    expect(new ManagerPin(new AppSettings(openDatabase(join(dir, 'ledger.db')))).check('975310')).toEqual({ ok: true });
  });
});

function spawnCliEnv(dir: string, args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, [CLI, '--data-dir', dir, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
}
