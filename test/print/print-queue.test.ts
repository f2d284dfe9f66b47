// The durable print queue against a loopback network printer: a real job's QR, offline then back,
// out of paper, paper running out mid-receipt, QR auto-detection, the background worker.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../main/ledger/database';
import { Ledger } from '../../main/ledger/ledger';
import { PrintService } from '../../main/print/print-service';
import { PrintJobs } from '../../main/ledger/print-jobs';
import { decodeEscpos, rasterToRgba } from '../support/escpos-decoder';
import { BUSINESS, keyPair, sampleSale, simpleSale, tempDir } from '../support/fixture';
import { FakePrinter, freePort } from './fake-printer';
import jsQR from 'jsqr';

let db: Db;
let ledger: Ledger;
let printer: FakePrinter;
let clock: number;
const services: PrintService[] = [];

beforeEach(async () => {
  db = openDatabase(join(tempDir(), 'ledger.db'));
  ledger = new Ledger(db);
  ledger.configure(BUSINESS, keyPair().keysFileJson);
  printer = new FakePrinter();
  clock = Date.now() + 1000; // after the ledger's own outbox timestamps
});

afterEach(async () => {
  for (const s of services.splice(0)) await s.stop();
  await printer.close();
  db.close();
});

function service(config: Record<string, unknown>, extra: Partial<ConstructorParameters<typeof PrintService>[0]> = {}): PrintService {
  const s = new PrintService({
    db,
    ledger,
    config: { status_timeout_ms: 2000, ...config },
    now: () => clock,
    backoff: { baseMs: 1000, maxMs: 8000 },
    ...extra,
  });
  services.push(s);
  return s;
}

const printStatus = (counter: number) =>
  db.prepare("SELECT status, attempts, last_error FROM outbox WHERE kind = 'print' AND invoice_counter = ?").get(counter) as {
    status: string;
    attempts: number;
    last_error: string | null;
  };

