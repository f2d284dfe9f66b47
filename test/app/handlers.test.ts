// The main-process handlers on a real ledger file: contract coverage, validation, the manager
// lock, manual sales, refunds as credit notes, reports that equal the ledger's own sums, exports.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { CHANNELS, CHANNEL_NAMES, isManagerChannel } from '../../shared/ipc/contract';
import { HANDLERS, ManagerSession, type CallContext } from '../../main/app/handlers';
import { dispatch } from '../../main/app/dispatch';
import { AppServices } from '../../main/app/services';
import { FileSecretStore } from '../../main/app/file-secret-store';
import { parseCsv, CSV_COLUMNS } from '../../shared/reports/csv';
import { BUSINESS, keyPair, sampleSale, simpleSale, tempDir, decryptQr } from '../support/fixture';
import { join } from 'node:path';
import { openDatabase } from '../../main/ledger/database';
import { ledgerFile } from '../../main/app/data-dir';
import { SAMPLE_TEMPLATES } from '../../shared/sources/register-link/sample-templates';

const NOW = new Date('2026-11-24T20:00:00+01:00');
const DAY = '2026-11-24';
const PIN = '246810';
const open: AppServices[] = [];

function makeApp(dataDir = tempDir()) {
  const services = new AppServices({ dataDir, mode: 'browser', now: () => NOW, demoFeedMs: 0, watchMs: 60_000, log: () => {} });
  open.push(services);
  services.start();
  const session = new ManagerSession(() => NOW.getTime());
  const ctx: CallContext = { services, session };
  const call = async (channel: string, payload: unknown = {}) =>
    dispatch(channel, payload, ctx, { checkResponses: true, log: (m) => console.error(m) });
  const ok = async (channel: string, payload: unknown = {}) => {
    const r = await call(channel, payload);
    if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
    return r.result as any;
  };
  return { services, session, call, ok, dataDir };
}

async function configured() {
  const app = makeApp();
  await app.ok('setup.configure', { business: BUSINESS, cryptoKeys: keyPair().keysFileJson, managerPin: PIN });
  app.session.lock();
  return app;
}

afterEach(async () => {
  while (open.length) await open.pop()!.stop();
});

/** The ledger's own figures, straight from SQL on the test's own connection (credit notes, FIRS type 380, subtract). */
function ledgerSums(dataDir: string, date: string) {
  const db = openDatabase(ledgerFile(dataDir), { migrate: false });
  try {
    return db
      .prepare(
        `SELECT COUNT(*) AS n,
      SUM(CASE type WHEN '380' THEN -payable_kobo ELSE payable_kobo END) AS payable,
      SUM(CASE type WHEN '380' THEN -net_kobo ELSE net_kobo END) AS net,
      SUM(CASE type WHEN '380' THEN -tax_kobo ELSE tax_kobo END) AS tax
    FROM invoices WHERE issue_date = ?`,
      )
      .get(date) as { n: number; payable: number; net: number; tax: number };
  } finally {
    db.close();
  }
}

