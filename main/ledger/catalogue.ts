// The product catalogue and the B2B buyers the till looks up (migrations 019-catalogue and
// 020-customers). Every write is one transaction: an import or a save with a clashing SKU or
// barcode changes nothing.
import { z } from 'zod';
import type { Db } from './database';
import { prepared } from './prepared';
import { col, many, one } from './rows';
import { InvalidInput, PartySchema, type Party } from '../../shared/domain/sale';
import type { Product, ProductInput } from '../../shared/catalogue/product';

const ProductRow = z
  .object({
    id: col.int,
    sku: col.text,
    name: col.text,
    price_kobo: col.int,
    vat: z.enum(['STANDARD_VAT', 'ZERO_VAT', 'EXEMPTED']),
    unit: z.enum(['each', 'kg', 'litre']),
    hs_code: col.text.nullable(),
    isic_code: col.text.nullable(),
    service_category: col.text.nullable(),
    favourite: col.flag,
    barcodes: col.text.nullable(),
  })
  .transform((r): Product => ({
    id: r.id,
    sku: r.sku,
    name: r.name,
    price_kobo: r.price_kobo,
    vat: r.vat,
    unit: r.unit,
    favourite: r.favourite,
    barcodes: r.barcodes ? r.barcodes.split(',').sort() : [],
    ...(r.hs_code ? { hs_code: r.hs_code } : {}),
    ...(r.isic_code ? { isic_code: r.isic_code } : {}),
    ...(r.service_category ? { service_category: r.service_category } : {}),
  }));

const SELECT = `SELECT p.id, p.sku, p.name, p.price_kobo, p.vat, p.unit, p.hs_code, p.isic_code, p.service_category, p.favourite,
  (SELECT group_concat(b.barcode) FROM product_barcodes b WHERE b.product_id = p.id) AS barcodes FROM products p`;

export class Catalogue {
  constructor(
    private readonly db: Db,
    private readonly ms: () => number,
  ) {}

  list(): Product[] {
    return many(ProductRow, 'products', prepared(this.db, `${SELECT} ORDER BY p.name COLLATE NOCASE, p.id`));
  }

  favourites(): Product[] {
    return many(ProductRow, 'products', prepared(this.db, `${SELECT} WHERE p.favourite = 1 ORDER BY p.name COLLATE NOCASE LIMIT 48`));
  }

  get(id: number): Product | undefined {
    return one(ProductRow, 'products', prepared(this.db, `${SELECT} WHERE p.id = ?`), id);
  }

  /** By name (anywhere in it), SKU (its start) or an exact barcode. */
  search(query: string, limit = 20): Product[] {
    const q = query.trim();
    if (!q) return [];
    const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return many(
      ProductRow,
      'products',
      prepared(
        this.db,
        `${SELECT} WHERE p.name LIKE @like ESCAPE '\\' OR p.sku LIKE @prefix ESCAPE '\\'
           OR p.id IN (SELECT product_id FROM product_barcodes WHERE barcode = @q)
         ORDER BY p.name COLLATE NOCASE LIMIT @limit`,
      ),
      { like, prefix: `${like.slice(1)}`, q, limit },
    );
  }

  /** The product a barcode names, else the one with that SKU. */
  lookup(code: string): Product | undefined {
    return (
      one(
        ProductRow,
        'products',
        prepared(this.db, `${SELECT} WHERE p.id = (SELECT product_id FROM product_barcodes WHERE barcode = ?)`),
        code,
      ) ?? one(ProductRow, 'products', prepared(this.db, `${SELECT} WHERE p.sku = ?`), code)
    );
  }

  save(id: number | undefined, p: ProductInput): Product {
    return this.db.transaction(() => this.write(id, p))();
  }

  delete(id: number): boolean {
    return prepared(this.db, 'DELETE FROM products WHERE id = ?').run(id).changes > 0;
  }

  /** Adds or updates (by SKU) every product, all or none. */
  importAll(products: readonly ProductInput[]): { added: number; updated: number } {
    return this.db.transaction(() => {
      let added = 0;
      let updated = 0;
      for (const p of products) {
        const existing = one(z.object({ id: col.int }), 'products', prepared(this.db, 'SELECT id FROM products WHERE sku = ?'), p.sku);
        this.write(existing?.id, p);
        if (existing) updated++;
        else added++;
      }
      return { added, updated };
    })();
  }

