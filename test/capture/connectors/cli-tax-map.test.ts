// `connect <vendor> --tax-map / --foreign-currency` (issue #13): the connection's tax mapping and
// foreign-currency invoicing are stored with its settings, refused with the field named when
// wrong (exit 2, old settings kept), and used by `ingest --source <vendor>`.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { CLI, setupCli, tempDir } from '../../support/fixture';
import { openDatabase } from '../../../main/ledger/database';
import { ConnectorSettings } from '../../../main/capture/config';

let dir: string;
beforeEach(() => {
  dir = tempDir('tpos-taxmap-cli-');
  expect(setupCli(dir).code).toBe(0);
});

const cli = (args: string[]) => spawnSync(process.execPath, [CLI, '--data-dir', dir, ...args], { encoding: 'utf8' });
function stored() {
  const db = openDatabase(join(dir, 'ledger.db'));
  try {
    return new ConnectorSettings(db).get('toast');
  } finally {
    db.close();
  }
}
function file(name: string, doc: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(doc));
  return p;
}

const TOAST = [
  'connect',
  'toast',
  '--base-url',
  'https://ws-api.example.toasttab.com',
  '--client-id',
  'c1',
  '--restaurant',
  'r-guid-1',
  '--no-test',
];
const CONSUMPTION_GUID = '9d3e7b1c-lct0-4a2b-8c9d-lagosconsum5';

describe('connect --tax-map / --foreign-currency', () => {
  it('stores the mapping with the connection; ingest then maps the consumption tax outside VAT', () => {
    const taxMap = file('tax-map.json', { [CONSUMPTION_GUID]: { category: 'LOCAL_SALES_TAX', rate: '5', name: 'Lagos consumption tax' } });
    const fx = file('fx.json', { enabled: true, rates: { USD: { rate: '1530.25', source: 'CBN', date: '2026-11-23' } } });
    const c = cli([...TOAST, '--tax-map', taxMap, '--foreign-currency', fx]);
    expect(c.status, c.stderr).toBe(0);
    expect(stored()?.mapOptions).toMatchObject({
      taxMap: { [CONSUMPTION_GUID]: { category: 'LOCAL_SALES_TAX', rate: '5', name: 'Lagos consumption tax' } },
      foreignCurrency: { enabled: true, rates: { USD: { rate: '1530.25' } } },
    });
    const ingest = cli([
      'ingest',
      '--source',
      'toast',
      '--file',
      join(process.cwd(), 'test/fixtures/vendors/toast/order-paid-then-closed-two-taxes.json'),
    ]);
    expect(ingest.status, ingest.stderr).toBe(0);
    expect(JSON.parse(ingest.stdout.trim().split('\n')[0]!)).toMatchObject({ outcome: 'issued', payable: '11250.00', tax: '750.00' });
  });

  it('without the mapping the same file goes to review naming the tax (exit 2)', () => {
    expect(cli(TOAST).status).toBe(0);
    const ingest = cli([
      'ingest',
      '--source',
      'toast',
      '--file',
      join(process.cwd(), 'test/fixtures/vendors/toast/order-paid-then-closed-two-taxes.json'),
    ]);
    expect(ingest.status).toBe(2);
    expect(ingest.stderr).toMatch(/tax "Consumption tax" .* is not in this connection's tax mapping/);
  });

  it('a wrong mapping is refused naming the field (exit 2); the stored settings stay', () => {
    const good = file('good.json', { VAT: { category: 'STANDARD_VAT', rate: '7.5' } });
    expect(cli([...TOAST, '--tax-map', good]).status).toBe(0);
    const bad = cli([...TOAST, '--tax-map', file('bad.json', { 'Consumption tax': { category: 'EXEMPTED', rate: '5' } })]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/mapOptions\.taxMap\.Consumption tax\.rate: ZERO_VAT and EXEMPTED take rate "0"/);
    const unknown = cli([...TOAST, '--tax-map', file('bad2.json', { X: { category: 'SALES_TAX', rate: '5' } })]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/mapOptions\.taxMap\.X\.category/);
    expect(cli([...TOAST, '--tax-map', file('bad3.json', ['not', 'an object'])]).stderr).toMatch(/--tax-map: must be a JSON object/);
    expect(stored()?.mapOptions?.taxMap).toEqual({ VAT: { category: 'STANDARD_VAT', rate: '7.5' } });
  });
});
