// Disk full for what arrives without the till (a real 6 MiB tmpfs; needs root, else skipped with the
// reason printed): a signed Square webhook gets 503 (Square redelivers) with nothing recorded, not
// even its event id; a register-link sale gets a NAK naming "disk full" and is taken once space
// returns; a receipt that printed just before the disk filled ends "printed" once there is room,
// without staying "sending" and without printing twice.
//
// The WAL is checkpointed and truncated right before each fill, so the very next write needs new
// disk space (otherwise SQLite would reuse WAL pages it already has and the disk would look fine).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Db } from '../../main/ledger/database';
import { WebhookReceiver } from '../../main/capture/webhooks/receiver';
import { squareHandler } from '../../main/sources/square/webhook';
import { SquareConnector } from '../../main/sources/square/connector';
import { Poller } from '../../main/capture/polling/poller';
import { SquareConfigSchema, WebhookConfigSchema } from '../../main/capture/config';
import { secretName, writeTokens } from '../../main/capture/tokens';
import { DISK_FULL_NAK } from '../../main/sources/register-link/processor';
import { FakeSquare, squareOrder } from '../fakes/square-api';
import { harness, invoiceCount } from '../capture/connectors/harness';
import { invoiceCount as linkInvoices, replies, startApp, tcpConnect, until, type TestApp } from '../register-link/support';
import { FakePrinter } from '../print/fake-printer';
import { tempDir } from '../support/fixture';
import { fillDisk, mountTinyFs } from './support';

const mountPoint = tempDir('tpos-tinyfs-');
let fs: ReturnType<typeof mountTinyFs>;

beforeAll(() => {
  fs = mountTinyFs(mountPoint);
  if (!fs.mounted) process.stdout.write(`disk-full arrivals tests skipped: ${fs.why}\n`);
});
afterAll(() => fs.unmount());

/** Truncates the WAL, then fills the disk: the next write of `db` fails with SQLITE_FULL. */
function fillNow(db: Db): string {
  db.pragma('wal_checkpoint(TRUNCATE)');
  return fillDisk(mountPoint);
}

const recent = () => new Date(Date.now() - 60_000).toISOString();
const saleLine = (id: string) =>
  `${JSON.stringify({
    external_id: id,
    occurred_at: recent(),
    currency: 'NGN',
    lines: [{ name: 'Soap', quantity: '1', unit_price: '1075.00', tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: true } }],
    payments: [{ method: 'cash', amount: '1075.00' }],
  })}\n`;

