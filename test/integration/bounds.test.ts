// Bounds at every boundary (issue 12): the one limits module, as the CLI user and the ledger meet
// it. Bad input exits 2 naming the field and leaves the ledger as it was; verify stays clean.
import { beforeEach, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../main/ledger/database';
import { Ledger } from '../../main/ledger/ledger';
import { AppSettings } from '../../main/app/settings';
import { parseCryptoKeys, KeysFileError } from '../../main/fiscal/crypto-keys';
import { BUSINESS, CERTIFICATE, cli, keyPair, sampleSale, setupCli, simpleSale, tempDir } from '../support/fixture';
import { jsonDepth, MAX_COUNT, MAX_JSON_DEPTH, MAX_KOBO, MAX_LEN, valueDepth } from '../../shared/domain/limits';
import { majorNumberToKobo, koboToMajorNumber } from '../../shared/domain/money';
import { parseSale } from '../../shared/domain/sale';
import { computeTotals } from '../../shared/domain/totals';
import { ReviewQueue } from '../../main/ledger/review-queue';
import { ingestOutcomes } from '../../main/capture/sink';
import { BUILT_IN_SOURCES } from '../../main/sources/registry';
const mapperOf = (id: string) => BUILT_IN_SOURCES.get(id)!.mapper!;
import type { CaptureVendor } from '../../shared/capture/outcome';

const NOW = () => new Date('2026-11-24T12:00:00+01:00');
const VAT = { category: 'STANDARD_VAT', rate: '7.5', inclusive: true } as const;

function setUpCli(): string {
  const dir = tempDir('tpos-bounds-');
  const r = setupCli(dir);
  expect(r.stderr).toBe('');
  return dir;
}

const ingest = (dir: string, sale: unknown) =>
  cli(dir, ['ingest', '--source', 'canonical', '--file', '-'], typeof sale === 'string' ? sale : JSON.stringify(sale));
const ledgerBytes = (dir: string) => readFileSync(join(dir, 'ledger.db'));

describe('the kobo bound: quantity × price beyond exact integers', () => {
  it('quantity "35184396992340.13" is refused with exit 2 naming the field; verify stays clean', () => {
    const dir = setUpCli();
    expect(ingest(dir, sampleSale()).code).toBe(0);
    const sale = simpleSale('huge', '1.00', { lines: [{ name: 'Soap', quantity: '35184396992340.13', unit_price: '1.00', tax: VAT }] });
    const r = ingest(dir, sale);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/lines\[0\]\.quantity/);
    // Within the quantity pattern but beyond the kobo bound once multiplied out.
    const r2 = ingest(
      dir,
      simpleSale('big', '1.00', { lines: [{ name: 'Soap', quantity: '999999999', unit_price: '9999999.00', tax: VAT }] }),
    );
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/lines\[0\]\.quantity: ₦9,999,999,999,999\.99 exceeded/);
    const v = cli(dir, ['verify']);
    expect(v.code).toBe(0);
    expect(JSON.parse(v.stdout)).toMatchObject({ ok: true, count: 1 });
  });

  it('sums are checked as they grow: many lines each under the bound cannot overflow the total', () => {
    const line = { name: 'Gold', quantity: '1', unit_price: '9000000000000.00', tax: { category: 'ZERO_VAT', rate: '0', inclusive: true } };
    expect(() =>
      computeTotals(
        parseSale(simpleSale('x', '1.00', { lines: [line, line], payments: [{ method: 'card', amount: '9999999999999.99' }] })),
      ),
    ).toThrow(/^lines: the total exceeds ₦9,999,999,999,999\.99/);
    // At the bound exactly it is exact, and the FIRS number round-trips to the same integer.
    const at = { ...line, unit_price: '9999999999999.99' };
    const t = computeTotals(
      parseSale(simpleSale('y', '1.00', { lines: [at], payments: [{ method: 'card', amount: '9999999999999.99' }] })),
    );
    expect(t.taxInclusive).toBe(MAX_KOBO);
    expect(majorNumberToKobo(koboToMajorNumber(MAX_KOBO))).toBe(MAX_KOBO);
  });

  it('verify compares integers: an edited total one kobo off is caught, a float-looking one is not mistaken', () => {
    expect(majorNumberToKobo(17500)).toBe(1750000);
    expect(majorNumberToKobo(0.1 + 0.2)).toBeUndefined(); // 0.30000000000000004 is no whole kobo
    expect(majorNumberToKobo(1220.93)).toBe(122093);
    expect(majorNumberToKobo(3.5184396992340128e21)).toBeUndefined(); // beyond safe integers
    expect(majorNumberToKobo('12.00')).toBeUndefined();
  });
});

