// The ledger on real database files: issuing, dedupe, credit notes, immutability, tamper detection.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { openDatabase, type Db } from '../../main/ledger/database';
import { Ledger, NotSetUp } from '../../main/ledger/ledger';
import { InvalidInput } from '../../shared/domain/sale';
import { BUSINESS, CERTIFICATE, decryptQr, editStoredJson, keyPair, sampleSale, simpleSale, sqlite, tempDir } from '../support/fixture';

const NOW = () => new Date('2026-11-25T12:00:00Z');
let file: string;
let db: Db;
let ledger: Ledger;

function reopen(): Ledger {
  db.close();
  db = openDatabase(file);
  return new Ledger(db, NOW);
}

beforeEach(() => {
  file = join(tempDir(), 'ledger.db');
  db = openDatabase(file);
  ledger = new Ledger(db, NOW);
  ledger.configure(BUSINESS, keyPair().keysFileJson);
});
afterEach(() => db.close());

function snapshot() {
  return {
    invoices: db.prepare('SELECT COUNT(*) AS n FROM invoices').get(),
    outbox: db.prepare('SELECT COUNT(*) AS n FROM outbox').get(),
    series: db.prepare('SELECT * FROM series').all(),
  };
}

describe('issue', () => {
  it('issues the sample sale with reconciled totals, IRN, QR and outbox rows', () => {
    const { invoice, duplicate } = ledger.issue(sampleSale());
    expect(duplicate).toBe(false);
    expect(invoice.invoice_number).toBe('T0100000001');
    expect(invoice.irn).toBe('T0100000001-94ND90NR-20261124');
    expect(invoice.payable_kobo).toBe(1750000);
    const t = invoice.invoice.legal_monetary_total;
    expect(t.payable_amount).toBe(17500);
    expect(Math.round(t.tax_exclusive_amount * 100) + invoice.tax_kobo).toBe(1750000);
    expect(invoice.invoice.invoice_type_code).toBe('381');
    expect(invoice.invoice.accounting_customer_party?.tin).toBe('12345678-0001');
    expect(invoice.b2b).toBe(true);
    expect(JSON.parse(decryptQr(invoice.qr))).toEqual({
      irn: `${invoice.irn}.${Date.parse('2026-11-24T08:30:00Z') / 1000}`,
      certificate: CERTIFICATE,
    });
    const jobs = db.prepare('SELECT kind, status FROM outbox WHERE invoice_counter = ? ORDER BY kind').all(invoice.counter);
    expect(jobs).toEqual([
      { kind: 'print', status: 'pending' },
      { kind: 'report', status: 'pending' },
    ]);
  });

  it('is idempotent: the same sale again returns the same invoice, never a second one', () => {
    const first = ledger.issue(sampleSale());
    ledger = reopen();
    const again = ledger.issue(sampleSale());
    expect(again.duplicate).toBe(true);
    expect(again.invoice.irn).toBe(first.invoice.irn);
    expect(ledger.count()).toBe(1);
  });

  it('refuses a changed sale under an already issued id, naming it', () => {
    ledger.issue(sampleSale());
    expect(() => ledger.issue(sampleSale({ note: 'changed' }))).toThrow(
      /already issued as T0100000001-94ND90NR-20261124 with different content/,
    );
  });

  it('numbers are gap-free and consecutive, IRN date follows Lagos time', () => {
    const a = ledger.issue(simpleSale('a', '1075.00', { occurred_at: '2026-11-24T22:59:59Z' })).invoice;
    const b = ledger.issue(simpleSale('b', '1075.00', { occurred_at: '2026-11-23T23:30:00Z' })).invoice;
    expect([a.invoice_number, b.invoice_number]).toEqual(['T0100000001', 'T0100000002']);
    expect(a.irn.endsWith('-20261124')).toBe(true);
    expect(b.irn.endsWith('-20261124')).toBe(true); // 23:30 UTC on the 23rd is 00:30 on the 24th in Lagos
    expect(b.invoice.issue_time).toBe('00:30:00');
  });

  it('rejects a sale from the future beyond the clock tolerance', () => {
    expect(() => ledger.issue(simpleSale('f', '100.00', { occurred_at: '2026-11-25T13:30:00Z' }))).toThrow(
      /occurred_at: .* is in the future/,
    );
  });

  it('refuses to issue before setup', () => {
    const other = openDatabase(join(tempDir(), 'ledger.db'));
    expect(() => new Ledger(other, NOW).issue(sampleSale())).toThrow(NotSetUp);
    other.close();
  });
});

