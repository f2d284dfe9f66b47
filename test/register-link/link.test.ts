// Both modes end to end on real links: socat pseudo-terminal pairs for the serial cable and a real
// loopback TCP print port; a real ledger file, the real print queue (virtual printer, or the fake
// network printer for pass-through). Includes 1,000 receipts with random noise between them and
// the cable pulled (socat killed) mid-receipt and plugged back.
import { decodeBody } from '../../main/ledger/invoice-body';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { SerialPort } from 'serialport';
import { computeTotals } from '../../shared/domain/totals';
import { parseSale } from '../../shared/domain/sale';
import { ReviewQueue } from '../../main/ledger/review-queue';
import { RegisterLinkStore } from '../../main/ledger/register-link-store';
import { type VirtualPrinter } from '../../main/print/virtual-printer';
import { passThroughPrinter } from '../../main/sources/register-link/pass-through';
import { decodeEscpos } from '../support/escpos-decoder';
import { tempDir } from '../support/fixture';
import { FakePrinter } from '../print/fake-printer';
import {
  kitchenTicket,
  nthSupermarketReceipt,
  prng,
  restaurantBill,
  SAMPLE_DISHES,
  SAMPLE_GOODS,
  sampleRestaurantBill,
  supermarketReceipt,
} from './sample-receipts';
import {
  closeSerial,
  invoiceCount,
  openSerial,
  printJob,
  replies,
  SocatPair,
  startApp,
  tcpConnect,
  until,
  writeSerial,
  type TestApp,
} from './support';

const recent = (agoS = 120) => new Date(Date.now() - agoS * 1000);
let app: TestApp | undefined;
let pair: SocatPair | undefined;
let register: SerialPort | undefined;

beforeEach(() => {
  app = undefined;
  pair = undefined;
  register = undefined;
});
afterEach(async () => {
  await closeSerial(register);
  await app?.stop();
  await pair?.kill();
});

const serialLink = (path: string, mode: 'print' | 'sales', extra: Record<string, unknown> = {}) => ({
  links: [
    {
      id: 'till-1',
      mode,
      port: { kind: 'serial', path, baudRate: 19200 },
      ...(mode === 'print' ? { template: 'ng-supermarket' } : {}),
      reconnectMs: 200,
      ...extra,
    },
  ],
});
const tcpLink = (mode: 'print' | 'sales', extra: Record<string, unknown> = {}) => ({
  links: [
    {
      id: 'print-port',
      mode,
      port: { kind: 'tcp', host: '127.0.0.1', port: 0 },
      ...(mode === 'print' ? { template: 'ng-restaurant' } : {}),
      ...extra,
    },
  ],
});
const portOf = (a: TestApp) => a.service.status()[0]!.port!;
const invoices = (a: TestApp) =>
  (
    a.db
      .prepare(
        "SELECT external_id, payable_kobo, tax_kobo, dictionary_id, body FROM invoices WHERE source = 'register-link' ORDER BY counter",
      )
      .all() as { external_id: string; payable_kobo: number; tax_kobo: number; dictionary_id: number; body: Buffer }[]
  ).map(({ dictionary_id, body, ...r }) => ({ ...r, sale_json: decodeBody(a.db, dictionary_id, body).sale_json }));