describe('contract coverage', () => {
  it('every contract channel has a handler and no handler exists outside the contract', () => {
    expect(Object.keys(HANDLERS).sort()).toEqual([...CHANNEL_NAMES].sort());
    for (const name of CHANNEL_NAMES) {
      expect(typeof HANDLERS[name]).toBe('function');
      expect(CHANNELS[name].request).toBeDefined();
      expect(CHANNELS[name].response).toBeDefined();
    }
  });

  it('refuses unknown channels, bad payloads (naming the field) and locked manager channels', async () => {
    const app = await configured();
    expect(await app.call('invoices.delete', {})).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'unknown channel "invoices.delete"' },
    });
    const bad = await app.call('invoices.listByDay', { date: '2026-13-01' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(!bad.ok && bad.error.message).toMatch(/^invoices\.listByDay: date: /);
    const typo = await app.call('invoices.get', { irm: 'x' });
    expect(!typo.ok && typo.error.message).toMatch(/irn: .*|irm/);
    const sale = await app.call('sales.createManual', {
      sale: {
        ...simpleSale('m1'),
        lines: [{ name: 'x', quantity: '1', unit_price: 'abc', tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: true } }],
      },
    });
    expect(!sale.ok && sale.error.message).toMatch(/sale\.lines\[0\]\.unit_price: /);
    const TILL_MANAGER_REQUESTS: Record<string, unknown> = {
      'catalogue.save': { product: { name: 'Rice', sku: 'RICE', price_kobo: 100 } },
      'catalogue.delete': { id: 1 },
      'catalogue.importCsv': { csv: 'name,sku,price\r\n' },
      'till.saveSettings': { confirm_above_kobo: 1 },
      'shift.list': { date: DAY },
      'shift.saveSettings': { require_open: true },
      'customers.archive': { id: 1 },
    };
    for (const name of CHANNEL_NAMES.filter(isManagerChannel)) {
      const r = await app.call(
        name,
        name === 'reports.daySummary' || name === 'reports.zReport' || name === 'reports.closeDay' || name === 'export.zReportPdf'
          ? { date: DAY }
          : name === 'export.csv'
            ? { from: DAY, to: DAY }
            : name === 'sync.requeue'
              ? { irn: 'x' }
              : name === 'settings.testConnection'
                ? { target: 'firs' }
                : name === 'registerLink.testTemplate'
                  ? { template: SAMPLE_TEMPLATES[0], text: '' }
                  : name === 'deals.stages'
                    ? { source: 'hubspot' }
                    : name === 'deals.retry' || name === 'deals.credit' || name === 'deals.keep'
                      ? { source: 'hubspot', dealId: '512' }
                      : (TILL_MANAGER_REQUESTS[name] ?? {}),
      );
      expect(r, name).toMatchObject({ ok: false, error: { code: 'locked' } });
    }
    expect(await app.ok('manager.unlock', { pin: '1111' })).toMatchObject({ unlocked: false, message: 'wrong PIN' });
    expect(await app.ok('manager.unlock', { pin: PIN })).toMatchObject({ unlocked: true });
    expect(await app.ok('reports.daySummary', { date: DAY })).toMatchObject({ date: DAY });
    await app.ok('manager.lock');
    expect(await app.call('reports.daySummary', { date: DAY })).toMatchObject({ ok: false, error: { code: 'locked' } });
    // Re-running setup on a configured terminal needs the manager session.
    expect(
      await app.call('setup.configure', { business: BUSINESS, cryptoKeys: keyPair().keysFileJson, managerPin: '999999' }),
    ).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(await app.call('setup.startDemo', {})).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', message: expect.stringMatching(/already has a real business/) },
    });
    // Another day than today is the manager's view.
    expect(await app.call('invoices.listByDay', { date: '2026-11-23' })).toMatchObject({ ok: false, error: { code: 'locked' } });
  });
});