describe('credit notes', () => {
  it('a refund by IRN or external id is a 380 with billing_reference to the original', () => {
    const orig = ledger.issue(sampleSale()).invoice;
    // A credit note credits lines of the original (same item and tax, at most its unit price).
    const rice = {
      name: 'Rice 5kg',
      quantity: '1',
      unit_price: '1075.00',
      tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: true },
    };
    const byIrn = ledger.issue(
      simpleSale('refund-1', '1075.00', { lines: [rice], refund_of: orig.irn, payments: [{ method: 'cash', amount: '1075.00' }] }),
    ).invoice;
    expect(byIrn.invoice.invoice_type_code).toBe('380');
    expect(byIrn.invoice.billing_reference).toEqual([{ irn: orig.irn, issue_date: '2026-11-24' }]);
    expect(byIrn.original_irn).toBe(orig.irn);
    const byId = ledger.issue(simpleSale('refund-2', '1075.00', { lines: [rice], refund_of: 'till-0001' })).invoice;
    expect(byId.original_irn).toBe(orig.irn);
  });

  it('cannot credit more than the original, nor an unknown invoice, nor a credit note', () => {
    const orig = ledger.issue(simpleSale('s1', '1000.00')).invoice;
    const cn = ledger.issue(simpleSale('r1', '600.00', { refund_of: orig.irn })).invoice;
    expect(() => ledger.issue(simpleSale('r2', '500.00', { refund_of: orig.irn }))).toThrow(
      /lines\[0\]\.quantity: 1 of "Soap" exceeds what remains to credit .* \(0 of 1 sold\)/,
    );
    expect(() => ledger.issue(simpleSale('r3', '5.00', { refund_of: 'nope' }))).toThrow(/refund_of: no issued invoice/);
    expect(() => ledger.issue(simpleSale('r4', '5.00', { refund_of: cn.irn }))).toThrow(/is itself a credit note/);
  });
});

describe('bad input leaves the ledger unchanged', () => {
  const cases: [string, unknown, RegExp][] = [
    ['not an object', 'hello', /expected object/i],
    ['missing lines', { ...simpleSale('x'), lines: undefined }, /lines/],
    ['bad price', simpleSale('x', '12.3.4'), /lines\[0\]\.unit_price/],
    ['short payment', { ...simpleSale('x', '1000.00'), payments: [{ method: 'cash', amount: '900.00' }] }, /short by 100\.00/],
    ['unknown payment method', { ...simpleSale('x'), payments: [{ method: 'barter', amount: '1075.00' }] }, /payments\[0\]\.method/],
    ['unknown field', { ...simpleSale('x'), extra: 1 }, /extra/],
    ['three-decimal amount', { ...simpleSale('x'), tip: '1.005' }, /tip/],
    [
      'discount over the line',
      {
        ...simpleSale('x', '10.00'),
        lines: [
          { name: 'A', quantity: '1', unit_price: '10.00', discount: '11.00', tax: { category: 'ZERO_VAT', rate: '0', inclusive: false } },
        ],
      },
      /lines\[0\]\.discount/,
    ],
  ];
  for (const [name, input, message] of cases) {
    it(name, () => {
      ledger.issue(simpleSale('existing'));
      const before = snapshot();
      expect(() => ledger.issue(input)).toThrow(InvalidInput);
      expect(() => ledger.issue(input)).toThrow(message);
      expect(snapshot()).toEqual(before);
    });
  }

  it('an atomic batch with one bad sale writes nothing', () => {
    const before = snapshot();
    expect(() => ledger.issueAll([simpleSale('b1'), simpleSale('b2'), simpleSale('b3', '-1')])).toThrow(
      /sale\[2\]: lines\[0\]\.unit_price/,
    );
    expect(snapshot()).toEqual(before);
  });

  it('a broken keys file at setup is rejected and the old setup stays', () => {
    expect(() => ledger.configure(BUSINESS, '{"public_key": "bm90IGEga2V5"}')).toThrow(/crypto_keys\.txt: the JSON has no "certificate"/);
    expect(() => ledger.configure({ ...BUSINESS, service_id: 'short' }, keyPair().keysFileJson)).toThrow(/service_id/);
    expect(reopen().issue(simpleSale('after')).invoice.irn).toMatch(/^T0100000001-94ND90NR-/);
  });
});

