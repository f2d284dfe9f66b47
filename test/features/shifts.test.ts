// Till shifts on a real ledger through the real dispatcher (issue 14): a float, the cashier's own
// sales (cash with change, split, transfer) and a cash refund, cash in/out with reasons, the X
// report mid-shift, the close with counted amounts → expected vs counted, over/short per method;
// a closed shift never changes; other cashiers' shifts and the day list need the manager; the
// "require an open shift to sell" setting.
import { afterEach, describe, expect, it } from 'vitest';
import { ManagerSession } from '../../main/app/handlers';
import { dispatch } from '../../main/app/dispatch';
import { AppServices } from '../../main/app/services';
import { openDatabase } from '../../main/ledger/database';
import { ledgerFile } from '../../main/app/data-dir';
import { BUSINESS, keyPair, simpleSale, tempDir } from '../support/fixture';

const PIN = '246810';
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

type Env = { ok: boolean; result?: any; error?: { code: string; message: string } };

async function shop() {
  let now = new Date('2026-11-24T12:00:00+01:00');
  const dataDir = tempDir();
  const services = new AppServices({ dataDir, mode: 'browser', now: () => now, demoFeedMs: 0, watchMs: 60_000, log: () => {} });
  cleanup.push(() => services.stop());
  await services.configure(BUSINESS, keyPair().keysFileJson, PIN);
  services.start();
  services.pin.setCashier('Ada', '1357');
  services.pin.setCashier('Bola', '2468');
  const till = () => {
    const session = new ManagerSession(() => now.getTime());
    const call = (channel: string, payload: unknown = {}) =>
      dispatch(channel, payload, { services, session }, { checkResponses: true, log: (m) => console.error(m) }) as Promise<Env>;
    const ok = async (channel: string, payload: unknown = {}) => {
      const r = await call(channel, payload);
      if (!r.ok) throw new Error(`${channel}: ${r.error!.code}: ${r.error!.message}`);
      return r.result;
    };
    const sell = (id: string, payments: { method: string; amount: string }[]) =>
      ok('sales.createManual', { sale: simpleSale(id, '1075.00', { occurred_at: '2026-11-24T10:00:00+01:00', payments }) });
    return { session, call, ok, sell };
  };
  return { services, dataDir, till, tick: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

describe('till shifts (handlers, real ledger)', () => {
  it('X report mid-shift and the close: expected vs counted, over/short per method; the close never changes', async () => {
    const { till, tick, services, dataDir } = await shop();
    const ada = till();
    const bola = till();
    await ada.ok('cashier.signIn', { name: 'Ada', pin: '1357' });
    await bola.ok('cashier.signIn', { name: 'Bola', pin: '2468' });

    // Sold before the shift opened: not the shift's.
    await ada.sell('a-before', [{ method: 'cash', amount: '1075.00' }]);
    expect(await ada.ok('shift.current')).toEqual({ report: null, require_open: false });
    expect(await ada.call('shift.cashMove', { kind: 'in', amount_kobo: 100, reason: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', message: expect.stringMatching(/Ada has no open shift: open one with the cash float first/) },
    });
    expect(await ada.call('shift.open', { float_kobo: -1 })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    const opened = await ada.ok('shift.open', { float_kobo: 500_000 });
    expect(opened).toMatchObject({ kind: 'X', shift: { cashier: 'Ada', float_kobo: 500_000, closed_at: null, day: '2026-11-24' } });
    expect(await ada.call('shift.open', { float_kobo: 0 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', message: expect.stringMatching(/Ada already has shift \d+ open since 12:00:00: close it first/) },
    });
    tick(60_000);

    const a1 = await ada.sell('a-1', [{ method: 'cash', amount: '2000.00' }]); // ₦925 change
    await ada.sell('a-2', [
      { method: 'card', amount: '500.00' },
      { method: 'cash', amount: '600.00' }, // ₦25 change
    ]);
    await ada.sell('a-3', [{ method: 'transfer', amount: '1075.00' }]);
    await bola.sell('b-1', [{ method: 'cash', amount: '1075.00' }]); // Bola's: not in Ada's drawer
    await ada.ok('invoices.refund', {
      irn: a1.invoice.irn,
      refundId: 'refund-a1-0001',
      lines: [{ index: 0, quantity: '1' }],
      method: 'cash',
    });

    services.settings.set('access', { refundLimitKobo: 50_000 });
    await ada.ok('shift.cashMove', { kind: 'in', amount_kobo: 100_000, reason: '  change from the bank ' });
    expect(await ada.call('shift.cashMove', { kind: 'out', amount_kobo: 60_000, reason: 'paid supplier' })).toMatchObject({
      ok: false,
      error: {
        code: 'locked',
        message: expect.stringMatching(/₦600\.00 is above the cashier limit of ₦500\.00; it needs the manager PIN/),
      },
    });
    expect(await ada.call('shift.cashMove', { kind: 'out', amount_kobo: 30_000, reason: '   ' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', message: expect.stringMatching(/^shift.cashMove: reason/) },
    });
    const x = await ada.ok('shift.cashMove', { kind: 'out', amount_kobo: 30_000, reason: 'paid the cleaner' });

    // The X report: the same figures as a close, nothing closed.
    expect(x).toMatchObject({
      kind: 'X',
      sales_count: 3,
      sales_kobo: 322_500,
      refunds_count: 1,
      refunds_kobo: 107_500,
      change_kobo: 95_000,
      cash_in_kobo: 100_000,
      cash_out_kobo: 30_000,
      over_short_kobo: null,
      moves: [
        { kind: 'in', amount_kobo: 100_000, reason: 'change from the bank', by: 'Ada' },
        { kind: 'out', amount_kobo: 30_000, reason: 'paid the cleaner', by: 'Ada' },
      ],
    });
    // cash: 5,000 float + 2,000 + 600 tendered − 950 change − 1,075 refunded + 1,000 in − 300 out = ₦6,275
    expect(x.methods).toEqual([
      { method: 'cash', sales_kobo: 260_000, refunds_kobo: 107_500, expected_kobo: 627_500, counted_kobo: null, over_short_kobo: null },
      { method: 'transfer', sales_kobo: 107_500, refunds_kobo: 0, expected_kobo: 107_500, counted_kobo: null, over_short_kobo: null },
      { method: 'card', sales_kobo: 50_000, refunds_kobo: 0, expected_kobo: 50_000, counted_kobo: null, over_short_kobo: null },
    ]);
    expect((await ada.ok('shift.current')).report).toEqual({ ...x, at: expect.any(Number) });

    // Bola may not read Ada's shift; the day list needs the manager.
    expect(await bola.call('shift.get', { id: x.shift.id })).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(await bola.call('shift.list', { date: '2026-11-24' })).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(await ada.call('shift.close', { counted: [{ method: 'card', amount_kobo: 1 }] })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', message: expect.stringMatching(/the counted cash is required/) },
    });

    tick(60_000);
    const closed = await ada.ok('shift.close', {
      counted: [
        { method: 'cash', amount_kobo: 622_500 }, // ₦50 short
        { method: 'card', amount_kobo: 50_000 },
      ],
    });
    expect(closed).toMatchObject({ kind: 'close', over_short_kobo: -5_000, shift: { closed_by: 'Ada', closed_at: expect.any(Number) } });
    expect(closed.methods.map((l: any) => [l.method, l.expected_kobo, l.counted_kobo, l.over_short_kobo])).toEqual([
      ['cash', 627_500, 622_500, -5_000],
      ['transfer', 107_500, null, null],
      ['card', 50_000, 50_000, 0],
    ]);

    // Closed: no open shift, no new entries, no second close; a later sale is not the shift's.
    expect(await ada.ok('shift.current')).toEqual({ report: null, require_open: false });
    await ada.sell('a-after', [{ method: 'cash', amount: '1075.00' }]);
    tick(60_000);
    expect(await ada.ok('shift.get', { id: closed.shift.id })).toEqual(closed);
    expect(await ada.call('shift.close', { id: closed.shift.id, counted: [{ method: 'cash', amount_kobo: 627_500 }] })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', message: expect.stringMatching(/already closed: a closed shift never changes/) },
    });
    // The ledger itself refuses edits (append-only), whatever the caller.
    const db = openDatabase(ledgerFile(dataDir), { migrate: false });
    try {
      expect(() => db.prepare('UPDATE shift_closes SET report_json = ?').run('{}')).toThrow(/a closed shift never changes/);
      expect(() => db.prepare('DELETE FROM shift_cash_moves').run()).toThrow(/append-only/);
      expect(() =>
        db
          .prepare("INSERT INTO shift_cash_moves (shift_id, kind, amount_kobo, reason, at) VALUES (?, 'in', 1, 'late', 0)")
          .run(closed.shift.id),
      ).toThrow(/the shift is closed/);
    } finally {
      db.close();
    }

    // The manager sees the day's shifts with over/short.
    bola.session.unlock();
    await bola.ok('shift.open', { float_kobo: 0 });
    const day = await bola.ok('shift.list', { date: '2026-11-24' });
    expect(day.shifts.map((s: any) => [s.shift.cashier, s.kind, s.over_short_kobo])).toEqual([
      ['Ada', 'close', -5_000],
      ['Bola', 'X', null],
    ]);
    expect(day.shifts[0]).toEqual(closed);
    // Closing another cashier's shift by id needs the manager.
    const bolaShift = day.shifts[1].shift.id;
    expect(await ada.call('shift.close', { id: bolaShift, counted: [{ method: 'cash', amount_kobo: 0 }] })).toMatchObject({
      ok: false,
      error: { code: 'locked', message: expect.stringMatching(/is Bola's; closing another cashier's shift needs the manager PIN/) },
    });
    ada.session.unlock();
    expect(await ada.ok('shift.close', { id: bolaShift, counted: [{ method: 'cash', amount_kobo: 0 }] })).toMatchObject({
      kind: 'close',
      over_short_kobo: 0,
      shift: { cashier: 'Bola', closed_by: 'Ada' },
    });
    expect((await bola.ok('shift.list', { date: '2026-11-25' })).shifts).toEqual([]);
  });

  it('"require an open shift to sell": off by default; on, a sale or refund without an open shift is refused', async () => {
    const { till } = await shop();
    const ada = till();
    await ada.ok('cashier.signIn', { name: 'Ada', pin: '1357' });
    const first = await ada.sell('r-0', [{ method: 'cash', amount: '1075.00' }]);
    expect(await ada.call('shift.saveSettings', { require_open: true })).toMatchObject({ ok: false, error: { code: 'locked' } });
    ada.session.unlock();
    expect(await ada.ok('shift.saveSettings', { require_open: true })).toEqual({ require_open: true });
    ada.session.lock();
    expect(await ada.ok('shift.settings')).toEqual({ require_open: true });
    const refused = await ada.call('sales.createManual', { sale: simpleSale('r-1', '1075.00') });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', message: expect.stringMatching(/sells only with an open shift, and Ada has none/) },
    });
    expect(
      await ada.call('invoices.refund', { irn: first.invoice.irn, refundId: 'refund-r0-0001', lines: [{ index: 0, quantity: '1' }] }),
    ).toMatchObject({ ok: false, error: { message: expect.stringMatching(/open shift/) } });
    await ada.ok('shift.open', { float_kobo: 0 });
    const sold = await ada.sell('r-2', [{ method: 'cash', amount: '1075.00' }]);
    expect(sold.invoice.irn).toBeTruthy();
    expect(await ada.ok('shift.current')).toMatchObject({ report: { sales_count: 1, sales_kobo: 107_500 }, require_open: true });
  });
});