describe('till and manager flows on a real ledger', () => {
  it('issues manual sales, refunds lines as credit notes, and reports totals equal to the ledger', async () => {
    const app = await configured();
    const issued: unknown[] = [];
    app.services.on('invoice.issued', (s) => issued.push(s));
    const a = await app.ok('sales.createManual', { sale: sampleSale({ external_id: 'till-a' }) });
    expect(a.duplicate).toBe(false);
    expect(a.invoice).toMatchObject({
      kind: 'invoice',
      status: 'pending_report',
      demo: false,
      b2b: true,
      customer: 'Ade Ltd',
      methods: ['cash'],
    });
    expect((await app.ok('sales.createManual', { sale: sampleSale({ external_id: 'till-a' }) })).duplicate).toBe(true);
    await app.ok('sales.createManual', { sale: simpleSale('till-b', '1075.00') });
    await app.ok('sales.createManual', {
      sale: {
        ...simpleSale('till-c', '2000.00'),
        lines: [{ name: 'Rice', quantity: '3', unit_price: '2000.00', tax: { category: 'ZERO_VAT', rate: '0', inclusive: true } }],
        payments: [{ method: 'transfer', amount: '6000.00' }],
      },
    });
    expect(issued).toHaveLength(3);

    // Refund 2 of the 3 rice bags.
    const c = (await app.ok('invoices.listByDay', { date: DAY, search: '6,000.00' })).items[0];
    const refund = await app.ok('invoices.refund', { irn: c.irn, refundId: 'refund-0001', lines: [{ index: 0, quantity: '2' }] });
    expect(refund.invoice).toMatchObject({ kind: 'credit_note', original_irn: c.irn, payable_kobo: 400000 });
    expect((await app.ok('invoices.refund', { irn: c.irn, refundId: 'refund-0001', lines: [{ index: 0, quantity: '2' }] })).duplicate).toBe(
      true,
    );
    const over = await app.call('invoices.refund', { irn: c.irn, refundId: 'refund-0002', lines: [{ index: 0, quantity: '2' }] });
    expect(!over.ok && over.error.message).toMatch(/lines\[0\]\.quantity: only 1 of "Rice" remain/);
    const detail = await app.ok('invoices.get', { irn: c.irn });
    expect(detail.refundable[0]).toMatchObject({ quantity: '3', refunded: '2', remaining: '1' });
    expect(detail.remaining_kobo).toBe(200000);
    expect(detail.credit_notes).toHaveLength(1);
    expect(await app.call('invoices.get', { irn: 'NOPE' })).toMatchObject({ ok: false, error: { code: 'not_found' } });

    await app.ok('manager.unlock', { pin: PIN });
    const sums = ledgerSums(app.dataDir, DAY);
    const summary = await app.ok('reports.daySummary', { date: DAY });
    expect(summary.total.count).toBe(sums.n);
    expect(summary.gross_kobo).toBe(sums.payable);
    expect(summary.net_kobo).toBe(sums.net);
    expect(summary.total.tax_kobo).toBe(sums.tax);
    expect(summary.credits).toMatchObject({ count: 1, payable_kobo: 400000 });
    expect(summary.vat.reduce((t: number, v: any) => t + v.tax_kobo, 0)).toBe(sums.tax);
    expect(summary.vat.reduce((t: number, v: any) => t + v.taxable_kobo, 0)).toBe(sums.net);
    // Money taken per method equals the day's gross (no tips here); cash change is not income.
    expect(summary.payments.reduce((t: number, p: any) => t + p.amount_kobo, 0)).toBe(sums.payable);
    expect(summary.payments.find((p: any) => p.method === 'transfer').amount_kobo).toBe(600000 - 400000);
    expect(summary.hourly).toHaveLength(24);
    expect(summary.hourly.reduce((t: number, h: any) => t + h.payable_kobo, 0)).toBe(sums.payable);

    const list = await app.ok('invoices.listByDay', { date: DAY });
    expect(list.total).toBe(sums.n);
    expect(list.totals.payable_kobo).toBe(sums.payable);
    expect((await app.ok('invoices.listByDay', { date: DAY, kind: 'credit_note' })).total).toBe(1);
    expect((await app.ok('invoices.listByDay', { date: DAY, party: 'b2b' })).total).toBe(1);
    expect((await app.ok('invoices.listByDay', { date: DAY, method: 'card' })).total).toBe(1);
    expect((await app.ok('invoices.listByDay', { date: DAY, search: 'ade' })).total).toBe(1);
    expect((await app.ok('invoices.listByDay', { date: DAY, status: 'reported' })).total).toBe(0);
    expect((await app.ok('invoices.listByDay', { date: DAY, limit: 2 })).nextOffset).toBe(2);

    const z = await app.ok('reports.closeDay', { date: DAY });
    expect(z.closed).toMatchObject({ z_number: 1 });
    expect(z.gross_kobo).toBe(sums.payable);
    expect(z.first_invoice).toBe('T01-000001'.replace('T01-000001', a.invoice.invoice_number));
    expect((await app.ok('reports.closeDay', { date: DAY })).closed.z_number).toBe(1);
    expect(await app.call('reports.closeDay', { date: '2026-11-25' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });

    const csv = await app.ok('export.csv', { from: DAY, to: DAY });
    const rows = parseCsv(csv.csv);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(1 + sums.n);
    const totalCol = CSV_COLUMNS.indexOf('total');
    const totalKobo = rows.slice(1).reduce((t, r) => t + Math.round(Number(r[totalCol]) * 100), 0);
    expect(totalKobo).toBe(sums.payable);
    expect(rows.find((r) => r[CSV_COLUMNS.indexOf('type')] === 'credit_note')![totalCol]).toBe('-4000.00');
    expect(csv.csv.endsWith('\r\n')).toBe(true);

    const pdf = await app.ok('export.zReportPdf', { date: DAY });
    const bytes = Buffer.from(pdf.pdfBase64, 'base64');
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.length).toBeGreaterThan(1000);
  });

  it('previews a receipt whose QR is the invoice QR; settings never return secrets', async () => {
    const app = await configured();
    const a = await app.ok('sales.createManual', { sale: simpleSale('p1') });
    const p = await app.ok('receipt.preview', { irn: a.invoice.irn, copy: true });
    expect(Buffer.from(p.png, 'base64').subarray(1, 4).toString()).toBe('PNG');
    expect(p.text).toMatch(/C O P Y/);
    expect(decryptQr(p.qr)).toContain(a.invoice.irn);
    // PrintService (virtual printer by default) is wired: a reprint is queued as a COPY.
    const rp = await app.ok('receipt.reprint', { irn: a.invoice.irn });
    expect(rp).toMatchObject({ queued: true, copy: true, printer: { printer: 'virtual' } });
    expect((await app.ok('status.get')).printer.printer).toBe('virtual');
    await app.ok('manager.unlock', { pin: PIN });
    const view = await app.ok('settings.update', { firs: { baseUrl: 'http://127.0.0.1:9', apiKey: 'key-123', apiSecret: 'secret-456' } });
    expect(view.firs).toEqual({ baseUrl: 'http://127.0.0.1:9', apiKeySet: true, apiSecretSet: true });
    expect(JSON.stringify(view)).not.toContain('secret-456');
    expect(readFileSync(join(app.dataDir, 'secrets.json'), 'utf8')).not.toContain('secret-456');
    expect(new FileSecretStore(app.dataDir).get('firs.apiSecret')).toBe('secret-456');
    const bad = await app.call('settings.update', { managerPin: { current: '9999', next: '135790' } });
    expect(!bad.ok && bad.error.message).toMatch(/managerPin\.current: wrong PIN/);
    await app.ok('settings.update', { managerPin: { current: PIN, next: '135790' } });
    expect((await app.ok('manager.unlock', { pin: '135790' })).unlocked).toBe(true);
    expect(await app.ok('printer.testPrint')).toMatchObject({ ok: true, printer: { printer: 'virtual' } });
    const test = await app.ok('settings.testConnection', { target: 'firs' });
    expect(test.ok).toBe(false);
    expect((await app.ok('status.get')).sync.running).toBe(true);
  });

  it('the demo store issues DEMO invoices that are never queued for reporting', async () => {
    const app = makeApp();
    expect((await app.ok('app.state')).setup).toBe('none');
    const d = await app.ok('setup.startDemo', { feed: false });
    expect(d.managerPin).toBe('000000');
    expect(d.state).toMatchObject({ setup: 'demo', business: { terminal: 'DEMO' } });
    const sale = await app.ok('demo.sale');
    expect(sale.invoice).toMatchObject({ demo: true, status: 'demo', source: 'demo' });
    const manual = await app.ok('sales.createManual', { sale: simpleSale('till-x') });
    expect(manual.invoice).toMatchObject({ demo: true, source: 'demo' });
    const status = await app.ok('status.get');
    expect(status.demo).toBe(true);
    expect(status.sync.queueDepth).toBe(0);
    expect(status.sync.oldestUnreportedAgeS).toBeNull();
    // A real setup afterwards leaves the demo ledger behind.
    const after = await app.ok('setup.configure', { business: BUSINESS, cryptoKeys: keyPair().keysFileJson, managerPin: PIN });
    expect((await app.ok('app.state')).setup).toBe('configured');
    // Right after setup the manager area is locked: its channels need the PIN just set.
    expect(after.managerUnlocked).toBe(false);
    expect(await app.call('reports.daySummary', { date: DAY })).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(await app.ok('manager.unlock', { pin: PIN })).toMatchObject({ unlocked: true });
    expect(await app.call('reports.daySummary', { date: DAY })).toMatchObject({ ok: true });
    expect((await app.ok('invoices.listByDay', { date: DAY })).total).toBe(0);
  });

  it('the demo feed issues simulated sales on its own while the services run', async () => {
    const dataDir = tempDir();
    const services = new AppServices({ dataDir, mode: 'browser', demoFeedMs: 30, watchMs: 60_000, log: () => {} });
    open.push(services);
    services.start();
    const issued: any[] = [];
    services.on('invoice.issued', (s) => issued.push(s));
    await services.startDemo(undefined, true);
    const deadline = Date.now() + 10_000;
    while (issued.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(issued.length).toBeGreaterThanOrEqual(3);
    expect(issued.every((s) => s.source === 'demo' && s.demo && s.status === 'demo')).toBe(true);
    expect(services.status().demoFeed).toBe(true);
  });

  it('a bad keys file is refused with a readable error and nothing is configured', async () => {
    const app = makeApp();
    const r = await app.call('setup.configure', { business: BUSINESS, cryptoKeys: 'hello', managerPin: PIN });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect((await app.ok('app.state')).setup).toBe('none');
  });
});
