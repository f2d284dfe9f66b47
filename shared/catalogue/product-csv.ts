// The catalogue as CSV (issue 14): one product per row, a header naming the columns (any order).
// price is in naira ("1500.00"), barcodes separated by ";", favourite yes/no. Reading checks
// every row and reports every problem by row and column; nothing is half-imported.
import { formatKobo } from '../domain/money';
import { csvField } from '../reports/csv';
import { parseCsv } from './csv';
import { parseMoneyEntry } from './money-entry';
import { ProductInputSchema, type Product, type ProductInput } from './product';

export const PRODUCT_COLUMNS = [
  'name',
  'sku',
  'barcodes',
  'price',
  'vat',
  'unit',
  'hs_code',
  'isic_code',
  'service_category',
  'favourite',
] as const;
const REQUIRED = ['name', 'sku', 'price'] as const;
const MAX_ROWS = 20_000;

export class CatalogueCsvError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? problems[0] : `${problems.length} problems: ${problems.slice(0, 10).join('; ')}`);
    this.name = 'CatalogueCsvError';
  }
}

const YES = new Set(['yes', 'y', 'true', '1']);
const NO = new Set(['no', 'n', 'false', '0', '']);

/** Products from CSV text, or a CatalogueCsvError listing every problem ("row 3, price: …"). */
export function productsFromCsv(text: string): ProductInput[] {
  const rows = parseCsv(text);
  if (rows.length === 0) throw new CatalogueCsvError(['the file is empty: it needs a header row (name,sku,price,…)']);
  const header = rows[0]!.map((h) => h.trim().toLowerCase());
  const problems: string[] = [];
  for (const h of header)
    if (!(PRODUCT_COLUMNS as readonly string[]).includes(h))
      problems.push(`header: unknown column "${h}" (columns: ${PRODUCT_COLUMNS.join(', ')})`);
  for (const r of REQUIRED) if (!header.includes(r)) problems.push(`header: the column "${r}" is missing`);
  if (new Set(header).size !== header.length) problems.push('header: a column is named twice');
  if (rows.length - 1 > MAX_ROWS) problems.push(`at most ${MAX_ROWS} products per file (this one has ${rows.length - 1})`);
  if (problems.length) throw new CatalogueCsvError(problems);

  const out: ProductInput[] = [];
  const skus = new Map<string, number>();
  const barcodes = new Map<string, number>();
  rows.slice(1).forEach((cells, i) => {
    const n = i + 2; // the header is row 1
    if (cells.length !== header.length) {
      problems.push(`row ${n}: ${cells.length} fields, the header has ${header.length}`);
      return;
    }
    const get = (c: string) => (cells[header.indexOf(c)] ?? '').trim();
    const raw: Record<string, unknown> = {
      name: get('name'),
      sku: get('sku'),
      barcodes: get('barcodes')
        .split(/[;\s]+/)
        .filter(Boolean),
    };
    try {
      raw.price_kobo = parseMoneyEntry(get('price'));
    } catch (e) {
      problems.push(`row ${n}, price: ${(e as Error).message}`);
      return;
    }
    for (const c of ['vat', 'unit', 'hs_code', 'isic_code', 'service_category'] as const)
      if (get(c)) raw[c] = c === 'vat' ? get(c).toUpperCase() : get(c);
    const fav = get('favourite').toLowerCase();
    if (YES.has(fav)) raw.favourite = true;
    else if (NO.has(fav)) raw.favourite = false;
    else {
      problems.push(`row ${n}, favourite: "${get('favourite')}" is not yes or no`);
      return;
    }
    const r = ProductInputSchema.safeParse(raw);
    if (!r.success) {
      for (const issue of r.error.issues) problems.push(`row ${n}, ${issue.path.map(String).join('.') || 'product'}: ${issue.message}`);
      return;
    }
    const seen = skus.get(r.data.sku.toUpperCase());
    if (seen) problems.push(`row ${n}, sku: ${r.data.sku} is also on row ${seen}`);
    skus.set(r.data.sku.toUpperCase(), n);
    for (const b of r.data.barcodes) {
      const at = barcodes.get(b);
      if (at) problems.push(`row ${n}, barcodes: ${b} is also on row ${at}`);
      barcodes.set(b, n);
    }
    out.push(r.data);
  });
  if (problems.length) throw new CatalogueCsvError(problems);
  return out;
}

/** RFC 4180 (CRLF rows); reads back to the same products. */
export function productsToCsv(products: readonly (Product | ProductInput)[]): string {
  const rows = [PRODUCT_COLUMNS.join(',')];
  for (const p of products) {
    rows.push(
      [
        p.name,
        p.sku,
        p.barcodes.join(';'),
        formatKobo(p.price_kobo),
        p.vat,
        p.unit,
        p.hs_code ?? '',
        p.isic_code ?? '',
        p.service_category ?? '',
        p.favourite ? 'yes' : 'no',
      ]
        .map(csvField)
        .join(','),
    );
  }
  return `${rows.join('\r\n')}\r\n`;
}
