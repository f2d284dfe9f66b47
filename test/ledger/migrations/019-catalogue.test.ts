import { afterEach, expect, it } from 'vitest';
import { applyStep, columns, insertInvoice, ledgerBefore, objects } from './helpers';
import type { Db } from '../../../main/ledger/database';
import { Catalogue } from '../../../main/ledger/catalogue';

let db: Db;
afterEach(() => db.close());

const rice = {
  name: 'Rice 5kg',
  sku: 'RICE-5KG',
  barcodes: ['5901234123457'],
  price_kobo: 860_000,
  vat: 'STANDARD_VAT',
  unit: 'each',
  hs_code: '1006.30',
  favourite: true,
} as const;

it('019-catalogue adds products and their barcodes, leaving invoices alone; writes are all or nothing', () => {
  db = ledgerBefore('019-catalogue');
  insertInvoice(db, 1);
  expect(objects(db, 'table')).not.toContain('products');
  applyStep(db, '019-catalogue');
  expect(columns(db, 'products')).toEqual([
    'id',
    'sku',
    'name',
    'price_kobo',
    'vat',
    'unit',
    'hs_code',
    'isic_code',
    'service_category',
    'favourite',
    'updated_at',
  ]);
  expect(columns(db, 'product_barcodes')).toEqual(['barcode', 'product_id']);
  expect(db.prepare('SELECT COUNT(*) AS n FROM invoices').get()).toEqual({ n: 1 });

  const c = new Catalogue(db, () => 1000);
  const saved = c.save(undefined, { ...rice, barcodes: [...rice.barcodes] });
  expect(c.lookup('5901234123457')).toEqual(saved);
  expect(c.lookup('rice-5kg')?.id).toBe(saved.id); // SKUs ignore case…
  expect(c.lookup('000000')).toBeUndefined();
  expect(c.search('5kg').map((p) => p.sku)).toEqual(['RICE-5KG']); // …search is by name or SKU start
  expect(c.search('ric').map((p) => p.sku)).toEqual(['RICE-5KG']);
  expect(c.search('%')).toEqual([]);
  expect(c.favourites()).toHaveLength(1);

  // A clash in the middle of an import leaves nothing half-written.
  expect(() =>
    c.importAll([
      { ...rice, sku: 'NEW-1', barcodes: ['11111111'] },
      { ...rice, sku: 'NEW-2', barcodes: ['5901234123457'] },
    ]),
  ).toThrow(/barcodes: 5901234123457 is already on Rice 5kg/);
  expect(c.list()).toHaveLength(1);
  expect(
    c.importAll([
      { ...rice, price_kobo: 900_000, barcodes: [...rice.barcodes] },
      { ...rice, sku: 'NEW-1', barcodes: [] },
    ]),
  ).toEqual({
    added: 1,
    updated: 1,
  });
  expect(c.lookup('5901234123457')?.price_kobo).toBe(900_000);
  expect(() => c.save(undefined, { ...rice, sku: 'new-1', barcodes: [] })).toThrow(/sku: new-1 is already Rice 5kg/);
  expect(c.delete(saved.id)).toBe(true);
  expect(db.prepare('SELECT COUNT(*) AS n FROM product_barcodes').get()).toEqual({ n: 0 }); // cascade
  expect(() =>
    db
      .prepare("INSERT INTO products (sku, name, price_kobo, vat, unit, updated_at) VALUES ('X', 'x', -1, 'STANDARD_VAT', 'each', 0)")
      .run(),
  ).toThrow(/CHECK/);
});
