// The other transports and the PrintService API: a serial printer on a real pseudo-terminal pair
// (socat), a device file, an OS printer through CUPS `lp`, the virtual printer with preview,
// testPrint, status and change events; printer settings validated.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { PNG } from 'pngjs';
import jsQR from 'jsqr';
import { openDatabase, type Db } from '../../main/ledger/database';
import { Ledger } from '../../main/ledger/ledger';
import { PrintService, type PrintStatus } from '../../main/print/print-service';
import { OsPrinterTransport } from '../../main/print/os-transport';
import { type VirtualPrinter } from '../../main/print/virtual-printer';
import { NotSent } from '../../main/print/transport';
import { parsePrinterConfig } from '../../shared/receipt/printer-config';
import { decodeEscpos } from '../support/escpos-decoder';
import { BUSINESS, keyPair, sampleSale, simpleSale, tempDir } from '../support/fixture';
import { FakePrinter } from './fake-printer';

let db: Db;
let ledger: Ledger;
const services: PrintService[] = [];

beforeEach(() => {
  db = openDatabase(join(tempDir(), 'ledger.db'));
  ledger = new Ledger(db);
  ledger.configure(BUSINESS, keyPair().keysFileJson);
});
afterEach(async () => {
  for (const s of services.splice(0)) await s.stop();
  db.close();
});

function service(config: unknown, extra: Record<string, unknown> = {}): PrintService {
  const s = new PrintService({ db, ledger, config, now: () => Date.now() + 1000, ...extra });
  services.push(s);
  return s;
}

const scanPng = (buf: Buffer) => {
  const png = PNG.sync.read(buf);
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
};

describe('late captures (a POS catch-up after an outage)', () => {
  it('with lateCaptureMs, a sale captured hours after it happened is not auto-printed; a fresh one is; the late one prints on request', async () => {
    const s = service(undefined, { lateCaptureMs: 30 * 60_000 });
    const now = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');
    const late = ledger.issue(simpleSale('late-1', '1075.00', { occurred_at: iso(now - 3 * 3600_000) })).invoice;
    const fresh = ledger.issue(simpleSale('fresh-1', '1075.00', { occurred_at: iso(now - 60_000) })).invoice;
    expect(await s.runUntilIdle()).toBe(2);
    const v = s.virtual as VirtualPrinter;
    expect(v.jobs.map((j) => decodeEscpos(j.bytes, 'epson').qr[0])).toEqual([fresh.qr]);
    const row = db.prepare("SELECT status, last_error FROM outbox WHERE kind = 'print' AND invoice_counter = ?").get(late.counter) as {
      status: string;
      last_error: string;
    };
    expect(row).toEqual({
      status: 'done',
      last_error: expect.stringMatching(/^not printed automatically: captured 18\d min after the sale/),
    });
    expect(s.status()).toMatchObject({ queued: 0, unconfirmed: 0 });
    await s.reprint(late.irn);
    await s.runUntilIdle();
    expect(v.jobs).toHaveLength(2);
    expect(decodeEscpos(v.jobs[1]!.bytes, 'epson').qr).toEqual([late.qr]);
  });

  it('without it (the default), every original prints however late it was captured', async () => {
    const s = service(undefined);
    ledger.issue(simpleSale('late-2', '1075.00', { occurred_at: new Date(Date.now() - 3 * 3600_000).toISOString() }));
    await s.runUntilIdle();
    expect((s.virtual as VirtualPrinter).jobs).toHaveLength(1);
  });
});

