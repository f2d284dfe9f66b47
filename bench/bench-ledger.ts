// A set-up ledger on a fresh file for the benchmarks: a generated FIRS-style key pair and a fixed
// business profile. The public key is returned too (the issue bench's floor encrypts with it).
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { openDatabase, type Db } from '../main/ledger/database';
import { Ledger } from '../main/ledger/ledger';

export function benchLedger(dir: string, now?: () => Date): { db: Db; ledger: Ledger; publicKey: KeyObject } {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const db = openDatabase(join(dir, 'ledger.db'));
  const ledger = new Ledger(db, now);
  ledger.configure(
    {
      name: 'Bench Store',
      tin: '12345678-0001',
      business_id: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
      service_id: '94ND90NR',
      terminal: 'T01',
      email: 'bench@example.ng',
      // NRS v1.1 requires the supplier's postal address and a default classification.
      street: '12 Allen Avenue',
      city: 'Ikeja',
      postal_zone: '100271',
      state: 'NG-LA',
      lga: 'NG-LA-IKJ',
      default_hs_code: '3401.11',
    },
    JSON.stringify({ public_key: Buffer.from(pem).toString('base64'), certificate: 'Y2VydGlmaWNhdGUtZGVtby0xMjM0NTY3ODkw' }),
  );
  return { db, ledger, publicKey };
}