describe('print capture over a serial cable (socat pty pair)', () => {
  it('receipts in odd-sized reads become invoices; the fiscal receipts print with their QR', async () => {
    pair = new SocatPair(tempDir());
    await pair.start();
    app = await startApp(serialLink(pair.app, 'print'));
    await until(() => app!.service.status()[0]!.state === 'connected', 'the link to open');
    register = await openSerial(pair.register);
    const at = recent();
    const receipts = [
      supermarketReceipt(101, [SAMPLE_GOODS[0]!, SAMPLE_GOODS[3]!], { at, pay: 'CASH', tenderedKobo: 600_000 }),
      supermarketReceipt(102, [SAMPLE_GOODS[4]!], { at, pay: 'POS' }),
    ];
    const all = Buffer.concat(receipts);
    for (let i = 0; i < all.length; i += 37) await writeSerial(register, all.subarray(i, i + 37));
    await until(() => invoiceCount(app!.db) === 2, 'two invoices');
    const rows = invoices(app);
    expect(rows.map((r) => r.external_id)).toEqual([
      expect.stringMatching(/^ng-supermarket-\d{8}-000101$/),
      expect.stringMatching(/^ng-supermarket-\d{8}-000102$/),
    ]);
    // 2 × 1,250.00 + 3 × 850.50 = 5,051.50, VAT 7.5 % inclusive; paid 6,000.00 cash → change 948.50
    expect(rows[0]).toMatchObject({ payable_kobo: 505_150 });
    const sale = parseSale(JSON.parse(rows[0]!.sale_json));
    expect(sale.lines.map((l) => [l.name, l.quantity, l.unit_price])).toEqual([
      ['Peak Milk 400g', '2', '1250'],
      ['Café Nescafé 50g', '3', '850.5'],
    ]);
    expect(computeTotals(sale)).toMatchObject({ change: 94_850, paid: 600_000 });
    expect(rows[1]).toMatchObject({ payable_kobo: 45_000 });
    await until(() => (app!.print.virtual as VirtualPrinter).jobs.length === 2, 'two fiscal receipts');
    const irns = app.db.prepare("SELECT qr FROM invoices WHERE source = 'register-link' ORDER BY counter").pluck().all();
    expect((app.print.virtual as VirtualPrinter).jobs.map((j) => decodeEscpos(j.bytes, 'epson').qr[0])).toEqual(irns);
    const store = new RegisterLinkStore(app.db);
    expect(store.counts('till-1')).toEqual({ issued: 2, review: 0, rejected: 0, not_sale: 0 });
    // Every byte received is in the journal.
    expect(store.streamLength('till-1')).toBe(all.length);
  });

  it('a receipt without a paper cut is complete after the idle gap', async () => {
    pair = new SocatPair(tempDir());
    await pair.start();
    app = await startApp(serialLink(pair.app, 'print', { idleGapMs: 300 }));
    await until(() => app!.service.status()[0]!.state === 'connected', 'the link to open');
    register = await openSerial(pair.register);
    const r = supermarketReceipt(7, [SAMPLE_GOODS[1]!], { at: recent(), pay: 'POS' });
    await writeSerial(register, r.subarray(0, r.length - 7)); // without ESC d 3 + GS V B 0
    await until(() => invoiceCount(app!.db) === 1, 'the invoice after the idle gap');
    expect(app.db.prepare("SELECT kind FROM register_link_chunks WHERE kind != 'data'").pluck().all()).toEqual(['idle']);
  });

  it('the cable pulled mid-receipt (socat killed) and plugged back: the strip shows it, the half receipt is kept as rejected, the reprint is issued once', async () => {
    pair = new SocatPair(tempDir());
    await pair.start();
    app = await startApp(serialLink(pair.app, 'print'));
    await until(() => app!.service.status()[0]!.state === 'connected', 'the link to open');
    register = await openSerial(pair.register);
    const at = recent();
    const first = supermarketReceipt(201, [SAMPLE_GOODS[2]!], { at, pay: 'POS' });
    const second = supermarketReceipt(202, [SAMPLE_GOODS[5]!, SAMPLE_GOODS[0]!], { at, pay: 'CASH' });
    await writeSerial(register, first);
    await writeSerial(register, second.subarray(0, 200)); // half of the next receipt…
    await until(
      () => invoiceCount(app!.db) === 1 && new RegisterLinkStore(app!.db).streamLength('till-1') === first.length + 200,
      'the first invoice and the half receipt journalled',
    );
    await closeSerial(register);
    await pair.kill(); // …and the cable is pulled
    await until(() => app!.service.status()[0]!.state === 'disconnected', 'the link to show disconnected');
    expect(app.service.status()[0]!.message).toMatch(/went away|cannot be opened/);
    await pair.start(); // plugged back: the device path reappears
    await until(() => app!.service.status()[0]!.state === 'connected', 'the link to reopen', 10_000);
    register = await openSerial(pair.register);
    await writeSerial(register, second); // the register prints the receipt again
    await until(() => invoiceCount(app!.db) === 2, 'the second invoice');
    const store = new RegisterLinkStore(app.db);
    expect(store.counts('till-1')).toMatchObject({ issued: 2, rejected: 1 });
    const rejected = store.captures({ status: 'rejected' })[0]!;
    expect(Buffer.from(rejected.raw)).toEqual(second.subarray(0, 200)); // raw bytes kept for review
    expect(rejected.reason).toMatch(/does not match template ng-supermarket: .*no total line/);
    expect(invoices(app).map((r) => r.external_id.slice(-6))).toEqual(['000201', '000202']);
  });
});

