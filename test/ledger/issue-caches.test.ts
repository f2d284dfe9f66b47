// What issuing keeps between sales instead of reading it again for each one (issue 15): settings
// (kept per connection until the file changes), the code lists' descriptions (per fetched
// version) and the compression dictionaries (read outside the write transaction). Each is seen
// to follow a change: through this connection, through another one, and after a rollback.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../main/ledger/database';
import { Ledger } from '../../main/ledger/ledger';
import { SettingsStore } from '../../main/ledger/settings-store';
import { CodeListStore } from '../../main/ledger/code-list-store';
import { AppSettings } from '../../main/app/settings';
import { CodeLists } from '../../main/firs/code-lists';
import { InvalidInput } from '../../shared/domain/sale';
import { chainHash } from '../../main/ledger/chain';
import { BUSINESS, keyPair, simpleSale, tempDir } from '../support/fixture';

const NOW = () => new Date('2026-11-25T12:00:00Z');
let file: string;
let db: Db;
let other: Db | undefined;

beforeEach(() => {
  file = join(tempDir('tpos-caches-'), 'ledger.db');
  db = openDatabase(file);
});
afterEach(() => {
  other?.close();
  other = undefined;
  db.close();
});

describe('settings kept per connection', () => {
  it('a setting changed through this connection is read anew', () => {
    const store = new SettingsStore(db);
    expect(store.get('k')).toBeUndefined();
    store.set('k', '"a"');
    expect(store.get('k')).toBe('"a"');
    store.set('k', '"b"');
    expect(store.get('k')).toBe('"b"');
    expect(store.has('k')).toBe(true);
  });

  it('a setting changed by another connection (the CLI, a second till) is read anew', () => {
    const store = new SettingsStore(db);
    store.set('k', '"a"');
    expect(store.get('k')).toBe('"a"');
    other = openDatabase(file, { migrate: false, fileMustExist: true });
    new SettingsStore(other).set('k', '"from the CLI"');
    expect(store.get('k')).toBe('"from the CLI"');
  });

  it('a set() rolled back leaves the old value, not the one read inside the transaction', () => {
    const store = new SettingsStore(db);
    store.set('k', '"kept"');
    expect(store.get('k')).toBe('"kept"');
    expect(() =>
      db.transaction(() => {
        store.set('k', '"rolled back"');
        expect(store.get('k')).toBe('"rolled back"');
        throw new Error('abort');
      })(),
    ).toThrow('abort');
    expect(store.get('k')).toBe('"kept"');
  });

  it('the VAT rate a sale is checked against follows a change made while the till runs', () => {
    const ledger = new Ledger(db, NOW);
    ledger.configure(BUSINESS, keyPair().keysFileJson);
    ledger.issue(simpleSale('s1')); // 7.5 % lines: the default rate
    other = openDatabase(file, { migrate: false, fileMustExist: true });
    new AppSettings(other).set('tax', { standardVatRate: '10' });
    expect(() => ledger.issue(simpleSale('s2'))).toThrow(InvalidInput);
    new AppSettings(db).set('tax', { standardVatRate: '7.5' });
    expect(ledger.issue(simpleSale('s3')).duplicate).toBe(false);
  });
});

describe('code list descriptions', () => {
  it('come from the fetched version, the first entry with a code deciding, and follow a new fetch', () => {
    const lists = new CodeLists(db);
    const store = new CodeListStore(db);
    store.save(
      'hs-codes',
      1_000,
      JSON.stringify([{ hscode: '1006.30', description: 'Rice' }, { hscode: '1006.30', description: 'Second' }, { hscode: '0901' }]),
    );
    expect(lists.describe('hs-codes', '1006.30')).toBe('Rice');
    expect(lists.describe('hs-codes', '0901')).toBeUndefined();
    store.save('hs-codes', 2_000, JSON.stringify([{ hscode: '1006.30', description: 'Milled rice' }]));
    expect(lists.describe('hs-codes', '1006.30')).toBe('Milled rice');
    expect(lists.atOneVersion(() => lists.describe('hs-codes', '1006.30'))).toBe('Milled rice');
  });
});

