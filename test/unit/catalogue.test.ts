// Pure catalogue logic: RFC 4180 reading, the product CSV both ways, money as typed, the
// keyboard-wedge scan detector, quantities per unit and the sale line a product makes.
import { describe, expect, it } from 'vitest';
import { CsvError, parseCsv } from '../../shared/catalogue/csv';
import { CatalogueCsvError, productsFromCsv, productsToCsv } from '../../shared/catalogue/product-csv';
import { parseMoneyEntry } from '../../shared/catalogue/money-entry';
import { WedgeDetector } from '../../shared/catalogue/wedge';
import { productLine, quantityProblem, type Product } from '../../shared/catalogue/product';
import { parseSale } from '../../shared/domain/sale';

describe('RFC 4180 CSV', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks; CRLF or LF; a BOM', () => {
    expect(parseCsv('\uFEFFa,b\r\n"x, y","say ""hi"""\n"two\r\nlines",\n\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['two\r\nlines', ''],
    ]);
    expect(parseCsv('a,b')).toEqual([['a', 'b']]);
    expect(parseCsv('"",x')).toEqual([['', 'x']]);
  });
  it('refuses broken quoting, naming the line', () => {
    expect(() => parseCsv('a\n"open')).toThrow(CsvError);
    expect(() => parseCsv('a\n"open')).toThrow(/line 2: a quoted field is not closed/);
    expect(() => parseCsv('ab"c"')).toThrow(/line 1: a quote inside an unquoted field/);
    expect(() => parseCsv('"ab"c')).toThrow(/text after a closing quote/);
  });
});

const CSV = [
  'name,sku,barcodes,price,vat,unit,hs_code,isic_code,service_category,favourite',
  'Rice 5kg,RICE-5KG,5901234123457;4006381333931,"8,600.00",STANDARD_VAT,each,1006.30,,,yes',
  '"Beans, brown",BEANS,,1500,zero_vat,kg,0713.33,,,no',
  'Haircut,CUT,,2000.50,EXEMPTED,each,,9602,Hairdressing,',
].join('\r\n');

describe('catalogue CSV', () => {
  it('reads products (price in naira → kobo, barcodes split on ;, VAT any case) and writes them back identically', () => {
    const products = productsFromCsv(CSV);
    expect(products).toEqual([
      {
        name: 'Rice 5kg',
        sku: 'RICE-5KG',
        barcodes: ['5901234123457', '4006381333931'],
        price_kobo: 860_000,
        vat: 'STANDARD_VAT',
        unit: 'each',
        hs_code: '1006.30',
        favourite: true,
      },
      {
        name: 'Beans, brown',
        sku: 'BEANS',
        barcodes: [],
        price_kobo: 150_000,
        vat: 'ZERO_VAT',
        unit: 'kg',
        hs_code: '0713.33',
        favourite: false,
      },
      {
        name: 'Haircut',
        sku: 'CUT',
        barcodes: [],
        price_kobo: 200_050,
        vat: 'EXEMPTED',
        unit: 'each',
        isic_code: '9602',
        service_category: 'Hairdressing',
        favourite: false,
      },
    ]);
    const again = productsToCsv(products);
    expect(again.split('\r\n')[2]).toBe('"Beans, brown",BEANS,,1500.00,ZERO_VAT,kg,0713.33,,,no');
    expect(productsFromCsv(again)).toEqual(products);
  });

  it('reports every bad row by row and column, and imports nothing', () => {
    const bad = [
      'name,sku,price,barcodes,unit',
      'Rice,RICE,"1.500,00",,each',
      ',X,100,,each',
      'Oil,OIL,100,12ab,gallon',
      'Salt,RICE,100,,each',
      'short,row',
    ].join('\n');
    let err: CatalogueCsvError | undefined;
    try {
      productsFromCsv(bad);
    } catch (e) {
      err = e as CatalogueCsvError;
    }
    expect(err).toBeInstanceOf(CatalogueCsvError);
    expect(err!.problems).toEqual([
      'row 2, price: "1.500,00" is ambiguous: write naira with a dot for kobo, like 1500.00 or 1,500.00',
      'row 3, name: must not be empty',
      'row 4, barcodes.0: must be 6 to 14 digits (EAN-13 like 5901234123457)',
      'row 4, unit: Invalid option: expected one of "each"|"kg"|"litre"',
      'row 6: 2 fields, the header has 5',
    ]);
    expect(() => productsFromCsv('name,sku,price\nA,DUP,1\nB,dup,2')).toThrow(/row 3, sku: dup is also on row 2/);
    expect(() => productsFromCsv('name,sku,colour\n')).toThrow(/unknown column "colour".*the column "price" is missing/);
    expect(() => productsFromCsv('')).toThrow(/empty/);
  });
});

