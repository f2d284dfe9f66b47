// The Z report PDF in the report thread (report-thread-host.ts + the bundled
// dist/main/report-thread.cjs, built by test/support/global-setup.ts): the same bytes as the PDF
// made on this thread, a thread that dies fails its job with an error saying so while the till
// keeps issuing and the next job gets a new thread, and the idle thread ends by itself.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../main/ledger/database';
import { openData, type Data } from '../../main/ledger/data';
import { closeDay, zReport, type ZContext } from '../../main/features/reports/z-service';
import { zReportPdf } from '../../main/reports/z-report-pdf';
import { ReportThread, reportThreadScript } from '../../main/reports/report-thread-host';
import { BUSINESS, keyPair, simpleSale, tempDir } from '../support/fixture';

const SCRIPT = join(process.cwd(), 'dist', 'main', 'report-thread.cjs');
const DAY = '2026-11-24';
const now = new Date('2026-11-24T22:00:00Z');
let db: Db;
let data: Data;
let thread: ReportThread | undefined;
const ctx = (): ZContext => ({ business: data.ledger.getBusiness()!, now, demo: false, today: '2026-11-25' });

beforeEach(() => {
  db = openDatabase(join(tempDir(), 'ledger.db'));
  data = openData(db, () => new Date('2026-11-24T20:00:00Z'));
  data.ledger.configure(BUSINESS, keyPair().keysFileJson);
  for (let i = 0; i < 5; i++) data.ledger.issue(simpleSale(`s${i}`, `${1000 + i}.00`));
});
afterEach(async () => {
  await thread?.close();
  thread = undefined;
  db.close();
});

describe('the report thread', () => {
  it('is found beside the bundles (dist/main/report-thread.cjs), which the packaged app carries', () => {
    expect(reportThreadScript()).toBe(SCRIPT);
    // electron-builder's own YAML reader: dist/** (the thread beside electron.cjs, read from app.asar) is packed.
    const { load } = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };
    const config = load(readFileSync('electron-builder.yml', 'utf8')) as { files: string[] };
    expect(config.files).toContain('dist/**');
    expect(readFileSync('scripts/build.mjs', 'utf8')).toContain("outfile: 'dist/main/report-thread.cjs'");
  });

  it("makes the Z PDF byte for byte as the till's thread does (open day and closed day)", async () => {
    thread = new ReportThread({ script: SCRIPT });
    for (const z of [zReport(data, DAY, ctx()), closeDay(data, DAY, ctx())]) {
      const here = await zReportPdf(z);
      const there = await thread.zReportPdf(z);
      expect(there.subarray(0, 5).toString()).toBe('%PDF-');
      expect(there.equals(here)).toBe(true);
    }
    // Different days' reports are different files (the comparison above can fail).
    const other = await thread.zReportPdf({ ...zReport(data, DAY, ctx()), date: '2026-11-23' });
    expect(other.equals(await zReportPdf(zReport(data, DAY, ctx())))).toBe(false);
  });

  it('a thread that dies fails its job with a clear error; the till keeps issuing; the next job gets a new thread', async () => {
    // A thread script that dies on its first job, as a crash in pdfkit would.
    const crashing = join(tempDir(), 'crash.cjs');
    writeFileSync(crashing, "require('node:worker_threads').parentPort.on('message', () => { throw new Error('font table corrupt'); });\n");
    thread = new ReportThread({ script: crashing });
    const z = zReport(data, DAY, ctx());
    const job = thread.zReportPdf(z);
    // Meanwhile the till sells on this thread.
    const sale = data.ledger.issue(simpleSale('during', '50.00'));
    await expect(job).rejects.toThrow(/the report thread failed \(font table corrupt\); nothing was made: try again/);
    expect(thread.running).toBe(false);
    expect(data.ledger.issue(simpleSale('after', '60.00')).invoice.counter).toBe(sale.invoice.counter + 1);

    // A thread that exits without answering.
    const exiting = join(tempDir(), 'exit.cjs');
    writeFileSync(exiting, "require('node:worker_threads').parentPort.on('message', () => process.exit(7));\n");
    thread = new ReportThread({ script: exiting });
    await expect(thread.zReportPdf(z)).rejects.toThrow(/the report thread stopped \(exit code 7\)/);

    // The real thread after a failure: a new one, and the PDF is made.
    thread = new ReportThread({ script: SCRIPT });
    const pdf = await thread.zReportPdf(zReport(data, DAY, ctx()));
    expect(pdf.equals(await zReportPdf(zReport(data, DAY, ctx())))).toBe(true);
  });

  it('ends once idle and starts again for the next job', async () => {
    thread = new ReportThread({ script: SCRIPT, idleMs: 50 });
    const z = zReport(data, DAY, ctx());
    await Promise.all([thread.zReportPdf(z), thread.zReportPdf(z)]);
    expect(thread.running).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(thread.running).toBe(false);
    expect((await thread.zReportPdf(z)).subarray(0, 5).toString()).toBe('%PDF-');
  });
});