describe('compression dictionaries', () => {
  it('a first batch rolled back on a new ledger leaves no dictionary behind for the next sale', () => {
    const ledger = new Ledger(db, NOW);
    ledger.configure(BUSINESS, keyPair().keysFileJson);
    // The batch's first sale creates the dictionary inside the transaction; its second is refused.
    expect(() => ledger.issueAll([simpleSale('a1'), { ...simpleSale('a2'), currency: 'XXX' }])).toThrow(InvalidInput);
    expect(db.prepare('SELECT COUNT(*) AS n FROM json_dictionaries').get()).toEqual({ n: 0 });
    const sold = ledger.issue(simpleSale('b1', '2150.00')).invoice;
    const again = new Ledger(db, NOW).findByIrn(sold.irn)!;
    expect(again.sale).toEqual(sold.sale);
    expect(again.invoice).toEqual(sold.invoice);
    expect(ledger.verify().ok).toBe(true);
  });
});

describe('the chain hash taken from the stored pair', () => {
  it('equals the hash of the serialised chain record, for texts with quotes, backslashes and non-ASCII', () => {
    const ledger = new Ledger(db, NOW);
    ledger.configure(BUSINESS, keyPair().keysFileJson);
    const names = ['Soap "Lux", 2 bars', 'a\\b","c', 'Ọ̀gẹ̀dẹ̀ ₦ 🍌', 'tab\tnew\nline'];
    let prev = '0'.repeat(64);
    names.forEach((name, i) => {
      const base = simpleSale(`h${i}`);
      const inv = ledger.issue({ ...base, external_id: `h"${i}","`, note: name, lines: [{ ...base.lines[0], name }] }).invoice;
      const fields = {
        counter: inv.counter,
        invoice_number: inv.invoice_number,
        irn: inv.irn,
        type: inv.type,
        issued_at: inv.issued_at,
        qr: inv.qr,
        invoice_json: JSON.stringify(inv.invoice),
        sale_json: JSON.stringify(inv.sale),
      };
      expect(inv.prev_hash).toBe(prev);
      expect(inv.hash).toBe(chainHash(prev, fields));
      // And as stored: the body gives back the very texts that were hashed.
      const again = new Ledger(db, NOW).findByIrn(inv.irn)!;
      expect(chainHash(prev, { ...fields, invoice_json: JSON.stringify(again.invoice), sale_json: JSON.stringify(again.sale) })).toBe(
        inv.hash,
      );
      prev = inv.hash;
    });
    expect(ledger.verify()).toMatchObject({ ok: true, count: names.length });
  });
});

describe('report totals written in one statement per sale', () => {
  it('two payments by the same method and two VAT rates add up as row-by-row upserts did', () => {
    const ledger = new Ledger(db, NOW);
    ledger.configure(BUSINESS, keyPair().keysFileJson);
    const base = simpleSale('p1');
    ledger.issue({
      ...base,
      lines: [
        base.lines[0],
        { name: 'Bread', quantity: '1', unit_price: '500.00', tax: { category: 'ZERO_VAT', rate: '0', inclusive: true } },
      ],
      payments: [
        { method: 'card', amount: '1000.00' },
        { method: 'card', amount: '575.00' },
      ],
    });
    ledger.issue(simpleSale('p2'));
    const rows = db.prepare("SELECT dim, key, n, a, b FROM report_totals WHERE dim IN ('pay', 'vat', 'doc') ORDER BY dim, key").all();
    expect(rows).toEqual([
      { dim: 'doc', key: 'sale', n: 2, a: 107500 + 157500, b: 100000 + 150000 },
      { dim: 'pay', key: 'card', n: 3, a: 157500 + 107500, b: 157500 + 107500 },
      { dim: 'vat', key: 'STANDARD_VAT|7.5', n: 2, a: 200000, b: 15000 },
      { dim: 'vat', key: 'ZERO_VAT|0', n: 1, a: 50000, b: 0 },
    ]);
  });
});
