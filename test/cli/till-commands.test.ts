// `set-pin`, `shift …`, `close-day`, `z-report` and `receipt` (main/cli/commands/{access,shift,
// z-report,receipt}.ts) in-process on a real ledger: every bad argument is refused naming the flag
// and what is wrong.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonLines, runCli, setUpDataDir } from './run-in-process';
import { sampleSale, tempDir } from '../support/fixture';

const pinFile = (dir: string, name: string, pin: string) => {
  const f = join(dir, name);
  writeFileSync(f, `${pin}\n`);
  return f;
};

async function expectUsage(dir: string, args: string[], message: RegExp) {
  const r = await runCli(dir, args);
  expect(r.stderr, args.join(' ')).toMatch(message);
  expect(r.code, args.join(' ')).toBe(2);
}

describe('set-pin', () => {
  it('names a missing or unreadable PIN, a PIN that breaks the rule, and cashier mistakes', async () => {
    const dir = setUpDataDir();
    const saved = process.env.TAXPOYNT_POS_PIN;
    delete process.env.TAXPOYNT_POS_PIN;
    try {
      await expectUsage(
        dir,
        ['set-pin'],
        /--pin-file: give the PIN in a file \(--pin-file F, or - for stdin\) or in \$TAXPOYNT_POS_PIN; never as a flag value/,
      );
      await expectUsage(dir, ['set-pin', '--pin-file', join(dir, 'absent')], /--pin-file: cannot read .*absent \(ENOENT\)/);
      await expectUsage(dir, ['set-pin', '--pin-file', pinFile(dir, 'short', '12')], /--pin-file: .*\(a cashier's may be 4 to 8\)/);
      await expectUsage(
        dir,
        ['set-pin', '--cashier', 'Bola', '--pin-file', pinFile(dir, 'c', '4321')],
        /--cashier: set the manager PIN first \(taxpoynt-pos set-pin\)/,
      );
      await expectUsage(dir, ['set-pin', '--remove'], /--remove: name the cashier with --cashier/);
      expect((await runCli(dir, ['set-pin', '--pin-file', pinFile(dir, 'm', '135790')])).code).toBe(0);
      await expectUsage(
        dir,
        ['set-pin', '--cashier', 'x'.repeat(500), '--pin-file', pinFile(dir, 'c2', '4321')],
        /--cashier: a name of 1 to \d+ characters/,
      );
      await expectUsage(dir, ['set-pin', '--cashier', 'Bola', '--remove'], /--cashier: no cashier "Bola" \(cashiers: none\)/);
      expect((await runCli(dir, ['set-pin', '--cashier', 'Bola', '--pin-file', pinFile(dir, 'c3', '4321')])).code).toBe(0);
      await expectUsage(dir, ['set-pin', '--cashier', 'Ade', '--pin-file', pinFile(dir, 'c4', '4321')], /--pin-file: /);
    } finally {
      if (saved !== undefined) process.env.TAXPOYNT_POS_PIN = saved;
    }
  });
});

describe('shift, close-day and z-report', () => {
  it('not set up: named', async () => {
    const bare = tempDir('tpos-till-bare-');
    await expectUsage(bare, ['shift', 'open', '--float', '5000'], /this terminal is not set up yet \(taxpoynt-pos setup\)/);
    await expectUsage(bare, ['close-day'], /this terminal is not set up yet \(taxpoynt-pos setup\)/);
  });

  it('bad amounts, dates, numbers and a shift that is not open are named', async () => {
    const dir = setUpDataDir();
    await expectUsage(dir, ['shift', 'open', '--float', 'five thousand'], /--float: /);
    await expectUsage(dir, ['shift', 'x-report'], /this till has no open shift \(taxpoynt-pos shift open --float …\)/);
    await expectUsage(dir, ['shift', 'list', '--date', '24/11/2026'], /--date: "24\/11\/2026" is not a date like 2026-11-24/);
    await expectUsage(dir, ['close-day', '--date', 'yesterday'], /--date: "yesterday" is not a date like 2026-11-24/);
    await expectUsage(dir, ['z-report', '0'], /number: "0" is not a Z number like 1/);
    await expectUsage(dir, ['z-report', '3'], /number: no Z report 3 \(closed: none yet\)/);
    const opened = await runCli(dir, ['shift', 'open', '--float', '5,000.00', '--json']);
    expect(opened.code).toBe(0);
    await expectUsage(dir, ['shift', 'close', '--json'], /--cash/);
  });

  it('with cashier PINs, an unnamed or wrong cashier is refused', async () => {
    const dir = setUpDataDir();
    await runCli(dir, ['set-pin', '--pin-file', pinFile(dir, 'm', '135790')]);
    await runCli(dir, ['set-pin', '--cashier', 'Bola', '--pin-file', pinFile(dir, 'c', '4321')]);
    await expectUsage(
      dir,
      ['shift', 'open', '--float', '100'],
      /--cashier: this shop has cashier PINs \(Bola\): name the cashier, or use --manager/,
    );
    await expectUsage(
      dir,
      ['shift', 'open', '--float', '100', '--cashier', 'Bola', '--pin-file', pinFile(dir, 'w', '9999')],
      /--pin-file: .* for cashier "Bola"/,
    );
    await expectUsage(dir, ['shift', 'open', '--float', '100', '--manager', '--pin-file', pinFile(dir, 'w2', '999999')], /--pin-file: /);
  });
});

describe('receipt, reprint and print-resolve', () => {
  it('bad formats, widths, modes and IRNs are named; a text receipt is written', async () => {
    const dir = setUpDataDir();
    const sale = join(dir, 'sale.json');
    writeFileSync(sale, JSON.stringify(sampleSale()));
    const [issued] = jsonLines((await runCli(dir, ['ingest', '--source', 'canonical', '--file', sale])).stdout);
    const irn = String(issued!.irn);
    const out = join(dir, 'r.txt');
    await expectUsage(dir, ['receipt', irn, '--format', 'pdf', '--out', out], /--format: "pdf" must be one of /);
    await expectUsage(dir, ['receipt', irn, '--format', 'text', '--out', out, '--width', '76'], /--width: "76" must be 58 or 80 \(mm\)/);
    await expectUsage(
      dir,
      ['receipt', irn, '--format', 'escpos', '--out', out, '--type', 'citizen'],
      /--type: "citizen" must be one of epson, star/,
    );
    await expectUsage(
      dir,
      ['receipt', irn, '--format', 'escpos', '--out', out, '--qr', 'image'],
      /--qr: "image" must be one of native, raster/,
    );
    await expectUsage(
      dir,
      ['receipt', irn, '--format', 'text', '--out', out, '--naira', 'symbol'],
      /--naira: "symbol" must be one of auto, code/,
    );
    await expectUsage(dir, ['receipt', 'NOPE-1', '--format', 'text', '--out', out], /IRN: no invoice NOPE-1 in this ledger/);
    await expectUsage(
      dir,
      ['receipt', irn, '--format', 'text', '--out', join(dir, 'no', 'such', 'dir.txt')],
      /--out: cannot write .*dir\.txt \(ENOENT\)/,
    );
    const r = await runCli(dir, ['receipt', irn, '--format', 'text', '--out', '-', '--width', '58', '--copy']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/C\s*O\s*P\s*Y/); // large print, spaced out
    expect(r.stdout).toContain(irn);
    await expectUsage(dir, ['reprint', 'NOPE-1'], /IRN: no invoice NOPE-1 in this ledger/);
    await expectUsage(dir, ['print-resolve', '1'], /print-resolve: say either --printed or --reprint/);
    await expectUsage(dir, ['print-resolve', '999', '--printed'], /999/);
  });
});
