// `taxpoynt-pos receipt IRN --format escpos|png|text --out FILE [--copy] [--width 58|80]` and the
// virtual printer through `print-worker`, on the real bundled CLI.
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import jsQR from 'jsqr';
import { cli, sampleSale, setupCli, simpleSale, tempDir } from '../support/fixture';
import { decodeEscpos } from '../support/escpos-decoder';

let dir: string;
let irn: string;
let qr: string;

beforeAll(() => {
  dir = tempDir();
  expect(setupCli(dir).code).toBe(0);
  const r = cli(
    dir,
    ['ingest', '--source', 'canonical', '--file', '-'],
    JSON.stringify(sampleSale({ occurred_at: new Date(Date.now() - 60_000).toISOString() })),
  );
  expect(r.code).toBe(0);
  ({ irn, qr } = JSON.parse(r.stdout) as { irn: string; qr: string });
});

const scan = (file: string) => {
  const png = PNG.sync.read(readFileSync(file));
  return { width: png.width, data: jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data };
};

describe('receipt command', () => {
  it('text at 58 mm: the receipt within 32 columns, with the IRN and report state', () => {
    const out = join(dir, 'r58.txt');
    const r = cli(dir, ['receipt', irn, '--format', 'text', '--out', out, '--width', '58']);
    expect(r.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain(irn.slice(0, 29));
    expect(text).toMatch(/A w a i t i n g\s+c l e a r a n c e|Awaiting clearance/); // the B2B sample awaits clearance (issue 11)
    expect(text).toMatch(/TOTAL +₦17,500\.00/);
    for (const line of text.split('\n')) expect([...line].length).toBeLessThanOrEqual(32);
  });

  it('text to standard output with --out -, and --copy says COPY', () => {
    const r = cli(dir, ['receipt', irn, '--format', 'text', '--out', '-', '--copy']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('C O P Y');
  });

  it("png: the image's QR decodes to the invoice's QR string (both widths)", () => {
    for (const width of ['58', '80']) {
      const out = join(dir, `r${width}.png`);
      expect(cli(dir, ['receipt', irn, '--format', 'png', '--out', out, '--width', width]).code).toBe(0);
      const scanned = scan(out);
      expect(scanned.data).toBe(qr);
      expect(scanned.width).toBe(width === '58' ? 288 : 416);
    }
  });

  it("escpos (Epson and Star): the native QR command carries the invoice's QR string", () => {
    for (const type of ['epson', 'star'] as const) {
      const out = join(dir, `r-${type}.bin`);
      expect(cli(dir, ['receipt', irn, '--format', 'escpos', '--out', out, '--type', type]).code).toBe(0);
      const job = decodeEscpos(readFileSync(out), type);
      expect(job.qr).toEqual([qr]);
      expect(job.lines.some((l) => l.includes('TOTAL') && l.includes('NGN 17,500.00'))).toBe(true);
      expect(job.drawerKicks).toBe(0); // a rendered file never opens a drawer
    }
  });

  it('bad input exits 2 naming what is wrong, and writes nothing', () => {
    const out = join(dir, 'never.txt');
    const unknown = cli(dir, ['receipt', 'T0199999999-94ND90NR-20261124', '--format', 'text', '--out', out]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/IRN: no invoice T0199999999-94ND90NR-20261124/);
    const width = cli(dir, ['receipt', irn, '--format', 'text', '--out', out, '--width', '76']);
    expect(width.code).toBe(2);
    expect(width.stderr).toMatch(/--width: "76" must be 58 or 80/);
    const format = cli(dir, ['receipt', irn, '--format', 'pdf', '--out', out]);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/--format: "pdf" must be one of escpos, png, text/);
    const missing = cli(dir, ['receipt', irn, '--format', 'text']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--out/);
    const unwritable = cli(dir, ['receipt', irn, '--format', 'text', '--out', join(dir, 'no-such-dir', 'x.txt')]);
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr).toMatch(/--out: cannot write .* \(ENOENT\)/);
    expect(existsSync(out)).toBe(false);
    expect(cli(dir, ['reprint', 'NOPE-94ND90NR-20261124']).code).toBe(2);
  });
});

describe('virtual printer via print-worker', () => {
  it("prints the queue to DATA_DIR/receipts: ESC/POS bytes and a PNG whose QR decodes to the invoice's", () => {
    const d = tempDir();
    expect(setupCli(d).code).toBe(0);
    const r = cli(
      d,
      ['ingest', '--source', 'canonical', '--file', '-'],
      JSON.stringify(simpleSale('virt-1', '1075.00', { occurred_at: new Date(Date.now() - 60_000).toISOString() })),
    );
    const inv = JSON.parse(r.stdout) as { qr: string; invoice_number: string; irn: string };
    expect(JSON.parse(cli(d, ['print-queue']).stdout)).toMatchObject({ queued: 1, problems: [] });
    const w = cli(d, ['print-worker', '--until-idle']);
    expect(w.code).toBe(0);
    expect(JSON.parse(w.stdout)).toMatchObject({ processed: 1, printer: 'virtual', queued: 0 });
    expect(scan(join(d, 'receipts', `${inv.invoice_number}.png`)).data).toBe(inv.qr);
    expect(decodeEscpos(readFileSync(join(d, 'receipts', `${inv.invoice_number}.bin`)), 'epson').qr).toEqual([inv.qr]);
    // A second run prints nothing more; a reprint is a COPY file of its own.
    expect(JSON.parse(cli(d, ['print-worker', '--until-idle']).stdout)).toMatchObject({ processed: 0 });
    expect(cli(d, ['reprint', inv.irn]).code).toBe(0);
    expect(JSON.parse(cli(d, ['print-worker', '--until-idle']).stdout)).toMatchObject({ processed: 1 });
    const copyBin = readFileSync(join(d, 'receipts', `${inv.invoice_number}-copy-1.bin`));
    expect(decodeEscpos(copyBin, 'epson').lines.some((l) => l.includes('COPY'))).toBe(true);
  });

  it('print-worker rejects a printer setting it cannot use', () => {
    const d = tempDir();
    const r = cli(d, ['print-worker', '--until-idle', '--printer', 'http://printer.local']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/printer\.interface: must be virtual, tcp:\/\/host:9100/);
    expect(cli(d, ['print-worker', '--until-idle', '--width', '60']).stderr).toMatch(/--width: "60" must be 58 or 80/);
  });
});
