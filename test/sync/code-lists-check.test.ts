// The FIRS code-list check before a report is sent (main/firs/code-lists.ts): each code not in its
// list is named by its path in the invoice; lists are refreshed from the (fake) platform only when
// stale, an empty answer never replaces a list, and an unreadable cached list falls back to the
// shipped copy instead of refusing everything.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../main/ledger/database';
import { CodeListStore } from '../../main/ledger/code-list-store';
import { CodeLists, entryCode, REFRESHED_LISTS } from '../../main/firs/code-lists';
import { FirsClient } from '../../main/firs/firs-client';
import { FAKE_CODE_LISTS, startFakeFirs, type FakeFirs } from '../fakes/firs-server';
import { tempDir } from '../support/fixture';

let db: Db;
let fake: FakeFirs;
beforeAll(async () => {
  fake = await startFakeFirs();
});
afterAll(() => fake.close());
afterEach(() => db?.close());

const ledger = () => (db = openDatabase(join(tempDir('tpos-codes-'), 'ledger.db')));
const client = () => new FirsClient({ baseUrl: fake.url, apiKey: fake.apiKey, apiSecret: fake.apiSecret, timeoutMs: 5000 });

const goodInvoice = () => ({
  invoice_type_code: '381',
  document_currency_code: 'NGN',
  tax_currency_code: 'NGN',
  tax_total: [{ tax_subtotal: [{ tax_category: { id: 'STANDARD_VAT' } }] }],
  payment_means: [{ payment_means_code: '10' }],
  accounting_supplier_party: { postal_address: { country: 'NG', state: 'NG-LA', lga: 'NG-LA-IKJ' } },
  accounting_customer_party: { postal_address: { country: 'NG', state: 'NG-AB', lga: 'NG-AB-ANO' } },
  invoice_line: [{ hsn_code: '1006.30' }, { isic_code: '5610' }],
});

describe('CodeLists.check against the platform lists', () => {
  it('a good invoice passes; every wrong code is named by its path', async () => {
    const lists = new CodeLists(ledger(), () => 1_000_000);
    await lists.refresh(client());
    const hs = String(entryCode(FAKE_CODE_LISTS['hs-codes']![0] as never));
    const isic = String(entryCode(FAKE_CODE_LISTS['services-codes']![0] as never));
    const ok = goodInvoice();
    ok.invoice_line = [{ hsn_code: hs }, { isic_code: isic }];
    expect(lists.check(ok)).toEqual([]);

    const bad = {
      invoice_type_code: '999',
      document_currency_code: 'XXX',
      tax_currency_code: undefined,
      tax_total: [{ tax_subtotal: [{ tax_category: { id: 'LUXURY_VAT' } }, {}] }],
      payment_means: [{ payment_means_code: '97' }],
      accounting_supplier_party: { postal_address: { country: 'ZZ', state: 'NG-XX', lga: 'NG-XX-AAA' } },
      accounting_customer_party: { postal_address: { state: 'NG-LA', lga: 'NG-LA-NOPE' } },
      invoice_line: [{}, { hsn_code: '0000.00' }, { isic_code: '0000' }],
    };
    expect(lists.check(bad)).toEqual([
      'invoice_type_code: "999" is not in the FIRS invoice-types list',
      'document_currency_code: "XXX" is not in the FIRS currencies list',
      'tax_currency_code: "undefined" is not in the FIRS currencies list',
      'tax_total.0.tax_subtotal.0.tax_category.id: "LUXURY_VAT" is not in the FIRS tax-categories list',
      'tax_total.0.tax_subtotal.1.tax_category.id: "undefined" is not in the FIRS tax-categories list',
      'invoice_line.0: no item classification (hsn_code for goods or isic_code for services)',
      'invoice_line.1.hsn_code: "0000.00" is not in the FIRS hs-codes list',
      'invoice_line.2.isic_code: "0000" is not in the FIRS services-codes list',
      'accounting_supplier_party.postal_address.state: "NG-XX" is not in the FIRS states list',
      'accounting_customer_party.postal_address.lga: "NG-LA-NOPE" is not in the FIRS lgas list for NG-LA',
      'payment_means.0.payment_means_code: "97" is not in the FIRS payment-means list',
      'accounting_supplier_party.postal_address.country: "ZZ" is not in the FIRS countries list',
    ]);
  });

  it('an LGA outside its state is wrong; in a state the list does not cover, only its shape is checked', () => {
    const lists = new CodeLists(ledger());
    expect(lists.lgaKnownWrong('NG-LA', 'NG-AB-ANO')).toBe(true);
    expect(lists.lgaKnownWrong(undefined, 'NG-LA-IKJ')).toBe(true);
    const uncovered = 'NG-ZZ';
    expect(lists.lgaCovered(uncovered)).toBe(false);
    expect(lists.lgaKnownWrong(uncovered, `${uncovered}-ANY`)).toBe(false);
  });

  it('hs and services codes are checked only once the platform list has been fetched (the shipped copies are partial)', () => {
    const lists = new CodeLists(ledger());
    expect(lists.fetched('hs-codes')).toBe(false);
    expect(lists.check({ ...goodInvoice(), invoice_line: [{ hsn_code: 'anything' }, { isic_code: 'anything' }] })).toEqual([]);
  });
});

