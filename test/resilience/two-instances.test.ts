// Two `serve` processes on one data dir (a second terminal opened by mistake, a service plus a
// manual start): sales go through both at once, the same sale is sent to both; each sale is
// issued once with one unbroken chain, every receipt prints once, every report is signed once.
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { AppServices } from '../../main/app/services';
import { PrinterConfigSchema } from '../../shared/receipt/printer-config';
import { startFakeFirs, type FakeFirs } from '../fakes/firs-server';
import { FakePrinter } from '../print/fake-printer';
import { decodeEscpos } from '../support/escpos-decoder';
import { BUSINESS, cli, keyPair, tempDir } from '../support/fixture';
import { waitFor } from '../sync/helpers';
import { invoke, scale, startServe, type ServeProcess } from './support';

let firs: FakeFirs | undefined;
let printer: FakePrinter | undefined;
const servers: ServeProcess[] = [];

afterAll(async () => {
  for (const s of servers) await s.stop();
  await firs?.close();
  await printer?.close();
}, 30_000);

function sale(id: string) {
  return {
    source: 'manual',
    external_id: id,
    occurred_at: new Date().toISOString(),
    currency: 'NGN',
    lines: [{ name: `Item ${id}`, quantity: '1', unit_price: '500.00', tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: true } }],
    payments: [{ method: 'card', amount: '500.00' }],
  };
}

describe('two instances on one data dir', () => {
  it('both serve; concurrent sales (some sent to both) are issued once each; prints and reports once each; verify passes', async () => {
    firs = await startFakeFirs();
    printer = new FakePrinter();
    const port = await printer.listen();
    const dataDir = tempDir('tpos-two-');
    const setup = new AppServices({ dataDir, mode: 'browser', demoFeedMs: 0, log: () => undefined });
    await setup.configure(BUSINESS, keyPair().keysFileJson, '246810');
    setup.settings.set('firs', { baseUrl: firs.url });
    setup.secrets.set('firs.apiKey', firs.apiKey);
    setup.secrets.set('firs.apiSecret', firs.apiSecret);
    setup.settings.set(
      'printer',
      PrinterConfigSchema.parse({ interface: `tcp://127.0.0.1:${port}`, qr: 'native', status_timeout_ms: 1000 }),
    );
    await setup.stop();

    const [a, b] = await Promise.all([startServe(dataDir), startServe(dataDir)]);
    servers.push(a!, b!);
    const n = scale(30, 200);
    const irns = new Map<string, string>();
    await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const body = { sale: sale(`two-${i}`) };
        // Every third sale goes to both (a till that retried on the other terminal).
        const targets = i % 3 === 0 ? [a!, b!] : [i % 2 ? a! : b!];
        const answers = await Promise.all(targets.map((t) => invoke(t, 'sales.createManual', body, 60_000)));
        for (const r of answers) {
          expect(r, JSON.stringify(r)).toMatchObject({ status: 200 });
          const irn = (r as { json: { result: { invoice: { irn: string } } } }).json.result.invoice.irn;
          if (irns.has(body.sale.external_id)) expect(irn).toBe(irns.get(body.sale.external_id));
          irns.set(body.sale.external_id, irn);
        }
      }),
    );
    expect(irns.size).toBe(n);

    const db = new Database(join(dataDir, 'ledger.db'), { readonly: true });
    const open = db
      .prepare(
        `SELECT COUNT(*) FROM outbox WHERE (kind = 'report' AND status != 'done') OR (kind = 'print' AND status NOT IN ('done', 'dead'))`,
      )
      .pluck();
    await waitFor(() => open.get() === 0, 'all printed and reported', 120_000);
    expect(db.prepare(`SELECT COUNT(*) FROM invoices`).pluck().get()).toBe(n);
    db.close();
    // Receipts only: a connection that carried only status/model queries holds no Invoice line.
    const numbers = printer.jobs
      .map((j) => decodeEscpos(j, 'epson').lines.find((l) => l.startsWith('Invoice')))
      .filter((l): l is string => l !== undefined);
    expect(numbers).toHaveLength(n);
    expect(new Set(numbers).size).toBe(n);
    expect(firs.signedTwice()).toEqual([]);
    for (const irn of irns.values()) expect(firs.signed.get(irn)?.count).toBe(1);
    for (const s of servers.splice(0)) expect(await s.stop()).toBe(0);
    const verify = cli(dataDir, ['verify']);
    expect(verify.code, verify.stderr).toBe(0);
  }, 240_000);
});