describe('money as typed', () => {
  it('accepts plain and grouped naira, refuses the ambiguous', () => {
    expect(['1500', '1500.5', '1,500.50', '₦1,500', ' 0.10 ', '1,234,567.89'].map(parseMoneyEntry)).toEqual([
      150_000, 150_050, 150_050, 150_000, 10, 123_456_789,
    ]);
    expect(() => parseMoneyEntry('1.500,00')).toThrow(/ambiguous/);
    expect(() => parseMoneyEntry('1,50')).toThrow(/ambiguous/);
    expect(() => parseMoneyEntry('15,00')).toThrow(/ambiguous/);
    expect(() => parseMoneyEntry('1.505')).toThrow(/more than 2 decimal places/);
    expect(() => parseMoneyEntry('12a')).toThrow(/not an amount/);
    expect(() => parseMoneyEntry('')).toThrow(/enter an amount/);
  });
});

describe('keyboard-wedge scans', () => {
  const feed = (d: WedgeDetector, keys: string, start: number, gap: number) =>
    [...keys].map((k, i) => d.key(k === '\n' ? 'Enter' : k, start + i * gap)).at(-1);

  it('fast digits then Enter is a scan; typed digits are not', () => {
    const d = new WedgeDetector();
    expect(feed(d, '5901234123457\n', 1000, 8)).toEqual({ kind: 'scan', code: '5901234123457' });
    expect(feed(d, '8600\n', 5000, 8)).toEqual({ kind: 'none' }); // too short: a price typed quickly
    expect(feed(d, '5901234123457\n', 9000, 120)).toEqual({ kind: 'none' }); // a person typing
    // A slow start then a burst: only the burst counts.
    expect(d.key('1', 20_000)).toEqual({ kind: 'start' });
    expect(d.key('2', 20_500)).toEqual({ kind: 'start' });
    expect(feed(d, '345678\n', 20_505, 5)).toEqual({ kind: 'scan', code: '2345678' });
    expect(feed(d, '12345678x\n', 30_000, 5)).toEqual({ kind: 'none' }); // a letter breaks it
  });
});

describe('products on a sale', () => {
  const rice: Product = {
    id: 1,
    name: 'Rice',
    sku: 'RICE',
    barcodes: [],
    price_kobo: 860_000,
    vat: 'ZERO_VAT',
    unit: 'kg',
    hs_code: '1006.30',
    favourite: false,
  };
  it('weighed items take decimals, counted ones whole numbers', () => {
    expect(quantityProblem('kg', '1.25')).toBeNull();
    expect(quantityProblem('kg', '1.2345')).toMatch(/weight in kg/);
    expect(quantityProblem('each', '1.5')).toMatch(/whole number/);
    expect(quantityProblem('each', '0')).toMatch(/whole number/);
    expect(quantityProblem('litre', '0.75')).toBeNull();
  });
  it("a line carries the product's price, VAT and classification and is a valid canonical line", () => {
    const line = productLine(rice, '1.25');
    expect(line).toEqual({
      name: 'Rice',
      sku: 'RICE',
      quantity: '1.25',
      unit_price: '8600.00',
      tax: { category: 'ZERO_VAT', rate: '0', inclusive: true },
      hs_code: '1006.30',
    });
    const sale = parseSale({
      source: 'manual',
      external_id: 'x',
      occurred_at: '2026-11-24T10:00:00+01:00',
      currency: 'NGN',
      lines: [line, productLine({ ...rice, hs_code: undefined, isic_code: '9602', vat: 'STANDARD_VAT', unit: 'each' }, '1')],
      payments: [{ method: 'cash', amount: '20000.00' }],
    });
    expect(sale.lines[1]).toMatchObject({ isic_code: '9602', tax: { category: 'STANDARD_VAT' } });
  });
});