describe('CodeLists.refresh', () => {
  it('fetches every list once, then only when older than maxAge', async () => {
    let now = 1_000_000;
    const lists = new CodeLists(ledger(), () => now);
    expect(await lists.refresh(client())).toEqual([...REFRESHED_LISTS]);
    const asked = fake.requests.length;
    now += 3600_000;
    expect(await lists.refresh(client())).toEqual([]);
    expect(fake.requests.length).toBe(asked);
    now += 24 * 3600_000;
    expect(await lists.refresh(client())).toEqual([...REFRESHED_LISTS]);
  });

  it('an empty list from the platform does not replace the one we have', async () => {
    const lists = new CodeLists(ledger(), () => 5_000);
    const saved = FAKE_CODE_LISTS.currencies!;
    FAKE_CODE_LISTS.currencies = [];
    try {
      const refreshed = await lists.refresh(client());
      expect(refreshed).not.toContain('currencies');
      expect(lists.fetched('currencies')).toBe(false);
      expect(lists.codes('currencies').has('NGN')).toBe(true); // the shipped copy still stands
    } finally {
      FAKE_CODE_LISTS.currencies = saved;
    }
  });

  it('a platform failure during refresh is an error naming the call, and nothing is half-stored', async () => {
    const lists = new CodeLists(ledger(), () => 5_000);
    fake.fault({ path: '/resources/countries', fault: { kind: 'status500' }, times: 1 });
    await expect(lists.refresh(client())).rejects.toThrow(/500|internal|server/i);
    // Lists before the failing one are stored whole; the failing one and those after it are not stored at all.
    const i = REFRESHED_LISTS.indexOf('countries');
    for (const name of REFRESHED_LISTS.slice(0, i)) expect(lists.fetched(name)).toBe(true);
    for (const name of REFRESHED_LISTS.slice(i)) expect(lists.fetched(name)).toBe(false);
  });
});

describe('cached lists that cannot be read', () => {
  it('a cached list of the wrong shape falls back to the shipped copy', () => {
    const lists = new CodeLists(ledger());
    new CodeListStore(db).save('currencies', 1_000, JSON.stringify({ not: 'a list' }));
    expect(lists.codes('currencies').has('NGN')).toBe(true);
    expect(lists.entries('currencies').length).toBeGreaterThan(0);
  });

  it('a cached list that is not JSON at all falls back to the shipped copy too', () => {
    const lists = new CodeLists(ledger());
    new CodeListStore(db).save('currencies', 1_000, '[{"code":"NGN"},');
    expect(lists.codes('currencies').has('NGN')).toBe(true);
    expect(lists.check({ ...goodInvoice() })).toEqual([]);
  });
});

describe('describe and entryCode', () => {
  it('reads the description, name or value of an entry; codes of any list shape', () => {
    const lists = new CodeLists(ledger());
    new CodeListStore(db).save(
      'hs-codes',
      1_000,
      JSON.stringify([{ hscode: '1006.30', description: 'Rice' }, { hs_code: '0901', name: 'Coffee' }, { code: 'X', value: '' }, 'PLAIN']),
    );
    expect(lists.describe('hs-codes', '1006.30')).toBe('Rice');
    expect(lists.describe('hs-codes', '0901')).toBe('Coffee');
    expect(lists.describe('hs-codes', 'X')).toBeUndefined();
    expect(lists.describe('hs-codes', 'PLAIN')).toBeUndefined();
    expect(lists.describe('hs-codes', 'missing')).toBeUndefined();
    expect([entryCode('NGN'), entryCode({ alpha_2: 'NG' }), entryCode({ id: 7 }), entryCode({ other: 'x' })]).toEqual([
      'NGN',
      'NG',
      '7',
      undefined,
    ]);
  });
});
