// What reaches the printer is only what we mean: printer commands hidden in free text (ESC p
// kicks the drawer, GS V cuts, LF forges a line) print as text; every field is bounded and the
// word wrap is linear. Real ledger, real print queue, a loopback network printer, a strict
// ESC/POS decoder.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../main/ledger/database';
import { Ledger } from '../../main/ledger/ledger';
import { PrintService } from '../../main/print/print-service';
import { renderEscpos } from '../../main/print/escpos-render';
import { buildReceipt } from '../../shared/receipt/receipt';
import { cleanField, FIELD_LIMITS, layoutReceipt, layoutToText, wrap } from '../../shared/receipt/layout';
import { decodeEscpos } from '../support/escpos-decoder';
import { BUSINESS, keyPair, sampleSale, simpleSale, tempDir } from '../support/fixture';
import { FakePrinter } from '../print/fake-printer';
import { GOLDEN_BUSINESS, SALE_SOURCE } from '../print/receipt-fixtures';

const HOSTILE_NAMES = [
  'Bread\x1bp\x00\x19\xfa', // ESC p 0 25 250: the Epson drawer pulse
  'Milk\x1dV\x00', // GS V 0: full cut
  'Eggs\nTOTAL                 0.00', // a forged line
  'Jam\x1b@\x1d!\x11\x10\x04\x01\x1c\x07\r', // reset, quad size, DLE EOT, FS, BEL (Star drawer), CR
  'Tea\u2028\u202eevil\u200b', // Unicode line separator, bidi override, zero-width space
];

let db: Db;
let ledger: Ledger;
let printer: FakePrinter;
const services: PrintService[] = [];

beforeEach(() => {
  db = openDatabase(join(tempDir(), 'ledger.db'));
  ledger = new Ledger(db);
  ledger.configure(BUSINESS, keyPair().keysFileJson);
  printer = new FakePrinter();
});

afterEach(async () => {
  for (const s of services.splice(0)) await s.stop();
  await printer.close();
  db.close();
});

function hostileSale(id: string, method: 'card' | 'cash') {
  const lines = HOSTILE_NAMES.map((name) => ({
    name,
    quantity: '1',
    unit_price: '100.00',
    tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: true },
  }));
  return simpleSale(id, '500.00', { lines, payments: [{ method, amount: '500.00' }], note: 'Thanks\x1bp\x01\x32\x32\nTOTAL PAID 0.00' });
}

async function printAll(commands: 'epson' | 'star') {
  const port = await printer.listen();
  const s = new PrintService({
    db,
    ledger,
    config: { interface: `tcp://127.0.0.1:${port}`, type: commands, qr: 'native', width: 80, cash_drawer: true, status_timeout_ms: 2000 },
    now: () => Date.now() + 1000,
  });
  services.push(s);
  await s.runUntilIdle();
  return s;
}

describe('printer-command injection through free text', () => {
  for (const commands of ['epson', 'star'] as const) {
    it(`${commands}: a card sale whose item names hold ESC p / GS V / BEL prints no drawer kick, one cut, and no forged line; a COPY neither`, async () => {
      const inv = ledger.issue(hostileSale('inject-card', 'card')).invoice;
      const s = await printAll(commands);
      expect(printer.jobs).toHaveLength(1);
      const job = decodeEscpos(printer.jobs[0]!, commands);
      expect(job.drawerKicks).toBe(0);
      expect(job.cuts).toBe(1);
      expect(job.qr).toEqual([inv.qr]);
      const text = job.lines.join('\n');
      expect(text).toMatch(/^Bread p /m); // the name is still printed, its command bytes are not
      expect(text).toMatch(/^Milk V/m);
      expect(job.lines.filter((l) => /^TOTAL\b/.test(l))).toHaveLength(1); // only the real total
      expect(job.lines.some((l) => /^TOTAL PAID/.test(l))).toBe(false);
      expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);

      s.reprint(inv.irn);
      await s.runUntilIdle();
      const copy = decodeEscpos(printer.jobs[1]!, commands);
      expect(copy.drawerKicks).toBe(0);
      expect(copy.cuts).toBe(1);
      expect(copy.lines.join('\n')).toContain('COPY');
    });
  }

  it('a cash sale with the same names opens the drawer exactly once (ours, after the receipt)', async () => {
    ledger.issue(hostileSale('inject-cash', 'cash'));
    await printAll('epson');
    const job = decodeEscpos(printer.jobs[0]!, 'epson');
    expect(job.drawerKicks).toBe(1);
    expect(job.cuts).toBe(1);
    const bytes = printer.jobs[0]!;
    // The only ESC p is the one after the last printed line.
    const kicks = [...bytes.keys()].filter((i) => bytes[i] === 0x1b && bytes[i + 1] === 0x70);
    expect(kicks).toHaveLength(1);
    expect(kicks[0]).toBeGreaterThan(bytes.lastIndexOf(Buffer.from('Chain #')));
  });

  it('the PNG/text preview shows the same cleaned lines: no control characters, no forged lines', () => {
    const inv = ledger.issue(hostileSale('inject-preview', 'card')).invoice;
    const s = new PrintService({ db, ledger });
    const { text, png } = s.preview(inv.irn);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f\u2028\u2029\u202a-\u202e\u200b]/);
    expect(text.split('\n').filter((l) => /^TOTAL\b/.test(l))).toHaveLength(1);
    expect(text).toMatch(/^Eggs TOTAL 0\.00$/m); // the LF became a space inside the name's own line
    for (const line of text.split('\n')) expect([...line].length).toBeLessThanOrEqual(48 * 2);
  });
});