describe('lengths, counts, dates, currency, VAT rate', () => {
  let db: Db;
  let ledger: Ledger;
  beforeEach(() => {
    db = openDatabase(join(tempDir(), 'ledger.db'));
    ledger = new Ledger(db, NOW);
    ledger.configure(BUSINESS, keyPair().keysFileJson);
  });

  const refused: [string, Record<string, unknown>, RegExp][] = [
    [
      'a 201-character item name',
      { lines: [{ name: 'x'.repeat(MAX_LEN.name + 1), quantity: '1', unit_price: '1075.00', tax: VAT }] },
      /lines\[0\]\.name/,
    ],
    [
      'a 65-character SKU',
      { lines: [{ name: 'Soap', sku: 'S'.repeat(MAX_LEN.sku + 1), quantity: '1', unit_price: '1075.00', tax: VAT }] },
      /lines\[0\]\.sku/,
    ],
    [
      'a 200 kB street',
      { customer: { name: 'Ade', address: { street: 'x'.repeat(200_000), city: 'Lagos', country: 'NG' } } },
      /customer\.address\.street/,
    ],
    ['a 255-character email', { customer: { name: 'Ade', email: `${'a'.repeat(250)}@x.ng` } }, /customer\.email/],
    ['a 501-character note', { note: 'n'.repeat(MAX_LEN.note + 1) }, /^note:/],
    [
      '1,001 lines',
      { lines: Array.from({ length: MAX_COUNT.lines + 1 }, () => ({ name: 'Soap', quantity: '1', unit_price: '0.00', tax: VAT })) },
      /^lines:/,
    ],
    ['21 payments', { payments: Array.from({ length: MAX_COUNT.payments + 1 }, () => ({ method: 'card', amount: '0.00' })) }, /^payments:/],
    ['year 0000', { occurred_at: '0000-01-01T10:00:00+01:00' }, /occurred_at: .*before 2007-01-01/],
    ['year 1999', { occurred_at: '1999-12-31T10:00:00+01:00' }, /occurred_at: .*before 2007-01-01/],
    ['year 9999', { occurred_at: '9999-01-01T10:00:00+01:00' }, /occurred_at: .*after 2099/],
    ['a currency not on the code list', { currency: 'XYZ' }, /currency: XYZ is not on the FIRS currency code list/],
    [
      'STANDARD_VAT at 5%',
      { lines: [{ name: 'Soap', quantity: '1', unit_price: '1075.00', tax: { ...VAT, rate: '5' } }] },
      /lines\[0\]\.tax\.rate: STANDARD_VAT is charged at the standard rate 7\.5%/,
    ],
    [
      'a quantity with 10 integer digits',
      { lines: [{ name: 'Soap', quantity: '1000000000', unit_price: '0.01', tax: VAT }] },
      /lines\[0\]\.quantity/,
    ],
  ];
  it.each(refused)('%s is refused naming the field, nothing written', (_what, extra, message) => {
    const before = ledger.count();
    expect(() => ledger.issue(simpleSale('bad', '1075.00', extra))).toThrow(message);
    expect(ledger.count()).toBe(before);
  });

  it('STANDARD_VAT follows the configured standard rate', () => {
    new AppSettings(db).set('tax', { standardVatRate: '10' });
    expect(() => ledger.issue(simpleSale('a'))).toThrow(/standard rate 10%/);
    ledger.issue(
      simpleSale('b', '1100.00', { lines: [{ name: 'Soap', quantity: '1', unit_price: '1100.00', tax: { ...VAT, rate: '10.0' } }] }),
    );
    expect(ledger.count()).toBe(1);
  });

  it('REDUCED_VAT, ZERO_VAT and EXEMPTED are not tied to the standard rate; a listed currency is accepted', () => {
    ledger.issue(
      simpleSale('r', '1075.00', {
        currency: 'USD',
        lines: [{ name: 'Soap', quantity: '1', unit_price: '1075.00', tax: { category: 'REDUCED_VAT', rate: '5', inclusive: true } }],
      }),
    );
    expect(ledger.count()).toBe(1);
  });
});