describe('serial printer on a socat pseudo-terminal pair', () => {
  let socat: ChildProcess;
  let dir: string;
  let printerSide: SerialPort;
  let fake: FakePrinter;

  beforeAll(async () => {
    if (spawnSync('socat', ['-V']).status !== 0)
      throw new Error('socat is required for the serial printer tests: apt-get install -y socat (.ci/run does)');
    dir = tempDir();
    socat = spawn('socat', [`pty,raw,echo=0,link=${join(dir, 'app')}`, `pty,raw,echo=0,link=${join(dir, 'printer')}`], { stdio: 'ignore' });
    const start = Date.now();
    while (!(existsSync(join(dir, 'app')) && existsSync(join(dir, 'printer')))) {
      if (Date.now() - start > 10_000) throw new Error('socat did not create the pty pair');
      await new Promise((r) => setTimeout(r, 20));
    }
    printerSide = new SerialPort({ path: join(dir, 'printer'), baudRate: 9600 });
    await new Promise<void>((resolve, reject) => printerSide.once('open', resolve).once('error', reject));
    fake = new FakePrinter();
    fake.attach(printerSide);
  });
  afterAll(async () => {
    await new Promise<void>((r) => (printerSide?.isOpen ? printerSide.close(() => r()) : r()));
    socat?.kill();
  });

  it('prints over serial: status answered on the line, the job carries the invoice QR', async () => {
    const inv = ledger.issue(sampleSale()).invoice;
    const s = service({ interface: `serial:${join(dir, 'app')}`, qr: 'native', baud_rate: 9600, status_timeout_ms: 3000 });
    expect(await s.runUntilIdle()).toBe(1);
    expect(s.status()).toMatchObject({ printer: 'ready', queued: 0 });
    await fake.waitFor(() => fake.conns[0]!.job.length > 0, 'the job on the printer side');
    const job = decodeEscpos(fake.conns[0]!.job, 'epson');
    expect(job.qr).toEqual([inv.qr]);
    expect(job.drawerKicks).toBe(1);
  });

  it('out of paper on the serial printer: not sent, paper_out', async () => {
    fake.paper = 'out';
    const before = fake.conns[0]!.job.length;
    ledger.issue(simpleSale('serial-2'));
    const s = service({ interface: `serial:${join(dir, 'app')}`, qr: 'native', status_timeout_ms: 3000 });
    await s.runUntilIdle();
    expect(s.status().printer).toBe('paper_out');
    expect(fake.conns[0]!.job.length).toBe(before);
    fake.paper = 'ok';
  });

  it('a serial device that does not exist: offline, retried', async () => {
    ledger.issue(simpleSale('serial-3'));
    const s = service({ interface: `serial:${join(dir, 'nothing-here')}` });
    await s.runUntilIdle();
    expect(s.status()).toMatchObject({ printer: 'offline', queued: 1 });
    expect(s.status().message).toMatch(/cannot be opened/);
  });
});

describe('device file and OS printer', () => {
  it('a device path (like /dev/usb/lp0) receives the job bytes', async () => {
    const file = join(tempDir(), 'lp0');
    writeFileSync(file, '');
    const inv = ledger.issue(sampleSale()).invoice;
    const s = service({ interface: file, qr: 'raster', type: 'star' });
    expect(await s.runUntilIdle()).toBe(1);
    const job = decodeEscpos(readFileSync(file), 'star');
    expect(job.rasters).toHaveLength(1);
    expect(s.status().printer).toBe('ready');
    expect(job.lines.join('\n')).toContain(inv.irn);
  });

  it('an OS printer by name goes through `lp -d NAME -o raw` (a stand-in lp records what CUPS would get)', async () => {
    const d = tempDir();
    const lp = join(d, 'lp');
    writeFileSync(lp, `#!/bin/sh\necho "$@" > "${d}/args"\ncat > "${d}/job.bin"\n`);
    chmodSync(lp, 0o755);
    const t = new OsPrinterTransport('TM_T20', lp);
    let journalled = false;
    await t.print({ name: 'T0100000001', bytes: Buffer.from('hello\n'), layout: null }, () => {
      journalled = true;
    });
    expect(journalled).toBe(true);
    expect(readFileSync(join(d, 'args'), 'utf8').trim()).toBe('-d TM_T20 -o raw -t T0100000001');
    expect(readFileSync(join(d, 'job.bin'), 'utf8')).toBe('hello\n');

    const failing = join(d, 'lp-fail');
    writeFileSync(failing, '#!/bin/sh\necho "lp: The printer or class does not exist." >&2\nexit 1\n');
    chmodSync(failing, 0o755);
    await expect(
      new OsPrinterTransport('NOPE', failing).print({ name: 'x', bytes: Buffer.from('x'), layout: null }, () => undefined),
    ).rejects.toThrow(/refused the job .* does not exist/);
    await expect(
      new OsPrinterTransport('X', join(d, 'no-lp')).print({ name: 'x', bytes: Buffer.from('x'), layout: null }, () => undefined),
    ).rejects.toBeInstanceOf(NotSent);
  });
});

