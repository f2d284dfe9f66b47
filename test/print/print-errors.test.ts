// The print service when the network printer (a real loopback TCP listener speaking Epson DLE EOT)
// goes wrong: the connection is cut while a receipt is being sent, the printer's status says it
// cannot print, it is off when asked, a reprint names an invoice that is not there. A job never
// stays "sending", is never sent twice by itself, and the state says what is wrong.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createServer, type Server, type Socket } from 'node:net';
import { openDatabase, type Db } from '../../main/ledger/database';
import { Ledger } from '../../main/ledger/ledger';
import { PrintService } from '../../main/print/print-service';
import { InvalidInput } from '../../shared/domain/sale';
import { BUSINESS, keyPair, sampleSale, tempDir } from '../support/fixture';
import { FakePrinter, freePort } from './fake-printer';

let db: Db;
let ledger: Ledger;
let printer: FakePrinter;
let server: Server | undefined;
let clock: number;
const services: PrintService[] = [];

beforeEach(() => {
  db = openDatabase(join(tempDir(), 'ledger.db'));
  ledger = new Ledger(db);
  ledger.configure(BUSINESS, keyPair().keysFileJson);
  printer = new FakePrinter();
  clock = Date.now() + 1000;
});

afterEach(async () => {
  for (const s of services.splice(0)) await s.stop();
  await printer.close();
  if (server) await new Promise<void>((r) => server!.close(() => r()));
  server = undefined;
  db.close();
});

function service(port: number, extra: Record<string, unknown> = {}): PrintService {
  const s = new PrintService({
    db,
    ledger,
    config: { interface: `tcp://127.0.0.1:${port}`, qr: 'native', status_timeout_ms: 1500, ...extra },
    now: () => clock,
    backoff: { baseMs: 1000, maxMs: 8000 },
  });
  services.push(s);
  return s;
}

const printRow = (counter: number) =>
  db.prepare("SELECT status, attempts, last_error FROM outbox WHERE kind = 'print' AND invoice_counter = ?").get(counter) as {
    status: string;
    attempts: number;
    last_error: string | null;
  };

/**
 * The fake printer behind a listener that cuts the first connection that carried job bytes with a
 * TCP reset, as a printer losing power mid-receipt does; later connections are served normally.
 */