describe('credit notes credit invoiced lines only', () => {
  let ledger: Ledger;
  beforeEach(() => {
    ledger = new Ledger(openDatabase(join(tempDir(), 'ledger.db')), NOW);
    ledger.configure(BUSINESS, keyPair().keysFileJson);
  });
  const credit = (id: string, of: string, lines: unknown[], amount: string) =>
    simpleSale(id, amount, { lines, refund_of: of, payments: [{ method: 'cash', amount }] });
  const bread = (quantity: string, unit_price = '500.00', tax: Record<string, unknown> = VAT) => ({
    name: 'Bread',
    quantity,
    unit_price,
    tax,
  });

  it('refuses an item that was not sold, another tax category, a higher price, or more than remains; accepts the rest', () => {
    const orig = ledger.issue(
      simpleSale('s', '2000.00', {
        lines: [bread('3'), { name: 'Milk', quantity: '1', unit_price: '500.00', tax: VAT }],
        payments: [{ method: 'cash', amount: '2000.00' }],
      }),
    ).invoice;
    expect(() => ledger.issue(credit('c1', orig.irn, [{ name: 'Gold', quantity: '1', unit_price: '500.00', tax: VAT }], '500.00'))).toThrow(
      /lines\[0\]: "Gold" at 500\.00 \(STANDARD_VAT 7\.5%\) matches no line of/,
    );
    expect(() =>
      ledger.issue(credit('c2', orig.irn, [bread('1', '500.00', { category: 'ZERO_VAT', rate: '0', inclusive: true })], '500.00')),
    ).toThrow(/"Bread" .* matches no line/);
    expect(() => ledger.issue(credit('c3', orig.irn, [bread('1', '600.00')], '600.00'))).toThrow(/"Bread" at 600\.00 .* matches no line/);
    expect(() => ledger.issue(credit('c4', orig.irn, [bread('4')], '2000.00'))).toThrow(
      /lines\[0\]\.quantity: 4 of "Bread" exceeds what remains to credit .* \(3 of 3 sold\)/,
    );
    ledger.issue(credit('c5', orig.irn, [bread('2')], '1000.00'));
    expect(() => ledger.issue(credit('c6', orig.irn, [bread('2')], '1000.00'))).toThrow(
      /2 of "Bread" exceeds what remains .* \(1 of 3 sold\)/,
    );
    // The same total through a line that was not on the invoice is refused, not just checked by total.
    expect(() =>
      ledger.issue(credit('c7', orig.irn, [{ name: 'Refund', quantity: '1', unit_price: '500.00', tax: VAT }], '500.00')),
    ).toThrow(/matches no line/);
    ledger.issue(credit('c8', orig.irn, [bread('1'), { name: 'Milk', quantity: '1', unit_price: '250.00', tax: VAT }], '750.00'));
    expect(ledger.verify()).toMatchObject({ ok: true, count: 3 });
  });
});

describe('JSON nesting depth', () => {
  it('is measured linearly and ignores brackets inside strings', () => {
    expect(jsonDepth('{"a":[1,{"b":"[[[[{{{{"}]}')).toBe(3);
    expect(jsonDepth('['.repeat(100_000))).toBe(MAX_JSON_DEPTH + 1); // stops early
    let deep: unknown = 1;
    for (let i = 0; i < 5000; i++) deep = [deep];
    expect(valueDepth(deep)).toBe(MAX_JSON_DEPTH + 1);
    expect(() => parseSale(deep)).toThrow(/nested deeper than 64 levels/);
  });

  it('4,000 levels through the CLI exit 2 (not 1), ledger byte-unchanged', () => {
    const dir = setUpCli();
    const before = ledgerBytes(dir);
    const r = ingest(dir, `${'['.repeat(4000)}${']'.repeat(4000)}`);
    expect(r.stderr).toMatch(/stdin: JSON nested deeper than 64 levels/);
    expect(r.code).toBe(2);
    expect(ledgerBytes(dir).equals(before)).toBe(true);
  });
});

describe('setup keys', () => {
  const keysFile = (bits: number, certificate = CERTIFICATE) => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
    return JSON.stringify({
      public_key: Buffer.from(publicKey.export({ type: 'spki', format: 'pem' }).toString()).toString('base64'),
      certificate,
    });
  };

  it('refuses an RSA key under 2048 bits, naming the key', () => {
    expect(() => parseCryptoKeys(keysFile(1024))).toThrow(KeysFileError);
    expect(() => parseCryptoKeys(keysFile(1024))).toThrow(/the public key is RSA-1024; at least 2048 bits/);
  });

  it('refuses a certificate that makes the QR plaintext too long for the key, naming the certificate', () => {
    const long = 'C'.repeat(200);
    expect(() => parseCryptoKeys(keysFile(2048, long))).toThrow(
      /the certificate is 200 characters: .* at most 245 \(the certificate may be at most \d+ characters\)/,
    );
    // The same certificate fits a 4096-bit key.
    expect(parseCryptoKeys(keysFile(4096, long)).certificate).toBe(long);
  });

  it('through `setup`: exit 2 with the message, nothing configured', () => {
    const dir = tempDir('tpos-keys-');
    const r = setupCli(dir, keysFile(1024));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/crypto_keys\.txt: the public key is RSA-1024/);
    expect(JSON.parse(cli(dir, ['status']).stdout).set_up).toBe(false);
  });
});