describe('tamper evidence', () => {
  function issueFive(): void {
    for (let i = 1; i <= 5; i++) ledger.issue(simpleSale(`s${i}`, `${i}00.00`));
    db.close();
  }
  function verifyAfter(sql: string) {
    issueFive();
    sqlite(file, sql);
    db = openDatabase(file);
    return new Ledger(db, NOW).verify();
  }
  const DROP = 'DROP TRIGGER invoices_no_update; DROP TRIGGER invoices_no_delete;';

  it('the database refuses UPDATE and DELETE of issued invoices', () => {
    ledger.issue(simpleSale('s1'));
    expect(() => db.prepare('UPDATE invoices SET payable_kobo = 1').run()).toThrow(/immutable/);
    expect(() => db.prepare('DELETE FROM invoices').run()).toThrow(/immutable/);
  });

  it('an intact chain verifies', () => {
    issueFive();
    db = openDatabase(file);
    expect(new Ledger(db, NOW).verify()).toMatchObject({ ok: true, count: 5 });
  });

  it('detects an edited amount with the triggers dropped', () => {
    const r = verifyAfter(`${DROP} UPDATE invoices SET payable_kobo = 1 WHERE counter = 3;`);
    expect(r.ok).toBe(false);
    expect(r.broken).toMatchObject({ counter: 3, invoice_number: 'T0100000003' });
    expect(r.broken!.reason).toMatch(/edited/);
  });

  it('detects an edited invoice JSON and an edited sale JSON (the stored bodies rewritten)', () => {
    issueFive();
    editStoredJson(file, 2, 'invoice_json', 'Soap', 'Soup');
    editStoredJson(file, 4, 'sale_json', '400.00', '40.00');
    db = openDatabase(file);
    const r = new Ledger(db, NOW).verify();
    expect(r.broken).toMatchObject({ counter: 2, reason: expect.stringMatching(/content does not match its hash/) });
  });

  it('detects a damaged stored body', () => {
    const r = verifyAfter(`${DROP} UPDATE invoices SET body = zeroblob(40) WHERE counter = 4;`);
    expect(r.broken).toMatchObject({ counter: 4, reason: expect.stringMatching(/cannot be read back/) });
  });

  it('detects an edited QR column (the hashed record is rebuilt from the columns)', () => {
    const r = verifyAfter(`${DROP} UPDATE invoices SET qr = 'forged' WHERE counter = 5;`);
    expect(r.broken).toMatchObject({ counter: 5, reason: expect.stringMatching(/content does not match/) });
  });

  it('detects a deleted row in the middle', () => {
    const r = verifyAfter(`${DROP} DELETE FROM outbox WHERE invoice_counter = 2; DELETE FROM invoices WHERE counter = 2;`);
    expect(r.broken!.reason).toMatch(/counter 2 is missing/);
  });

  it('detects the newest rows deleted', () => {
    const r = verifyAfter(`${DROP} DELETE FROM outbox WHERE invoice_counter = 5; DELETE FROM invoices WHERE counter = 5;`);
    expect(r.ok).toBe(false);
    expect(r.broken!.reason).toMatch(/newest invoices were deleted/);
  });

  it('detects a reorder (two rows swapped)', () => {
    const r = verifyAfter(`${DROP} PRAGMA foreign_keys=OFF;
      UPDATE invoices SET counter = -2 WHERE counter = 2; UPDATE invoices SET counter = 2 WHERE counter = 3; UPDATE invoices SET counter = 3 WHERE counter = -2;`);
    expect(r.broken).toMatchObject({ counter: 2 });
  });

  it('detects a row inserted into the chain', () => {
    const r = verifyAfter(`${DROP} PRAGMA foreign_keys=OFF;
      UPDATE invoices SET counter = 6 WHERE counter = 5; UPDATE invoices SET counter = 5 WHERE counter = 4; UPDATE invoices SET counter = 4 WHERE counter = 3;
      INSERT INTO invoices SELECT 3, 'T0100000099', 'X-94ND90NR-20261124', type, 'manual', 'forged', issued_at, issue_date, currency, payable_kobo, tax_kobo, net_kobo, tip_kobo, b2b, original_irn, qr, invoice_json, sale_json, prev_hash, 'f' || hash, recorded_at,
        dictionary_id, body, customer, customer_tin, methods FROM invoices WHERE counter = 2;`);
    expect(r.broken).toMatchObject({ counter: 3 });
  });

  it('verify from a checkpoint walks only what came after it; a full walk still finds edits below it', () => {
    issueFive();
    db = openDatabase(file);
    let l = new Ledger(db, NOW);
    expect(l.lastCheckpoint()).toBeUndefined();
    expect(l.verify({ from: 'checkpoint', record: true })).toMatchObject({ ok: true, count: 5, from: 0 });
    expect(l.lastCheckpoint()).toMatchObject({ counter: 5, full: false });
    expect(() => db.prepare('UPDATE chain_checkpoints SET counter = 1').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM chain_checkpoints').run()).toThrow(/append-only/);
    l.issue(simpleSale('s6', '600.00'));
    l.issue(simpleSale('s7', '700.00'));
    const head = l.verify({ from: 'checkpoint', record: true });
    expect(head).toMatchObject({ ok: true, count: 7, from: 5 });
    expect(l.lastCheckpoint()).toMatchObject({ counter: 7, hash: head.head });
    db.close();

    // Below the checkpoint: the incremental walk does not read it, the full one does.
    editStoredJson(file, 3, 'sale_json', '300.00', '30.00');
    db = openDatabase(file);
    l = new Ledger(db, NOW);
    expect(l.verify({ from: 'checkpoint' })).toMatchObject({ ok: true, count: 7, from: 7 });
    expect(l.verify({ from: 'start', record: true })).toMatchObject({ ok: false, broken: { counter: 3 } });
    expect(l.lastCheckpoint()).toMatchObject({ counter: 7, full: false }); // a broken walk records nothing
    db.close();

    // The checkpointed invoice itself is checked against the hash recorded for it.
    editStoredJson(file, 7, 'sale_json', '700.00', '70.00');
    db = openDatabase(file);
    const r = new Ledger(db, NOW).verify({ from: 'checkpoint' });
    expect(r).toMatchObject({ ok: false, broken: { counter: 7, invoice_number: 'T0100000007' } });
    expect(r.broken!.reason).toMatch(/last verified checkpoint .*verify --full/);
  });

  it('a checkpoint whose invoice no longer carries its hash is refused, not trusted', () => {
    issueFive();
    db = openDatabase(file);
    new Ledger(db, NOW).verify({ record: true });
    expect(new Ledger(db, NOW).lastCheckpoint()).toMatchObject({ counter: 5, full: true });
    db.close();
    sqlite(
      file,
      `${DROP} UPDATE invoices SET hash = 'f' || substr(hash, 2) WHERE counter = 5; UPDATE series SET head_hash = (SELECT hash FROM invoices WHERE counter = 5);`,
    );
    db = openDatabase(file);
    expect(new Ledger(db, NOW).verify({ from: 'checkpoint' })).toMatchObject({ ok: false, broken: { counter: 5 } });
  });

  it('the file on disk keeps the sale after a reopen (durable)', () => {
    ledger.issue(sampleSale());
    expect(readFileSync(file).length).toBeGreaterThan(0);
    expect(reopen().findByIrn('T0100000001-94ND90NR-20261124')?.payable_kobo).toBe(1750000);
  });
});
