// ESC/POS (Epson and Star, native QR and raster fallback) and PNG rendering of a real issued
// invoice: the QR each output carries decodes to the invoice's QR string.
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import jsQR from 'jsqr';
import { openDatabase } from '../../main/ledger/database';
import { Ledger, type IssuedInvoice } from '../../main/ledger/ledger';
import { buildReceipt } from '../../shared/receipt/receipt';
import { layoutReceipt, type PaperWidth } from '../../shared/receipt/layout';
import { renderEscpos, printableText, type CommandSet } from '../../main/print/escpos-render';
import { renderPng } from '../../main/print/png-render';
import { decodeEscpos, rasterToRgba } from '../support/escpos-decoder';
import { BUSINESS, decryptQr, keyPair, sampleSale, tempDir } from '../support/fixture';

let ledger: Ledger;
let invoice: IssuedInvoice;

beforeAll(() => {
  ledger = new Ledger(openDatabase(join(tempDir(), 'ledger.db')));
  ledger.configure(BUSINESS, keyPair().keysFileJson);
  invoice = ledger.issue(sampleSale()).invoice;
});

const layout = (width: PaperWidth, copy = false) =>
  layoutReceipt(buildReceipt(invoice, ledger.getBusiness()!, { copy }), { width, nairaSymbol: false });

describe('ESC/POS rendering', () => {
  for (const commands of ['epson', 'star'] as CommandSet[]) {
    for (const width of [58, 80] as PaperWidth[]) {
      it(`${commands} ${width} mm: the native QR command carries exactly the invoice's QR string`, () => {
        const bytes = renderEscpos(layout(width), { commands, qr: 'native', cut: true, drawer: true });
        const job = decodeEscpos(bytes, commands);
        expect(job.qr).toEqual([invoice.qr]);
        expect(JSON.parse(decryptQr(job.qr[0]!)).irn).toBe(`${invoice.irn}.${invoice.issued_at}`);
        expect(job.lines.some((l) => l.includes(invoice.irn))).toBe(true);
        // The sample sale is B2B (a buyer with a TIN): cleared, not reported, so the receipt says so (issue 11).
        expect(job.lines.join('\n')).toMatch(/Awaiting\s+clearance/);
        expect(job.rasters).toHaveLength(0);
        expect(job.cuts).toBe(1);
        expect(job.drawerKicks).toBe(1); // a cash sale
        const cols = width === 58 ? 32 : 48;
        for (const l of job.lines) expect(l.length).toBeLessThanOrEqual(cols);
      });

      it(`${commands} ${width} mm: the raster fallback image scans (jsQR) to the invoice's QR string`, () => {
        const bytes = renderEscpos(layout(width), { commands, qr: 'raster', cut: false, drawer: false });
        const job = decodeEscpos(bytes, commands);
        expect(job.qr).toEqual([]);
        expect(job.rasters).toHaveLength(1);
        const r = job.rasters[0]!;
        expect(r.width).toBeLessThanOrEqual(width === 58 ? 384 : 576);
        expect(jsQR(rasterToRgba(r), r.width, r.height)?.data).toBe(invoice.qr);
        expect(job.drawerKicks).toBe(0);
      });
    }
  }

  it('a copy says COPY and never opens the drawer', () => {
    const job = decodeEscpos(renderEscpos(layout(80, true), { commands: 'epson', qr: 'native', cut: true, drawer: true }), 'epson');
    expect(job.lines.filter((l) => l.includes('C O P Y') || l.includes('COPY')).length).toBeGreaterThanOrEqual(1);
    expect(job.drawerKicks).toBe(0);
    expect(job.qr).toEqual([invoice.qr]);
  });

  it('keeps accented names in code page 858 and substitutes what it cannot print, one for one', () => {
    expect(printableText('Café — ₦')).toBe('Café - N');
    expect(printableText('日本')).toBe('??');
  });

  it('the decoder rejects bytes that are not a known command', () => {
    expect(() => decodeEscpos(Buffer.from([0x1b, 0x99]), 'epson')).toThrow(/unknown Epson ESC command/);
    expect(() => decodeEscpos(Buffer.from([0x1d, 0x28, 0x6b, 0x10, 0x00, 0x31]), 'epson')).toThrow(/truncated/);
  });
});

describe('PNG rendering', () => {
  for (const width of [58, 80] as PaperWidth[]) {
    it(`${width} mm: the PNG's QR decodes with jsQR to the invoice's QR string`, () => {
      const png = PNG.sync.read(renderPng(layout(width)));
      expect(png.width).toBe((width === 58 ? 32 : 48) * 8 + 32);
      const found = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
      expect(found?.data).toBe(invoice.qr);
    });
  }
});

describe('README sample', () => {
  it('docs/receipt-sample.png (made with `taxpoynt-pos receipt IRN --format png`) is a receipt whose QR scans', () => {
    const png = PNG.sync.read(readFileSync(join(__dirname, '..', '..', 'docs', 'receipt-sample.png')));
    const found = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(found?.data).toMatch(/^[A-Za-z0-9+/]{342}==$/); // a 2048-bit RSA stamp in base64
  });
});