describe('bounded fields and a linear wrap', () => {
  it('a 200 kB street is laid out as a bounded address (cut with …), every line within the columns', () => {
    const street = 'Adeola Odeku Street '.repeat(10_000); // 200,000 characters
    const sale = sampleSale({ customer: { name: 'Ade Ltd', tin: '12345678-0001', address: { street, city: 'Lagos', country: 'NG' } } });
    const receipt = buildReceipt({ ...SALE_SOURCE, sale: sale as never }, GOLDEN_BUSINESS);
    expect(receipt.buyer!.address!.length).toBeGreaterThan(200_000);
    for (const width of [58, 80] as const) {
      const layout = layoutReceipt(receipt, { width, nairaSymbol: false });
      const text = layoutToText(layout);
      const cols = layout.columns;
      for (const b of layout.blocks) if (b.kind === 'text') expect([...b.text].length).toBeLessThanOrEqual(cols);
      const all = text.split('\n');
      const first = all.findIndex((l) => l.includes('Adeola'));
      const last = all.findIndex((l) => /…$/.test(l));
      expect(first).toBeGreaterThan(0);
      expect(last).toBeGreaterThanOrEqual(first); // the address ends, cut, on its own lines
      expect(all.filter((l) => l.includes('Adeola')).every((_, i) => i <= last - first)).toBe(true);
      expect(last - first + 1).toBeLessThanOrEqual(Math.ceil(FIELD_LIMITS.address / cols) + 1);
      expect(layout.blocks.length).toBeLessThan(120);
      // ESC/POS of the whole receipt stays receipt-sized (the 1 MB street printed 70 m of paper).
      expect(renderEscpos(layout, { commands: 'epson', qr: 'native', cut: true, drawer: false }).length).toBeLessThan(20_000);
    }
  });

  it('wrap is exact on a 1 MB word (cut at the column) and on words around the column width', () => {
    const word = 'x'.repeat(1_000_003);
    const lines = wrap(word, 48);
    expect(lines).toHaveLength(Math.ceil(1_000_003 / 48));
    expect(lines.slice(0, -1).every((l) => l.length === 48)).toBe(true);
    expect(lines.at(-1)).toBe('x'.repeat(1_000_003 % 48));
    expect(wrap('aaaa bbbb cc', 4)).toEqual(['aaaa', 'bbbb', 'cc']);
    expect(wrap('aa bb cc', 5)).toEqual(['aa bb', 'cc']);
    expect(wrap('abcdefg hi', 4)).toEqual(['abcd', 'efg', 'hi']);
    expect(wrap('one\ntwo', 10)).toEqual(['one two']); // a new line never starts a printed line
    expect(wrap('  ', 10)).toEqual(['']);
    expect(wrap('₦₦₦₦₦', 2)).toEqual(['₦₦', '₦₦', '₦']); // characters, not UTF-16 units
  });

  it('cleanField: controls become one space, the field is cut to its limit, a huge input costs its limit', () => {
    expect(cleanField('Bread\x1bp\x00\x19\xfa')).toBe('Bread p \xfa');
    expect(cleanField('a\r\n\tb')).toBe('a b');
    expect(cleanField('x'.repeat(5_000_000), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(cleanField('  ok  ')).toBe('ok');
  });
});