  private write(id: number | undefined, p: ProductInput): Product {
    const clash = one(
      z.object({ id: col.int, name: col.text }),
      'products',
      prepared(this.db, 'SELECT id, name FROM products WHERE sku = ?'),
      p.sku,
    );
    if (clash && clash.id !== id) throw new InvalidInput(`sku: ${p.sku} is already ${clash.name}`);
    const row = {
      sku: p.sku,
      name: p.name,
      price_kobo: p.price_kobo,
      vat: p.vat,
      unit: p.unit,
      hs_code: p.hs_code ?? null,
      isic_code: p.isic_code ?? null,
      service_category: p.service_category ?? null,
      favourite: p.favourite ? 1 : 0,
      updated_at: this.ms(),
    };
    let pid: number;
    if (id === undefined) {
      pid = Number(
        prepared(
          this.db,
          `INSERT INTO products (sku, name, price_kobo, vat, unit, hs_code, isic_code, service_category, favourite, updated_at)
           VALUES (@sku, @name, @price_kobo, @vat, @unit, @hs_code, @isic_code, @service_category, @favourite, @updated_at)`,
        ).run(row).lastInsertRowid,
      );
    } else {
      const r = prepared(
        this.db,
        `UPDATE products SET sku = @sku, name = @name, price_kobo = @price_kobo, vat = @vat, unit = @unit, hs_code = @hs_code,
           isic_code = @isic_code, service_category = @service_category, favourite = @favourite, updated_at = @updated_at WHERE id = @id`,
      ).run({ ...row, id });
      if (r.changes === 0) throw new InvalidInput(`id: no product ${id}`);
      pid = id;
    }
    prepared(this.db, 'DELETE FROM product_barcodes WHERE product_id = ?').run(pid);
    for (const b of p.barcodes) {
      const owner = one(
        z.object({ name: col.text }),
        'barcodes',
        prepared(this.db, 'SELECT p.name FROM product_barcodes b JOIN products p ON p.id = b.product_id WHERE b.barcode = ?'),
        b,
      );
      if (owner) throw new InvalidInput(`barcodes: ${b} is already on ${owner.name}`);
      prepared(this.db, 'INSERT INTO product_barcodes (barcode, product_id) VALUES (?, ?)').run(b, pid);
    }
    return this.get(pid)!;
  }
}

const CustomerRow = z.object({ id: col.int, party_json: col.text });

export class Customers {
  constructor(
    private readonly db: Db,
    private readonly ms: () => number,
  ) {}

  private parse(r: z.output<typeof CustomerRow>): { id: number; party: Party } {
    return { id: r.id, party: PartySchema.parse(JSON.parse(r.party_json)) };
  }

  search(query: string, limit = 20): { id: number; party: Party }[] {
    const q = query.trim();
    const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return many(
      CustomerRow,
      'customers',
      prepared(
        this.db,
        `SELECT id, party_json FROM customers WHERE archived_at IS NULL AND (name LIKE ? ESCAPE '\\' OR tin LIKE ? ESCAPE '\\')
         ORDER BY name COLLATE NOCASE LIMIT ?`,
      ),
      like,
      like,
      limit,
    ).map((r) => this.parse(r));
  }

  /** Adds the buyer, or replaces (edits) the one with the same TIN; an archived one comes back. */
  save(party: Party & { tin: string }): { id: number; party: Party } {
    prepared(
      this.db,
      `INSERT INTO customers (tin, name, party_json, updated_at) VALUES (@tin, @name, @json, @at)
       ON CONFLICT (tin) DO UPDATE SET name = excluded.name, party_json = excluded.party_json, updated_at = excluded.updated_at,
         archived_at = NULL`,
    ).run({ tin: party.tin, name: party.name, json: JSON.stringify(party), at: this.ms() });
    return this.parse(one(CustomerRow, 'customers', prepared(this.db, 'SELECT id, party_json FROM customers WHERE tin = ?'), party.tin)!);
  }

  /**
   * "Delete": the buyer is archived, not removed. Search no longer finds it; invoices already
   * issued to it are untouched (they hold their own copy of the party). False if no such buyer.
   */
  archive(id: number): boolean {
    return (
      prepared(this.db, 'UPDATE customers SET archived_at = ?, updated_at = ? WHERE id = ? AND archived_at IS NULL').run(
        this.ms(),
        this.ms(),
        id,
      ).changes === 1
    );
  }
}
