// Real files for real tests: a temp data dir, a freshly generated FIRS-style key pair, sample sales.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import forge from 'node-forge';

export const BUSINESS = {
  name: 'Ade Stores',
  tin: '12345678-0001',
  business_id: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
  service_id: '94ND90NR',
  terminal: 'T01',
  email: 'shop@ade.ng',
  country: 'NG',
  // NRS v1.1: the supplier's postal address with state and LGA codes, and a default classification.
  street: '12 Allen Avenue',
  city: 'Ikeja',
  postal_zone: '100271',
  state: 'NG-LA',
  lga: 'NG-LA-IKJ',
  default_hs_code: '3401.11',
};
export const CERTIFICATE = 'Y2VydGlmaWNhdGUtZGVtby0xMjM0NTY3ODkw';

export interface KeyPair {
  publicPem: string;
  privatePem: string;
  keysFileJson: string;
  keysFileLegacy: string;
}

let cached: KeyPair | undefined;
export function keyPair(): KeyPair {
  if (!cached) {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    cached = {
      publicPem,
      privatePem,
      keysFileJson: JSON.stringify({ public_key: Buffer.from(publicPem).toString('base64'), certificate: CERTIFICATE }),
      keysFileLegacy: `${publicPem}\n${CERTIFICATE}\n`,
    };
  }
  return cached;
}

/** PKCS#1 v1.5 decryption (Node 20 refuses it natively: CVE-2023-46809), via node-forge. */
export function decryptQr(qr: string, privatePem = keyPair().privatePem): string {
  const key = forge.pki.privateKeyFromPem(privatePem);
  return forge.util.decodeUtf8(key.decrypt(forge.util.decode64(qr), 'RSAES-PKCS1-V1_5'));
}

export function tempDir(prefix = 'tpos-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function sampleSale(overrides: Record<string, unknown> = {}) {
  return {
    source: 'manual',
    external_id: 'till-0001',
    occurred_at: '2026-11-24T09:30:00+01:00',
    currency: 'NGN',
    lines: [
      {
        name: 'Rice 5kg',
        sku: 'RICE5',
        quantity: '2',
        unit_price: '8600.00',
        discount: '200.00',
        tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: true },
      },
    ],
    charges: [{ name: 'Delivery', amount: '500.00', tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: true } }],
    tip: '0.00',
    payments: [{ method: 'cash', amount: '17500.00' }],
    customer: {
      name: 'Ade Ltd',
      tin: '12345678-0001',
      email: 'ap@ade.ng',
      phone: '+2348000000000',
      address: { street: '1 Marina', city: 'Lagos', postal_zone: '100001', state: 'NG-LA', lga: 'NG-LA-IKJ', country: 'NG' },
    },
    refund_of: null,
    ...overrides,
  };
}

/** A plain B2C sale with one line, unique id. */
export function simpleSale(id: string, amount = '1075.00', extra: Record<string, unknown> = {}) {
  return {
    source: 'manual',
    external_id: id,
    occurred_at: '2026-11-24T10:00:00+01:00',
    currency: 'NGN',
    lines: [{ name: 'Soap', quantity: '1', unit_price: amount, tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: true } }],
    payments: [{ method: 'card', amount }],
    ...extra,
  };
}

export const CLI = join(process.cwd(), 'bin', 'taxpoynt-pos.cjs');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function cli(dataDir: string, args: string[], input?: string): CliResult {
  const r = spawnSync(process.execPath, [CLI, '--data-dir', dataDir, ...args], { encoding: 'utf8', input });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** `setup` with the test business (NRS v1.1 fields included); `extra` adds flags such as --manager-pin-file. */
export function setupCli(dataDir: string, keysText = keyPair().keysFileJson, extra: string[] = []): CliResult {
  const keys = join(dataDir, 'crypto_keys.txt');
  writeFileSync(keys, keysText);
  return cli(dataDir, [
    'setup',
    '--name',
    BUSINESS.name,
    '--tin',
    BUSINESS.tin,
    '--business-id',
    BUSINESS.business_id,
    '--service-id',
    BUSINESS.service_id,
    '--keys',
    keys,
    '--terminal',
    BUSINESS.terminal,
    '--email',
    BUSINESS.email,
    '--street',
    BUSINESS.street,
    '--city',
    BUSINESS.city,
    '--postal-zone',
    BUSINESS.postal_zone,
    '--state',
    BUSINESS.state,
    '--lga',
    BUSINESS.lga,
    '--default-hs-code',
    BUSINESS.default_hs_code,
    ...extra,
  ]);
}

export function sqlite(file: string, sql: string): void {
  // Behind the app's back, as an attacker with the file would: a separate connection.
  execFileSync(process.execPath, [
    '-e',
    `const D=require('better-sqlite3');const d=new D(process.argv[1]);d.exec(process.argv[2]);d.close()`,
    file,
    sql,
  ]);
}

/**
 * Edits a stored invoice's JSON behind the app's back (a separate connection, as `sqlite`): the
 * stored body is inflated with its dictionary, `from` replaced by `to` in the chosen text, and
 * deflated again, as an attacker who read invoice-body.ts would (the update trigger dropped).
 */
export function editStoredJson(file: string, counter: number, field: 'invoice_json' | 'sale_json', from: string, to: string): void {
  const script = `
    const D = require('better-sqlite3'); const z = require('node:zlib');
    const [file, counter, field, from, to] = process.argv.slice(1);
    const d = new D(file);
    const r = d.prepare('SELECT i.body, j.dictionary FROM invoices i JOIN json_dictionaries j ON j.id = i.dictionary_id WHERE i.counter = ?').get(Number(counter));
    const [inv, sale] = JSON.parse(z.inflateRawSync(r.body, { dictionary: r.dictionary }).toString());
    const pair = field === 'invoice_json' ? [inv.replaceAll(from, to), sale] : [inv, sale.replaceAll(from, to)];
    if (JSON.stringify(pair) === JSON.stringify([inv, sale])) throw new Error('editStoredJson: nothing replaced');
    const body = z.deflateRawSync(Buffer.from(JSON.stringify(pair)), { dictionary: r.dictionary });
    d.exec('DROP TRIGGER IF EXISTS invoices_no_update');
    d.prepare('UPDATE invoices SET body = ? WHERE counter = ?').run(body, Number(counter));
    d.close();`;
  execFileSync(process.execPath, ['-e', script, file, String(counter), field, from, to]);
}
