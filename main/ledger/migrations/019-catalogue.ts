import type { Migration } from './index';

// The product catalogue (issue 14). Products are shop data, not fiscal records: they change and
// may be deleted (an issued invoice keeps its own copy of each line). A barcode names one product;
// a product may have several (pack sizes, old labels). SKUs are unique regardless of case.
export const catalogue: Migration = {
  id: '019-catalogue',
  sql: `
  CREATE TABLE products (
    id               INTEGER PRIMARY KEY,
    sku              TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name             TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    price_kobo       INTEGER NOT NULL CHECK (price_kobo >= 0),
    vat              TEXT NOT NULL CHECK (vat IN ('STANDARD_VAT', 'ZERO_VAT', 'EXEMPTED')),
    unit             TEXT NOT NULL CHECK (unit IN ('each', 'kg', 'litre')),
    hs_code          TEXT,
    isic_code        TEXT,
    service_category TEXT,
    favourite        INTEGER NOT NULL DEFAULT 0 CHECK (favourite IN (0, 1)),
    updated_at       INTEGER NOT NULL,
    CHECK (hs_code IS NULL OR isic_code IS NULL)
  ) STRICT;
  CREATE INDEX products_name ON products (name COLLATE NOCASE);

  CREATE TABLE product_barcodes (
    barcode    TEXT PRIMARY KEY,
    product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE
  ) STRICT;
  CREATE INDEX product_barcodes_product ON product_barcodes (product_id);
  `,
};