describe('virtual printer and the PrintService API', () => {
  it('is the default: status virtual, jobs kept as bytes and a PNG that scans; change events; preview; testPrint', async () => {
    const s = service(undefined);
    expect(s.status()).toEqual({ printer: 'virtual', queued: 0, unconfirmed: 0 });
    const seen: PrintStatus[] = [];
    s.on('change', (st: PrintStatus) => seen.push(st));
    const inv = ledger.issue(sampleSale()).invoice;
    expect(s.status().queued).toBe(1);
    await s.runUntilIdle();
    expect(seen.at(-1)).toMatchObject({ printer: 'virtual', queued: 0 });
    const v = s.virtual as VirtualPrinter;
    expect(v.jobs).toHaveLength(1);
    expect(scanPng(v.jobs[0]!.png!)).toBe(inv.qr);
    expect(decodeEscpos(v.jobs[0]!.bytes, 'epson').qr).toEqual([inv.qr]);

    const preview = s.preview(inv.irn, { width: 58, copy: true });
    expect(preview.text).toContain('C O P Y');
    expect(preview.text).toContain('₦'); // the virtual printer can draw it
    expect(scanPng(preview.png)).toBe(inv.qr);
    expect(() => s.preview('NOPE-94ND90NR-20261124')).toThrow(/irn: no invoice/);

    const test = await s.testPrint();
    expect(test).toMatchObject({ ok: true });
    expect(v.jobs).toHaveLength(2);
    expect(scanPng(v.jobs[1]!.png!)).toBe('TaxPoynt POS printer test');
  });

  it('a preview for an ESC/POS printer shows NGN, as the printer will', () => {
    const s = service({ interface: 'tcp://127.0.0.1:9', status_check: false });
    const inv = ledger.issue(sampleSale()).invoice;
    expect(s.preview(inv.irn).text).toMatch(/TOTAL +NGN 17,500\.00/);
  });

  it('testPrint against a printer that is off reports it without queueing anything', async () => {
    const fake = new FakePrinter();
    const port = await fake.listen();
    await fake.close();
    const s = service({ interface: `tcp://127.0.0.1:${port}`, timeout_ms: 500 });
    const r = await s.testPrint();
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/unreachable/);
    expect(r.status).toMatchObject({ printer: 'offline', queued: 0 });
  });

  it('configure() switches printers; start()/stop() run the background worker', async () => {
    const fake = new FakePrinter();
    const port = await fake.listen();
    try {
      const s = new PrintService({ db, ledger, pollMs: 50 });
      services.push(s);
      s.start();
      await s.configure({ interface: `tcp://127.0.0.1:${port}`, qr: 'native' });
      const inv = ledger.issue(simpleSale('cfg-1')).invoice;
      s.kick();
      await fake.waitFor(() => fake.jobs.length === 1, 'the job');
      await s.stop();
      expect(decodeEscpos(fake.jobs[0]!, 'epson').qr).toEqual([inv.qr]);
      await expect(s.configure({ interface: 'lpt1' })).rejects.toThrow(/printer\.interface/);
    } finally {
      await fake.close();
    }
  });

  it('printer settings are validated and name the field', () => {
    expect(parsePrinterConfig(undefined)).toMatchObject({ interface: 'virtual', type: 'epson', width: 80, qr: 'auto' });
    expect(() => parsePrinterConfig({ interface: 'ftp://x' })).toThrow(/printer\.interface: must be virtual/);
    expect(() => parsePrinterConfig({ width: 76 })).toThrow(/printer\.width/);
    expect(() => parsePrinterConfig({ type: 'zebra' })).toThrow(/printer\.type/);
    expect(() => parsePrinterConfig({ color: true })).toThrow(/printer\.\(config\)|Unrecognized key/);
  });
});