describe('disk full: arrivals and printing', () => {
  it('a signed Square webhook gets 503 while the disk is full, nothing is recorded, and the redelivery is taken', async (ctx) => {
    if (!fs.mounted) ctx.skip(); // reason printed in beforeAll
    const dir = join(mountPoint, 'square');
    mkdirSync(dir);
    const h = harness(dir);
    const fake = new FakeSquare();
    await fake.start();
    const cfg = SquareConfigSchema.parse({
      vendor: 'square',
      baseUrl: fake.url,
      auth: 'token',
      locationIds: ['L1'],
      notificationUrl: 'https://relay.example.ng/webhooks/square',
    });
    writeTokens(h.secrets, 'square', { accessToken: fake.personalToken() });
    h.secrets.set(secretName('square', 'webhook_secret'), 'sig-key');
    const c = new SquareConnector(cfg, h.deps);
    // The app's disk state (AppServices.disk): told when a write fails, cleared by its watch once
    // there is room (that part is proven in disk-full.test.ts).
    let full = false;
    let told = 0;
    const disk = {
      get isFull() {
        return full;
      },
      full() {
        full = true;
        told++;
      },
    };
    const rx = new WebhookReceiver(
      WebhookConfigSchema.parse({ enabled: true, port: 0 }),
      new Map([['square', { handler: squareHandler(cfg, h.secrets, c), poller: new Poller(h.db, h.state, c.source, h.ingest) }]]),
      h.state,
      undefined,
      disk,
    );
    const { port } = await rx.start();
    const url = `http://127.0.0.1:${port}/webhooks/square`;
    const deliver = (orderId: string, eventId: string) =>
      fake.deliver(url, fake.orderEvent(orderId, 'order.created', eventId), {
        signatureKey: 'sig-key',
        notificationUrl: cfg.notificationUrl!,
      });
    let filler: string | undefined;
    try {
      fake.putOrder(squareOrder('D-1'));
      expect((await deliver('D-1', 'evt-1')).status).toBe(200);
      fake.putOrder(squareOrder('D-2'));

      filler = fillNow(h.db);
      const refused = await deliver('D-2', 'evt-2');
      expect(refused.status).toBe(503);
      expect(JSON.parse(refused.body)).toEqual({ ok: false, error: 'disk full: the event was not recorded; send it again later' });
      expect(told).toBe(1); // the app was told (it gives back its reserve and watches for room)
      // Nothing half-written: no invoice, no review row, not even the event id (else the redelivery
      // would be taken for a duplicate and the sale lost). Read by another connection.
      const other = new Database(join(dir, 'ledger.db'), { readonly: true });
      expect(other.prepare("SELECT COUNT(*) FROM invoices WHERE external_id = 'D-2'").pluck().get()).toBe(0);
      expect(other.prepare('SELECT COUNT(*) FROM capture_review').pluck().get()).toBe(0);
      other.close();
      expect(h.state.hasEvent('square', 'evt-2')).toBe(false);
      // While the disk is still full, a redelivery is answered 503 at once (nothing is tried).
      const fetchesBefore = fake.count('/v2/orders/D-2', 'GET');
      expect((await deliver('D-2', 'evt-2')).status).toBe(503);
      expect(fake.count('/v2/orders/D-2', 'GET')).toBe(fetchesBefore);

      rmSync(filler);
      filler = undefined;
      full = false;
      const taken = await deliver('D-2', 'evt-2');
      expect(taken.status, taken.body).toBe(200);
      expect(invoiceCount(h, 'square')).toBe(2);
      expect(h.state.hasEvent('square', 'evt-2')).toBe(true);
      expect(h.ledger.verify().ok).toBe(true);
    } finally {
      if (filler) rmSync(filler);
      await rx.stop();
      await fake.stop();
      h.close();
    }
  }, 60_000);

  it('a register-link sale gets one NAK naming "disk full", and is accepted (once) after space returns', async (ctx) => {
    if (!fs.mounted) ctx.skip();
    const dir = join(mountPoint, 'link');
    mkdirSync(dir);
    let app: TestApp | undefined;
    let filler: string | undefined;
    try {
      app = await startApp(
        { links: [{ id: 'pos', mode: 'sales', port: { kind: 'tcp', host: '127.0.0.1', port: 0 }, reconnectMs: 200 }] },
        { dir, print: false },
      );
      const register = await tcpConnect(app.service.status()[0]!.port!);
      const got = replies(register);
      register.write(saleLine('D-1'));
      await until(() => got.length === 1, 'the ACK');
      expect(got).toEqual(['ACK D-1']);

      filler = fillNow(app.db);
      register.write(saleLine('D-2'));
      await until(() => got.length === 2, 'the NAK');
      expect(got[1]).toBe(`NAK D-2 ${DISK_FULL_NAK}`);
      expect(linkInvoices(app.db)).toBe(1);
      // The link retries every 200 ms while full: the register is not sent the NAK again each time.
      await new Promise((r) => setTimeout(r, 1000));
      expect(got).toHaveLength(2);

      rmSync(filler);
      filler = undefined;
      register.write(saleLine('D-2')); // the register sends a NAKed sale again
      await until(() => got.includes('ACK D-2'), 'the ACK after space returned');
      await new Promise((r) => setTimeout(r, 500));
      expect(got.filter((l) => l.startsWith('NAK'))).toEqual([`NAK D-2 ${DISK_FULL_NAK}`]);
      expect(linkInvoices(app.db)).toBe(2); // D-2 issued once, however often it arrived
      expect(app.ledger.verify().ok).toBe(true);
      register.destroy();
    } finally {
      if (filler) rmSync(filler);
      await app?.stop();
    }
  }, 60_000);

  it('a receipt printed right before the disk filled ends "printed" once there is room: not stuck "sending", not printed twice', async (ctx) => {
    if (!fs.mounted) ctx.skip();
    const dir = join(mountPoint, 'print');
    mkdirSync(dir);
    const printer = new FakePrinter();
    const port = await printer.listen();
    let app: TestApp | undefined;
    let filler: string | undefined;
    try {
      app = await startApp({ links: [] }, { dir, printer: { interface: `tcp://127.0.0.1:${port}`, qr: 'native' } });
      const db = app.db;
      // The receipt's bytes are out; the disk fills before the printer answers its status check.
      printer.onJob = () => {
        printer.onJob = undefined;
        filler = fillNow(db);
      };
      const sale = JSON.parse(saleLine('P-1')) as Record<string, unknown>;
      const { invoice } = app.ledger.issue({ ...sale, source: 'manual' });
      app.print.kick();
      await until(() => filler !== undefined && printer.jobs.length === 1, 'the receipt printed and the disk full');
      const job = () =>
        db.prepare("SELECT status FROM outbox WHERE kind = 'print' AND invoice_counter = ?").pluck().get(invoice.counter) as string;
      await until(() => /disk is full/.test(app!.print.status().message ?? ''), 'the print queue saying the disk is full');
      expect(job()).toBe('sending'); // nothing could be written yet: the outcome is kept, not lost
      await new Promise((r) => setTimeout(r, 500));
      expect(printer.jobs).toHaveLength(1);

      rmSync(filler!);
      filler = undefined;
      await until(() => job() === 'done', 'the job recorded as printed');
      const attempts = db.prepare('SELECT outcome FROM print_attempts').pluck().all();
      expect(attempts).toEqual(['printed']);
      await new Promise((r) => setTimeout(r, 500));
      expect(printer.jobs).toHaveLength(1); // printed once
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      if (filler) rmSync(filler);
      await app?.stop();
      await printer.close();
    }
  }, 60_000);
});