describe('print queue → loopback network printer', () => {
  it('prints an issued sale once; the native QR (Epson GS ( k) decodes to the invoice QR; cash sale opens the drawer', async () => {
    const port = await printer.listen();
    const inv = ledger.issue(sampleSale()).invoice;
    const s = service({ interface: `tcp://127.0.0.1:${port}`, qr: 'native', width: 80 });
    expect(await s.runUntilIdle()).toBe(1);
    expect(printer.jobs).toHaveLength(1);
    const job = decodeEscpos(printer.jobs[0]!, 'epson');
    expect(job.qr).toEqual([inv.qr]);
    expect(job.drawerKicks).toBe(1);
    expect(job.cuts).toBe(1);
    expect(job.lines.join('\n')).toContain(inv.irn);
    expect(job.lines.join('\n')).not.toContain('COPY');
    expect(printStatus(inv.counter)).toMatchObject({ status: 'done', attempts: 1 });
    expect(new PrintJobs(db).attempts({ source: 'invoice', counter: inv.counter }).map((a) => a.outcome)).toEqual(['printed']);
    expect(s.status()).toMatchObject({ printer: 'ready', queued: 0, unconfirmed: 0 });
    expect(await s.runUntilIdle()).toBe(0); // done stays done
    expect(printer.jobs).toHaveLength(1);
  });

  it('Star command set: the Star QR command carries the invoice QR; a card sale does not open the drawer', async () => {
    const port = await printer.listen();
    const inv = ledger.issue(simpleSale('card-1')).invoice;
    const s = service({ interface: `tcp://127.0.0.1:${port}`, type: 'star', width: 58, status_check: false });
    await s.runUntilIdle();
    await printer.waitFor(() => printer.jobs.length === 1, 'the star job');
    const job = decodeEscpos(printer.jobs[0]!, 'star');
    expect(job.qr).toEqual([inv.qr]);
    expect(job.drawerKicks).toBe(0);
    expect(job.cuts).toBe(1);
  });

  it('printer offline, then back: the job waits (sale already issued), retries with backoff, prints exactly once', async () => {
    const port = await freePort();
    const inv = ledger.issue(sampleSale()).invoice; // the sale never waits for the printer
    const s = service({ interface: `tcp://127.0.0.1:${port}`, qr: 'native', timeout_ms: 1000 });
    const changes: string[] = [];
    s.on('change', (st: { printer: string }) => changes.push(st.printer));
    await s.runUntilIdle();
    expect(printStatus(inv.counter)).toMatchObject({ status: 'retrying', attempts: 1 });
    expect(printStatus(inv.counter).last_error).toMatch(/unreachable \(ECONNREFUSED\)/);
    expect(s.status()).toMatchObject({ printer: 'offline', queued: 1 });
    expect(changes).toContain('offline');
    clock += 500; // not due yet (1 s backoff)
    expect(await s.runUntilIdle()).toBe(0);
    clock += 600;
    await s.runUntilIdle();
    expect(printStatus(inv.counter)).toMatchObject({ status: 'retrying', attempts: 2 }); // still off; next in 2 s

    await printer.listen(port); // switched on
    clock += 2100;
    expect(await s.runUntilIdle()).toBe(1);
    expect(printer.jobs).toHaveLength(1);
    expect(decodeEscpos(printer.jobs[0]!, 'epson').qr).toEqual([inv.qr]);
    expect(printStatus(inv.counter).status).toBe('done');
    expect(s.status().printer).toBe('ready');
    expect(new PrintJobs(db).attempts({ source: 'invoice', counter: inv.counter }).map((a) => a.outcome)).toEqual(['printed']);
  });

  it('out of paper: nothing is sent, the state says paper_out; after a new roll it prints once', async () => {
    const port = await printer.listen();
    printer.paper = 'out';
    const inv = ledger.issue(sampleSale()).invoice;
    const s = service({ interface: `tcp://127.0.0.1:${port}`, qr: 'native' });
    await s.runUntilIdle();
    expect(printer.jobs).toHaveLength(0);
    expect(printer.conns.length).toBeGreaterThan(0); // it asked
    expect(s.status()).toMatchObject({ printer: 'paper_out', message: 'the printer is out of paper', queued: 1 });
    expect(printStatus(inv.counter)).toMatchObject({ status: 'retrying', last_error: 'the printer is out of paper' });

    printer.paper = 'ok';
    clock += 1000;
    await s.runUntilIdle();
    expect(printer.jobs).toHaveLength(1);
    expect(s.status()).toMatchObject({ printer: 'ready', queued: 0 });
  });

  it('cover open: not sent, state error', async () => {
    const port = await printer.listen();
    printer.coverOpen = true;
    ledger.issue(sampleSale());
    const s = service({ interface: `tcp://127.0.0.1:${port}`, qr: 'native' });
    await s.runUntilIdle();
    expect(printer.jobs).toHaveLength(0);
    expect(s.status()).toMatchObject({ printer: 'error', message: 'the printer cover is open' });
  });

  it('paper runs out during the receipt: printed-unconfirmed, listed as a problem, never re-sent by itself', async () => {
    const port = await printer.listen();
    printer.paperOutAfterJob = true;
    const inv = ledger.issue(sampleSale()).invoice;
    const s = service({ interface: `tcp://127.0.0.1:${port}`, qr: 'native' });
    await s.runUntilIdle();
    expect(printer.jobs).toHaveLength(1);
    expect(printStatus(inv.counter).status).toBe('dead');
    expect(s.problems()).toEqual([
      expect.objectContaining({ irn: inv.irn, kind: 'original', error: expect.stringMatching(/^unconfirmed: .*out of paper/) }),
    ]);
    expect(s.status()).toMatchObject({ printer: 'paper_out', unconfirmed: 1 });
    printer.paperOutAfterJob = false;
    clock += 120_000;
    expect(await s.runUntilIdle()).toBe(0);
    expect(printer.jobs).toHaveLength(1);
    // The cashier sees the receipt did come out whole: the problem closes, nothing prints.
    expect(() => s.resolveProblem('invoice:999', 'printed')).toThrow(/not an unconfirmed print job/);
    s.resolveProblem(s.problems()[0]!.job, 'printed');
    expect(s.status()).toMatchObject({ unconfirmed: 0, queued: 0 });
    expect(printStatus(inv.counter).status).toBe('done');
    expect(await s.runUntilIdle()).toBe(0);
    expect(printer.jobs).toHaveLength(1);
  });

  it('qr auto: asks the Epson model; a TM-T88IV gets the raster image (which scans), a TM-T20II the native command', async () => {
    const port = await printer.listen();
    printer.model = 'TM-T88IV';
    const a = ledger.issue(simpleSale('auto-1')).invoice;
    await service({ interface: `tcp://127.0.0.1:${port}` }).runUntilIdle();
    const raster = decodeEscpos(printer.jobs[0]!, 'epson');
    expect(raster.qr).toEqual([]);
    const r = raster.rasters[0]!;
    expect(jsQR(rasterToRgba(r), r.width, r.height)?.data).toBe(a.qr);

    printer.model = 'TM-T20II';
    const b = ledger.issue(simpleSale('auto-2')).invoice;
    clock = Date.now() + 1000; // the job is stamped with the real time: keep the service's clock after it
    await service({ interface: `tcp://127.0.0.1:${port}` }).runUntilIdle();
    expect(decodeEscpos(printer.jobs[1]!, 'epson').qr).toEqual([b.qr]);

    printer.model = undefined; // no answer: the raster image, which any ESC/POS printer prints
    ledger.issue(simpleSale('auto-3'));
    clock = Date.now() + 1000;
    await service({ interface: `tcp://127.0.0.1:${port}` }).runUntilIdle();
    expect(decodeEscpos(printer.jobs[2]!, 'epson').rasters).toHaveLength(1);
  });

  it('the background worker: sales issued while the printer is off all print once it is back, in issue order', async () => {
    const port = await freePort();
    const s = new PrintService({
      db,
      ledger,
      config: { interface: `tcp://127.0.0.1:${port}`, qr: 'native', timeout_ms: 500 },
      backoff: { baseMs: 50, maxMs: 200 },
      pollMs: 50,
    });
    services.push(s);
    s.start();
    const issued = [1, 2, 3].map((i) => ledger.issue(simpleSale(`bg-${i}`)).invoice);
    await printer.waitFor(() => s.status().printer === 'offline', 'the worker to see the printer offline');
    await printer.listen(port);
    s.kick();
    await printer.waitFor(() => printer.jobs.length === 3 && s.status().queued === 0, 'three receipts');
    await s.stop();
    expect(printer.jobs.map((j) => decodeEscpos(j, 'epson').qr[0])).toEqual(issued.map((i) => i.qr));
  });

  it('reprint: prints COPY, no drawer, and leaves the original job alone', async () => {
    const port = await printer.listen();
    const inv = ledger.issue(sampleSale()).invoice;
    const s = service({ interface: `tcp://127.0.0.1:${port}`, qr: 'native' });
    await s.runUntilIdle();
    expect(() => s.reprint('NOPE-94ND90NR-20261124')).toThrow(/no invoice NOPE/);
    s.reprint(inv.irn);
    expect(s.status().queued).toBe(1);
    await s.runUntilIdle();
    expect(printer.jobs).toHaveLength(2);
    const copy = decodeEscpos(printer.jobs[1]!, 'epson');
    expect(copy.lines.some((l) => l.includes('COPY'))).toBe(true);
    expect(copy.drawerKicks).toBe(0);
    expect(copy.qr).toEqual([inv.qr]);
    expect(decodeEscpos(printer.jobs[0]!, 'epson').lines.some((l) => l.includes('COPY'))).toBe(false);
  });
});
