// `taxpoynt-pos shift …` as a script runs it (the bundled bin, a real data dir): a float parsed
// with the shared money parser, a till sale with change, cash in/out, the X report, the close with
// counted amounts, the day list; cashier PINs checked when the shop has them.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, setupCli, simpleSale, tempDir } from '../support/fixture';

const MANAGER_PIN = '246810';

const json = (r: { code: number; stdout: string; stderr: string }) => {
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as any;
};

describe('taxpoynt-pos shift', () => {
  it('open, sale, cash in/out, x-report, close with over/short, list; cashier PINs when the shop has them', () => {
    const dir = tempDir();
    const pinFile = join(dir, 'manager.pin');
    writeFileSync(pinFile, `${MANAGER_PIN}\n`);
    expect(setupCli(dir, undefined, ['--manager-pin-file', pinFile]).code).toBe(0);

    const ambiguous = cli(dir, ['shift', 'open', '--float', '1.500,00']);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toMatch(/--float: "1\.500,00" is ambiguous/);
    expect(json(cli(dir, ['shift', 'open', '--float', '5,000', '--json']))).toMatchObject({
      kind: 'X',
      shift: { cashier: null, float_kobo: 500_000 },
    });

    const at = new Date(Date.now() - 60_000).toISOString();
    const sale = simpleSale('cli-shift-1', '1075.00', { occurred_at: at, payments: [{ method: 'cash', amount: '2000.00' }] });
    expect(cli(dir, ['ingest', '--source', 'canonical', '--file', '-'], JSON.stringify(sale)).code).toBe(0);
    json(cli(dir, ['shift', 'cash-in', '--amount', '1,000.00', '--reason', 'change from the bank', '--json']));
    const noReason = cli(dir, ['shift', 'cash-out', '--amount', '300', '--reason', ' ']);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toMatch(/reason: say why/);
    json(cli(dir, ['shift', 'cash-out', '--amount', '300', '--reason', 'paid the cleaner', '--json']));
    const tooMuch = cli(dir, ['shift', 'cash-out', '--amount', '100000', '--reason', 'bank run']);
    expect(tooMuch.code).toBe(2);
    expect(tooMuch.stderr).toMatch(/more than the ₦6,775\.00 the drawer should hold; it needs the manager \(--manager\)/);

    const x = json(cli(dir, ['shift', 'x-report', '--json']));
    expect(x).toMatchObject({ kind: 'X', sales_count: 1, change_kobo: 92_500, cash_in_kobo: 100_000, cash_out_kobo: 30_000 });
    expect(x.methods[0]).toMatchObject({ method: 'cash', expected_kobo: 677_500 });
    expect(cli(dir, ['shift', 'x-report']).stdout).toMatch(/cash +expected 6775\.00/);

    expect(cli(dir, ['shift', 'close', '--card', '0']).stderr).toMatch(/--cash: count the drawer/);
    const closed = json(cli(dir, ['shift', 'close', '--cash', '6,800', '--card', '0', '--json']));
    expect(closed.methods.map((l: any) => [l.method, l.expected_kobo, l.counted_kobo, l.over_short_kobo])).toEqual([
      ['cash', 677_500, 680_000, 2_500],
      ['card', 0, 0, 0],
    ]);
    expect(closed).toMatchObject({ kind: 'close', over_short_kobo: 2_500 });
    expect(cli(dir, ['shift', 'x-report']).stderr).toMatch(/this till has no open shift/);
    const day = json(cli(dir, ['shift', 'list']));
    expect(day.shifts).toEqual([closed]);

    // A shop with cashier PINs: the cashier is named and proves it; the day list needs the manager.
    const adaPin = join(dir, 'ada.pin');
    writeFileSync(adaPin, '1357\n');
    expect(cli(dir, ['set-pin', '--cashier', 'Ada', '--pin-file', adaPin]).code).toBe(0);
    expect(cli(dir, ['shift', 'open', '--float', '0']).stderr).toMatch(/--cashier: this shop has cashier PINs \(Ada\)/);
    expect(cli(dir, ['shift', 'open', '--float', '0', '--cashier', 'Ada', '--pin-file', pinFile]).stderr).toMatch(/PIN/);
    expect(json(cli(dir, ['shift', 'open', '--float', '250', '--cashier', 'Ada', '--pin-file', adaPin, '--json']))).toMatchObject({
      shift: { cashier: 'Ada', float_kobo: 25_000 },
    });
    expect(cli(dir, ['shift', 'list']).stderr).toMatch(/--cashier: this shop has cashier PINs/);
    const managed = json(cli(dir, ['shift', 'list', '--manager', '--pin-file', pinFile]));
    expect(managed.shifts.map((s: any) => [s.shift.cashier, s.kind])).toEqual([
      [null, 'close'],
      ['Ada', 'X'],
    ]);
  }, 120_000);
});