describe('vendor batches: some issued, some to review', () => {
  it('exit 0 with both listed; exit 2 only when nothing was invoiced', () => {
    const dir = setUpCli();
    const order = JSON.parse(readFileSync(join(process.cwd(), 'test/fixtures/vendors/square/order-mixed.json'), 'utf8')).order;
    const bad = { ...order, id: `${order.id}-bad`, total_money: { ...order.total_money, amount: order.total_money.amount + 1 } };
    const file = join(dir, 'batch.json');
    writeFileSync(file, JSON.stringify([order, bad]));
    const r = cli(dir, ['ingest', '--source', 'square', '--file', file]);
    expect(r.code).toBe(0);
    const outs = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { outcome: string; vendor_id: string });
    expect(outs.map((o) => [o.outcome, o.vendor_id])).toEqual([
      ['issued', order.id],
      ['review', bad.id],
    ]);
    expect(r.stderr).toMatch(/1 of 2 square sale\(s\) kept in the review queue/);
    const onlyBad = join(dir, 'bad.json');
    writeFileSync(onlyBad, JSON.stringify([{ ...bad, id: `${order.id}-bad2` }]));
    expect(cli(dir, ['ingest', '--source', 'square', '--file', onlyBad]).code).toBe(2);
  });
});

describe('vendor refunds pass the credit-note line rule', () => {
  const FIX = join(process.cwd(), 'test/fixtures/vendors');
  const read = (p: string) => JSON.parse(readFileSync(join(FIX, p), 'utf8'));
  const cases: { vendor: CaptureVendor; sale: string; refund: string; options: Record<string, unknown> }[] = [
    { vendor: 'square', sale: 'square/order-mixed.json', refund: 'square/order-return.json', options: {} },
    { vendor: 'toast', sale: 'toast/order-mixed.json', refund: 'toast/order-mixed-refunded.json', options: { currency: 'NGN' } },
    {
      vendor: 'lightspeed-x',
      sale: 'lightspeed-x/sale-mixed.json',
      refund: 'lightspeed-x/sale-return.json',
      options: read('lightspeed-x/options.json'),
    },
    {
      vendor: 'lightspeed-r',
      sale: 'lightspeed-r/sale-mixed.json',
      refund: 'lightspeed-r/sale-return.json',
      options: read('lightspeed-r/options.json'),
    },
  ];
  it.each(cases)(
    '$vendor: the sale and its refund are both issued, the refund as a 380 of the sale',
    ({ vendor, sale, refund, options }) => {
      const db = openDatabase(join(tempDir(), 'ledger.db'));
      const ledger = new Ledger(db, () => new Date('2030-01-01T00:00:00Z'));
      ledger.configure(BUSINESS, keyPair().keysFileJson);
      const reviews = new ReviewQueue(db);
      // The Lightspeed R fixtures' customer has a TIN (vatNumber) but the mapper reads no postal
      // address, so NRS v1.1 would send the sale to review as an incomplete B2B buyer. This test is
      // about the credit-note line rule, not the buyer: the customer is a walk-in (B2C) here.
      const b2c = (v: { Sale?: { Customer?: Record<string, unknown> } }) => {
        if (vendor === 'lightspeed-r') delete v.Sale?.Customer?.vatNumber;
        return v;
      };
      const first = ingestOutcomes(ledger, reviews, mapperOf(vendor)(b2c(read(sale)), options));
      const second = ingestOutcomes(ledger, reviews, mapperOf(vendor)(b2c(read(refund)), options));
      const issued = [...first, ...second].filter((r) => r.kind === 'issued');
      expect([...first, ...second].filter((r) => r.kind === 'review')).toEqual([]);
      expect(issued.map((r) => r.kind === 'issued' && r.type)).toContain('380');
      expect(ledger.verify()).toMatchObject({ ok: true });
    },
  );
});