describe('print capture on the TCP print port (the network-printer trick)', () => {
  it('each connection is a job; bills become invoices; the kitchen ticket is not a sale; a bill that does not add up goes to review with its text', async () => {
    app = await startApp(tcpLink('print'));
    const port = portOf(app);
    const at = recent();
    await printJob(port, restaurantBill(4521, [SAMPLE_DISHES[0]!, SAMPLE_DISHES[1]!], { at, pay: 'Card' }));
    await printJob(port, kitchenTicket(4522, [SAMPLE_DISHES[2]!]));
    const tampered = restaurantBill(4523, [SAMPLE_DISHES[3]!], { at, pay: 'Cash' })
      .toString('latin1')
      .replace(/Total( +)1,612\.50/, 'Total$11,600.00');
    await printJob(port, Buffer.from(tampered, 'latin1'));
    await until(() => new RegisterLinkStore(app!.db).captures().length === 3, 'three captures');
    await app.service.idle();
    const rows = invoices(app);
    expect(rows).toHaveLength(1);
    // 2 × 1,500.00 + 800.00 = 3,800.00; VAT 7.5 % on top = 285.00; total 4,085.00
    expect(rows[0]).toMatchObject({
      external_id: expect.stringMatching(/^ng-restaurant-\d{8}-4521$/),
      payable_kobo: 408_500,
      tax_kobo: 28_500,
    });
    const store = new RegisterLinkStore(app.db);
    expect(store.counts()).toEqual({ issued: 1, review: 1, rejected: 0, not_sale: 1 });
    const review = new ReviewQueue(app.db).list({ vendor: 'register-link' });
    expect(review).toHaveLength(1);
    expect(review[0]!.reason).toBe('the items add up to 1612.50 but the printed total is 1600.00');
    expect(review[0]!.payload).toMatchObject({ link: 'print-port', text: expect.stringContaining('Bill No. 4523') });
  });

  it("pass-through: the register's own receipt reaches the real printer first, then the fiscal receipt", async () => {
    const printer = new FakePrinter();
    const printerPort = await printer.listen();
    const config = { interface: `tcp://127.0.0.1:${printerPort}`, qr: 'native' };
    try {
      app = await startApp(tcpLink('print', { passThrough: true }), { printer: config, passThrough: passThroughPrinter(config) });
      const bill = sampleRestaurantBill(3, recent());
      await printJob(portOf(app), bill);
      await until(() => printer.jobs.length === 2, 'the original and the fiscal receipt on the printer');
      expect(printer.jobs[0]).toEqual(bill);
      const irn = app.db.prepare("SELECT qr FROM invoices WHERE source = 'register-link'").pluck().get();
      expect(decodeEscpos(printer.jobs[1]!, 'epson').qr).toEqual([irn]);
    } finally {
      await app?.stop();
      app = undefined;
      await printer.close();
    }
  });

  it('1,000 receipts on one connection with random binary noise between them: 1,000 invoices, the noise kept as rejected captures', async () => {
    app = await startApp(
      { links: [{ id: 'bulk', mode: 'print', port: { kind: 'tcp', host: '127.0.0.1', port: 0 }, template: 'ng-supermarket' }] },
      { print: false },
    ); // the fiscal receipts' printing is tested above
    const rnd = prng(16);
    const parts: Buffer[] = [];
    const at = recent(600);
    for (let n = 1; n <= 1000; n++) {
      parts.push(nthSupermarketReceipt(n, at));
      // Noise: random bytes (control codes included), then a cut, as a misbehaving line would deliver.
      if (n % 10 === 0)
        parts.push(
          Buffer.from(Array.from({ length: 16 + Math.floor(rnd() * 48) }, () => Math.floor(rnd() * 256))),
          Buffer.from([0x1d, 0x56, 0x01]),
        );
    }
    const stream = Buffer.concat(parts);
    const sock = await tcpConnect(portOf(app));
    for (let i = 0; i < stream.length; i += 4096) sock.write(stream.subarray(i, i + 4096));
    sock.end();
    await until(() => invoiceCount(app!.db) === 1000, '1,000 invoices', 240_000);
    await app.service.idle();
    const ids = invoices(app).map((r) => Number(r.external_id.slice(-6)));
    expect(ids).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    const counts = new RegisterLinkStore(app.db).counts('bulk');
    expect(counts.issued).toBe(1000);
    expect(counts.review).toBe(0);
    expect(counts.rejected).toBeGreaterThan(50); // the noise pieces, each with its raw bytes
    expect(new RegisterLinkStore(app.db).streamLength('bulk')).toBe(stream.length);
  }, 300_000);
});

