// SIGKILL of serve's server process while sales come in through its API, receipts print to a
// loopback network printer and reports go to a fake FIRS: the supervisor restarts it each time.
// Afterwards: every sale the till sent exists exactly once (a sale retried after a lost answer is
// recognised, not issued twice), every invoice is reported and signed exactly once, no receipt
// printed twice, and `taxpoynt-pos verify` passes. Fast: a few kills; RESILIENCE_FULL=1: ≥ 50.
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
import { FULL, invoke, rng, scale, startServe, type ServeProcess } from './support';

const KILLS = scale(3, 50);
let firs: FakeFirs | undefined;
let printer: FakePrinter | undefined;
let serve: ServeProcess | undefined;

afterAll(async () => {
  await serve?.stop();
  await firs?.close();
  await printer?.close();
}, 30_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function sale(id: string) {
  return {
    source: 'manual',
    external_id: id,
    occurred_at: new Date().toISOString(),
    currency: 'NGN',
    lines: [{ name: `Item ${id}`, quantity: '1', unit_price: '1075.00', tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: true } }],
    payments: [{ method: 'card', amount: '1075.00' }],
  };
}

describe(`SIGKILL of serve under load (${FULL ? 'full' : 'fast'} run)`, () => {
  it(
    `${KILLS} kills of the server process while sales, printing and sync run: nothing lost, nothing doubled, verify passes`,
    async () => {
      firs = await startFakeFirs({ latencyMs: () => Math.floor(Math.random() * 20) });
      printer = new FakePrinter();
      const printerPort = await printer.listen();
      const dataDir = tempDir('tpos-kill-');
      // The shop as set up in the app: business, manager PIN, FIRS credentials, a network printer.
      const setup = new AppServices({ dataDir, mode: 'browser', demoFeedMs: 0, log: () => undefined });
      await setup.configure(BUSINESS, keyPair().keysFileJson, '246810');
      setup.settings.set('firs', { baseUrl: firs.url });
      setup.secrets.set('firs.apiKey', firs.apiKey);
      setup.secrets.set('firs.apiSecret', firs.apiSecret);
      setup.settings.set(
        'printer',
        PrinterConfigSchema.parse({ interface: `tcp://127.0.0.1:${printerPort}`, qr: 'native', status_timeout_ms: 1000 }),
      );
      await setup.stop();

      serve = await startServe(dataDir);
      const s = serve;
      const random = rng(7);
      /** external id → IRN, once the till got an answer (retried with the same id until it does). */
      const issued = new Map<string, string>();
      let salesRunning = true;
      let retries = 0;
      const till = (async () => {
        for (let n = 0; salesRunning; n++) {
          const id = `kill-${n}`;
          const body = { sale: sale(id) }; // resent unchanged: the same sale, recognised by its id
          for (;;) {
            const r = await invoke(s, 'sales.createManual', body, 10_000);
            if ('status' in r && r.status === 200) {
              issued.set(id, r.json.result.invoice.irn);
              break;
            }
            if ('status' in r) throw new Error(`sale ${id}: HTTP ${r.status} ${JSON.stringify(r.json)}`);
            retries++; // the server was killed under us: send the same sale again
            await sleep(100);
          }
          await sleep(20 + random() * 60);
        }
      })();
      let tillError: unknown;
      till.catch((e: unknown) => {
        tillError = e;
      });

      let kills = 0;
      while (kills < KILLS && tillError === undefined) {
        await sleep(400 + random() * 1600); // some sales, prints and reports in flight at each kill
        const pid = s.workers().at(-1)!;
        process.kill(pid, 'SIGKILL');
        kills++;
        await s.waitForNewWorker(pid, 60_000);
      }
      salesRunning = false;
      await till;
      expect(s.output()).toMatch(new RegExp(`restart ${KILLS}\\)`));

      // Everything settles after the last restart.
      const db = new Database(join(dataDir, 'ledger.db'), { readonly: true });
      const pendingReports = db.prepare(`SELECT COUNT(*) FROM outbox WHERE kind = 'report' AND status != 'done'`).pluck();
      const pendingPrints = db.prepare(`SELECT COUNT(*) FROM outbox WHERE kind = 'print' AND status NOT IN ('done', 'dead')`).pluck();
      await waitFor(
        () => pendingReports.get() === 0 && pendingPrints.get() === 0,
        'every report signed and every receipt settled',
        FULL ? 240_000 : 90_000,
      );

      // No loss, no duplicate: one invoice per sale the till sent, with the IRN the till was told.
      const rows = db.prepare(`SELECT external_id, irn FROM invoices WHERE source = 'manual'`).all() as {
        external_id: string;
        irn: string;
      }[];
      expect(rows.length).toBe(issued.size);
      for (const r of rows) expect(issued.get(r.external_id), r.external_id).toBe(r.irn);
      // Reported exactly once each.
      expect(firs.signedTwice()).toEqual([]);
      for (const irn of issued.values()) expect(firs.signed.get(irn)?.count, irn).toBe(1);
      // Printed at most once each (a receipt cut off by a kill is "unconfirmed", never re-sent).
      const printedNumbers = printer.jobs.map((j) =>
        decodeEscpos(j, 'epson')
          .lines.find((l) => l.startsWith('Invoice'))!
          .replace(/^Invoice\s+/, '')
          .trim(),
      );
      expect(new Set(printedNumbers).size).toBe(printedNumbers.length);
      const unconfirmed = db.prepare(`SELECT COUNT(*) FROM outbox WHERE kind = 'print' AND status = 'dead'`).pluck().get() as number;
      expect(printedNumbers.length + unconfirmed).toBeGreaterThanOrEqual(issued.size);
      db.close();

      expect(await s.stop()).toBe(0);
      serve = undefined;
      const verify = cli(dataDir, ['verify']);
      expect(verify.code, verify.stderr).toBe(0);
      expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true });
      process.stdout.write(
        `serve kill: ${kills} SIGKILLs, ${issued.size} sales (${retries} resent after a kill), ${printedNumbers.length} printed, ${unconfirmed} unconfirmed, ${firs.signed.size} signed once each\n`,
      );
    },
    FULL ? 900_000 : 240_000,
  );
});