async function cuttingPrinter(): Promise<{ port: number; cuts: () => number }> {
  let cuts = 0;
  const socks: Socket[] = [];
  printer.onJob = () => {
    if (cuts > 0) return;
    cuts++;
    socks.at(-1)!.resetAndDestroy();
  };
  server = createServer((sock) => {
    socks.push(sock);
    sock.on('error', () => undefined);
    // Drop writes to a socket we reset (the fake would answer the status query after the job).
    const write = sock.write.bind(sock);
    sock.write = ((data: Buffer) => (sock.destroyed ? false : write(data))) as typeof sock.write;
    printer.attach(sock);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return { port: (server.address() as { port: number }).port, cuts: () => cuts };
}

describe('print service: a transport that fails mid-job', () => {
  it('a connection cut while the receipt is sent: printed-unconfirmed naming the failure, printer offline, never re-sent; a reprint prints a COPY once', async () => {
    const { port, cuts } = await cuttingPrinter();
    const inv = ledger.issue(sampleSale()).invoice;
    const s = service(port, { status_timeout_ms: 400 });
    expect(await s.runUntilIdle()).toBe(1);
    expect(cuts()).toBe(1);
    expect(printer.jobs).toHaveLength(1); // the bytes reached the printer once
    const row = printRow(inv.counter);
    expect(row.status).toBe('dead');
    expect(row.last_error).toMatch(
      /the connection to the printer failed while this receipt was being sent \((read |write )?(ECONNRESET|EPIPE)[^)]*\); it may or may not have printed/,
    );
    expect(s.status()).toMatchObject({ printer: 'offline', queued: 0, unconfirmed: 1 });
    expect(s.problems()).toEqual([
      expect.objectContaining({ job: `invoice:${inv.counter}`, kind: 'original', irn: inv.irn, invoice_number: inv.invoice_number }),
    ]);

    // Later passes (the printer is fine now) do not send it again by themselves.
    clock += 60 * 60_000;
    expect(await s.runUntilIdle()).toBe(0);
    expect(printer.jobs).toHaveLength(1);

    // The person checks the paper and asks for a reprint: a COPY, once, and the problem is gone.
    const { request } = s.resolveProblem(`invoice:${inv.counter}`, 'reprint') as { resolved: true; request: number };
    expect(request).toEqual(expect.any(Number));
    expect(await s.runUntilIdle()).toBe(1);
    expect(printer.jobs).toHaveLength(2);
    expect(printer.jobs[1]!.toString('latin1')).toContain('COPY');
    expect(s.status()).toMatchObject({ printer: 'ready', queued: 0, unconfirmed: 0 });
    expect(await s.runUntilIdle()).toBe(0);
    expect(printer.jobs).toHaveLength(2);
  });

  it('"it printed" after checking the paper closes the problem without printing anything', async () => {
    const { port } = await cuttingPrinter();
    const inv = ledger.issue(sampleSale()).invoice;
    const s = service(port, { status_timeout_ms: 400 });
    await s.runUntilIdle();
    expect(s.status().unconfirmed).toBe(1);
    s.resolveProblem(`invoice:${inv.counter}`, 'printed');
    expect(await s.runUntilIdle()).toBe(0);
    expect(printer.jobs).toHaveLength(1);
    expect(s.status()).toMatchObject({ unconfirmed: 0, queued: 0 });
  });
});

describe('print service: what the printer says about itself', () => {
  it('refreshStatus reads the printer: paper out, cover open, paper nearly out, off', async () => {
    const port = await printer.listen();
    const s = service(port);
    expect(s.status()).toMatchObject({ printer: 'ready', message: 'not checked yet' });
    printer.paper = 'out';
    expect(await s.refreshStatus()).toMatchObject({ printer: 'paper_out', message: 'out of paper' });
    printer.paper = 'ok';
    printer.coverOpen = true;
    expect(await s.refreshStatus()).toMatchObject({ printer: 'error', message: 'cover open' });
    printer.coverOpen = false;
    printer.paper = 'near_end';
    expect(await s.refreshStatus()).toMatchObject({ printer: 'ready', message: 'paper nearly out' });
    await printer.close();
    const off = await s.refreshStatus();
    expect(off.printer).toBe('offline');
    expect(off.message).toBe(`network printer 127.0.0.1:${port} is unreachable (ECONNREFUSED)`);
  });

  it('a printer that never answers status queries is still reachable (ready), and asking it prints nothing', async () => {
    const port = await printer.listen();
    printer.answers = false;
    const s = service(port, { status_timeout_ms: 200 });
    const st = await s.refreshStatus();
    expect(st.printer).toBe('ready');
    expect(printer.jobs).toHaveLength(0); // asking is not printing
  });

  it('testPrint: out of paper is refused without sending, a good printer gets the page, paper running out during it is named', async () => {
    const port = await printer.listen();
    const s = service(port);
    printer.paper = 'out';
    expect(await s.testPrint()).toMatchObject({ ok: false, message: 'the printer is out of paper', status: { printer: 'paper_out' } });
    expect(printer.jobs).toHaveLength(0);

    printer.paper = 'ok';
    const ok = await s.testPrint();
    expect(ok).toMatchObject({ ok: true, message: `test page sent to network printer 127.0.0.1:${port}`, status: { printer: 'ready' } });
    expect(printer.jobs).toHaveLength(1);
    expect(printer.jobs[0]!.toString('latin1')).toContain('Printer test page');

    printer.paperOutAfterJob = true;
    expect(await s.testPrint()).toMatchObject({ ok: false, message: 'the printer is out of paper', status: { printer: 'paper_out' } });
    expect(printer.jobs).toHaveLength(2);
    // A test page is never queued: nothing waits afterwards.
    expect(s.status().queued).toBe(0);
  });

  it('a queued receipt while the printer is off waits with the reason and backs off; nothing was sent', async () => {
    const port = await freePort();
    const inv = ledger.issue(sampleSale()).invoice;
    const s = service(port);
    expect(await s.runUntilIdle()).toBe(1);
    const row = printRow(inv.counter);
    expect(row).toMatchObject({ status: 'retrying', attempts: 1 });
    expect(row.last_error).toBe(`network printer 127.0.0.1:${port} is unreachable (ECONNREFUSED)`);
    expect(s.status()).toMatchObject({ printer: 'offline', queued: 1, unconfirmed: 0 });
    expect(await s.runUntilIdle()).toBe(0); // not due before the backoff
  });
});

describe('print service: requests that name nothing printable', () => {
  it('reprint and preview of an IRN that is not in this ledger are InvalidInput naming it; nothing is queued', async () => {
    const port = await printer.listen();
    const s = service(port);
    expect(() => s.reprint('INV-NOPE-94ND90NR-20261120')).toThrow(
      new InvalidInput('irn: no invoice INV-NOPE-94ND90NR-20261120 in this ledger'),
    );
    expect(() => s.preview('INV-NOPE-94ND90NR-20261120')).toThrow(InvalidInput);
    expect(s.status().queued).toBe(0);
    expect(await s.runUntilIdle()).toBe(0);
    expect(printer.conns).toHaveLength(0);
  });

  it('resolving a problem that does not exist is refused and changes nothing', async () => {
    const port = await printer.listen();
    const inv = ledger.issue(sampleSale()).invoice;
    const s = service(port);
    expect(() => s.resolveProblem(`invoice:${inv.counter}`, 'reprint')).toThrow();
    expect(await s.runUntilIdle()).toBe(1);
    expect(printer.jobs).toHaveLength(1);
    expect(printRow(inv.counter).status).toBe('done');
  });
});