describe('sale messages (mode 1): one canonical sale per line, ACK/NAK', () => {
  const occurredAt = recent().toISOString();
  const line = (id: string, amount = '1075.00', extra: Record<string, unknown> = {}) =>
    `${JSON.stringify({
      external_id: id,
      occurred_at: occurredAt,
      currency: 'NGN',
      lines: [{ name: 'Soap', quantity: '1', unit_price: amount, tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: true } }],
      payments: [{ method: 'cash', amount }],
      ...extra,
    })}\n`;

  it('over a serial cable: ACK after the invoice is durable; a repeated line is ACKed again without a second invoice; bad lines are NAKed with the reason', async () => {
    pair = new SocatPair(tempDir());
    await pair.start();
    app = await startApp(serialLink(pair.app, 'sales'));
    await until(() => app!.service.status()[0]!.state === 'connected', 'the link to open');
    register = await openSerial(pair.register);
    const got = replies(register);
    await writeSerial(register, Buffer.from(line('R-1') + line('R-2', '500.00')));
    await until(() => got.length === 2, 'two replies');
    expect(got).toEqual(['ACK R-1', 'ACK R-2']);
    expect(invoiceCount(app.db)).toBe(2);
    await writeSerial(register, Buffer.from(line('R-1')));
    await writeSerial(register, Buffer.from('{"external_id": "R-3", "lines": [\n'));
    await writeSerial(register, Buffer.from(line('R-4', '100.00', { payments: [{ method: 'cash', amount: '50.00' }] })));
    await writeSerial(register, Buffer.from(line('R-5', '1.00', { source: 'square' })));
    await writeSerial(register, Buffer.from([0xff, 0xfe, 0x0a]));
    await writeSerial(register, Buffer.from(line('R-2', '600.00')));
    await until(() => got.length === 8, 'eight replies');
    expect(got.slice(2)).toEqual([
      'ACK R-1',
      expect.stringMatching(/^NAK - line is not JSON: /),
      'NAK R-4 payments: short by 50.00 (invoice total 100.00, tip 0.00, paid 50.00)',
      'NAK R-5 source: must be "register-link" or left out (got "square")',
      'NAK - line is not valid UTF-8',
      expect.stringMatching(/^NAK R-2 external_id: register-link sale "R-2" was already issued as \S+ with different content/),
    ]);
    expect(invoiceCount(app.db)).toBe(2);
    expect(new RegisterLinkStore(app.db).counts('till-1')).toEqual({ issued: 3, review: 0, rejected: 5, not_sale: 0 });
  });

  it('over TCP: the same protocol; a line cut off by a dropped connection is never ACKed, the resent line is', async () => {
    app = await startApp(tcpLink('sales'));
    const a = await tcpConnect(portOf(app));
    const gotA = replies(a);
    a.write(line('T-1'));
    await until(() => gotA.length === 1, 'the ACK');
    expect(gotA).toEqual(['ACK T-1']);
    a.write(line('T-2').slice(0, 40));
    await until(() => new RegisterLinkStore(app!.db).streamLength('print-port') > 100, 'the partial line journalled');
    a.destroy();
    await until(() => new RegisterLinkStore(app!.db).counts('print-port').rejected === 1, 'the partial line rejected');
    const b = await tcpConnect(portOf(app));
    const gotB = replies(b);
    b.write(line('T-2'));
    await until(() => gotB.length === 1, 'the ACK on the new connection');
    expect(gotB).toEqual(['ACK T-2']);
    expect(invoiceCount(app.db)).toBe(2);
    b.destroy();
  });
});

describe('sample captures of our own making (test/fixtures/register-link)', () => {
  it('the committed captures are what the generator makes (so the templates are tested on them)', () => {
    const dir = join(__dirname, '../fixtures/register-link');
    const at = new Date('2026-11-29T13:05:33Z');
    expect(readFileSync(join(dir, 'ng-supermarket.bin'))).toEqual(
      Buffer.concat([
        supermarketReceipt(123, [SAMPLE_GOODS[0]!, SAMPLE_GOODS[1]!], { at, pay: 'CASH', tenderedKobo: 400_000 }),
        supermarketReceipt(124, [SAMPLE_GOODS[3]!, SAMPLE_GOODS[4]!], { at, pay: 'POS' }),
      ]),
    );
    expect(readFileSync(join(dir, 'ng-restaurant.bin'))).toEqual(
      Buffer.concat([
        restaurantBill(4521, [SAMPLE_DISHES[0]!, SAMPLE_DISHES[1]!], { at, pay: 'Card' }),
        kitchenTicket(4522, [SAMPLE_DISHES[2]!]),
      ]),
    );
  });
});
