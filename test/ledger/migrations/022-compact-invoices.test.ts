import { afterEach, expect, it } from 'vitest';
import { join } from 'node:path';
import { applyStep, columns, ledgerBefore, objects } from './helpers';
import { openDatabase, type Db } from '../../../main/ledger/database';
import { Ledger } from '../../../main/ledger/ledger';
import { DayView } from '../../../main/ledger/day-view';
import { decodeBody } from '../../../main/ledger/invoice-body';
import { BUSINESS, editStoredJson, keyPair, sampleSale, simpleSale, tempDir } from '../../support/fixture';

const NOW = () => new Date('2026-11-25T12:00:00Z');
let db: Db;
let src: Db;
afterEach(() => {
  db.close();
  src.close();
});

interface OldRow {
  counter: number;
  [column: string]: unknown;
}

/**
 * A pre-022 ledger holding a real chain as the previous release wrote it: the invoices are issued
 * by the ledger into a scratch file, then copied over with their JSON as plain text (the 001
 * columns), hashes, series head and settings unchanged.
 */
function oldLedgerWithChain(): { file: string; irns: string[] } {
  src = openDatabase(join(tempDir('tpos-mig-src-'), 'ledger.db'));
  const issuer = new Ledger(src, NOW);
  issuer.configure(BUSINESS, keyPair().keysFileJson);
  const a = issuer.issue(sampleSale()).invoice; // B2B, cash, Rice 5kg, Ade Ltd
  issuer.issue(simpleSale('s2', '200.00')); // card, Soap
  issuer.issue(
    simpleSale('s3', '300.00', {
      payments: [
        { method: 'transfer', amount: '100.00' },
        { method: 'cash', amount: '200.00' },
      ],
    }),
  );
  const credit = issuer.issue(
    sampleSale({
      external_id: 'refund-1',
      refund_of: a.irn,
      lines: [{ ...sampleSale().lines[0], quantity: '1' }],
      charges: [],
      payments: [{ method: 'cash', amount: '8400.00' }],
    }),
  ).invoice;
  expect(credit.original_irn).toBe(a.irn);

  db = ledgerBefore('022-compact-invoices');
  const file = db.name;
  for (const s of src.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[])
    db.prepare('INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)').run(s.key, s.value);
  const series = src.prepare('SELECT terminal, next_counter, head_counter, head_hash FROM series').get() as Record<string, unknown>;
  db.prepare(
    'INSERT INTO series (terminal, next_counter, head_counter, head_hash) VALUES (@terminal, @next_counter, @head_counter, @head_hash)',
  ).run(series);
  const old = columns(db, 'invoices');
  const rows = src.prepare('SELECT * FROM invoices ORDER BY counter').all() as OldRow[];
  for (const r of rows) {
    const texts = decodeBody(src, r.dictionary_id as number, r.body as Buffer);
    const row: Record<string, unknown> = { ...r, ...texts };
    db.prepare(`INSERT INTO invoices (${old.join(', ')}) VALUES (${old.map((c) => `@${c}`).join(', ')})`).run(
      Object.fromEntries(old.map((c) => [c, row[c]])),
    );
    const now = Date.parse('2026-11-24T10:00:00Z');
    for (const kind of ['print', 'report']) {
      db.prepare(
        'INSERT INTO outbox (invoice_counter, kind, status, next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(r.counter, kind, 'done', now, now, now + 1);
    }
  }
  return { file, irns: rows.map((r) => r.irn as string) };
}

it('022 compresses the JSON of invoices written by the previous schema; the chain verifies identically and issuing continues it', () => {
  const { file, irns } = oldLedgerWithChain();
  expect(columns(db, 'invoices')).not.toContain('body');
  const before = new Map(irns.map((irn) => [irn, db.prepare('SELECT invoice_json, sale_json, hash FROM invoices WHERE irn = ?').get(irn)]));
  const bytesBefore = (db.prepare('SELECT SUM(length(invoice_json) + length(sale_json)) AS n FROM invoices').get() as { n: number }).n;

  applyStep(db, '022-compact-invoices');
  expect(columns(db, 'invoices')).toEqual(expect.arrayContaining(['dictionary_id', 'body', 'customer', 'customer_tin', 'methods']));
  expect(objects(db, 'table')).toEqual(expect.arrayContaining(['json_dictionaries', 'chain_checkpoints', 'invoice_search']));
  expect(objects(db, 'index')).toContain('invoices_day');
  // Plain text gone, the immutability trigger back; the texts come back byte for byte.
  expect(db.prepare("SELECT COUNT(*) AS n FROM invoices WHERE invoice_json != '' OR sale_json != '' OR body IS NULL").get()).toEqual({
    n: 0,
  });
  expect(() => db.prepare('UPDATE invoices SET payable_kobo = 1').run()).toThrow(/immutable/);
  expect(() => db.prepare("UPDATE json_dictionaries SET dictionary = x'00'").run()).toThrow(/immutable/);
  const stored = db.prepare('SELECT irn, dictionary_id, body FROM invoices').all() as {
    irn: string;
    dictionary_id: number;
    body: Buffer;
  }[];
  for (const r of stored) {
    const was = before.get(r.irn) as { invoice_json: string; sale_json: string };
    expect(decodeBody(db, r.dictionary_id, r.body)).toEqual({ invoice_json: was.invoice_json, sale_json: was.sale_json });
  }
  const bytesAfter = (db.prepare('SELECT SUM(length(body)) AS n FROM invoices').get() as { n: number }).n;
  expect(bytesAfter).toBeLessThan(bytesBefore / 3);

  const ledger = new Ledger(db, NOW);
  expect(ledger.verify()).toMatchObject({ ok: true, count: 4, head: (before.get(irns[3]!) as { hash: string }).hash });
  expect(ledger.findByIrn(irns[0]!)!.sale.customer?.name).toBe('Ade Ltd');
  expect(ledger.creditNoteSales(irns[0]!)).toHaveLength(1);

  // The day view's columns and search index were filled from the old sales.
  const view = new DayView(db);
  const day = { date: '2026-11-24' };
  expect(view.list({ ...day, search: 'rice 5' }).items.map((i) => i.irn)).toEqual([irns[3], irns[0]]);
  expect(view.list({ ...day, search: 'Ade Ltd' }).total).toBe(2);
  expect(view.list({ ...day, search: '12345678' }).total).toBe(2);
  expect(view.list({ ...day, search: 's3' }).total).toBe(1); // two characters: the column scan
  expect(view.list({ ...day, search: 'soap' }).total).toBe(2);
  expect(view.list({ ...day, method: 'transfer' }).items.map((i) => i.methods)).toEqual([['transfer', 'cash']]);
  expect(view.list({ ...day, method: 'card' }).total).toBe(1);

  // New sales continue the chain in the new form; a full verify covers both.
  const next = ledger.issue(
    simpleSale('after', '500.00', {
      lines: [{ name: 'Bread', quantity: '1', unit_price: '500.00', tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: true } }],
      payments: [{ method: 'cash', amount: '500.00' }],
    }),
  ).invoice;
  expect(next.counter).toBe(5);
  expect(view.list({ ...day, search: 'bread' }).items.map((i) => i.irn)).toEqual([next.irn]);
  expect(ledger.verify({ record: true })).toMatchObject({ ok: true, count: 5 });
  db.close();

  // An edit of a migrated invoice is still found.
  editStoredJson(file, 2, 'sale_json', '200.00', '20.00');
  db = openDatabase(file);
  expect(new Ledger(db, NOW).verify()).toMatchObject({ ok: false, broken: { counter: 2 } });
});

it('022 on an empty ledger: the first sale becomes the dictionary', () => {
  src = openDatabase(':memory:');
  db = ledgerBefore('022-compact-invoices');
  applyStep(db, '022-compact-invoices');
  expect(db.prepare('SELECT COUNT(*) AS n FROM json_dictionaries').get()).toEqual({ n: 0 });
  const ledger = new Ledger(db, NOW);
  ledger.configure(BUSINESS, keyPair().keysFileJson);
  ledger.issue(simpleSale('a'));
  ledger.issue(simpleSale('b'));
  expect(db.prepare('SELECT id FROM json_dictionaries').all()).toEqual([{ id: 1 }]);
  expect(db.prepare('SELECT DISTINCT dictionary_id AS d FROM invoices').all()).toEqual([{ d: 1 }]);
  expect(ledger.verify()).toMatchObject({ ok: true, count: 2 });
});
