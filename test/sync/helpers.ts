// Shared set-up for the sync tests: a real ledger file with issued invoices.
import { join } from 'node:path';
import { openDatabase, type Db } from '../../main/ledger/database';
import { Ledger, type IssuedInvoice } from '../../main/ledger/ledger';
import { BUSINESS, keyPair, simpleSale, tempDir } from '../support/fixture';

export interface TestLedger {
  file: string;
  db: Db;
  ledger: Ledger;
}

export function newLedger(now?: () => Date): TestLedger {
  const file = join(tempDir('tpos-sync-'), 'ledger.db');
  const db = openDatabase(file);
  const ledger = new Ledger(db, now);
  ledger.configure(BUSINESS, keyPair().keysFileJson);
  return { file, db, ledger };
}

/** Issues n plain B2C sales (ids prefix-0…), returns the invoices. */
export function issue(ledger: Ledger, n: number, prefix = 's', extra: Record<string, unknown> = {}): IssuedInvoice[] {
  const sales = Array.from({ length: n }, (_, i) => simpleSale(`${prefix}-${i}`, `${100 + (i % 50)}.00`, extra));
  return ledger.issueAll(sales).map((r) => r.invoice);
}

/** A throwaway ledger's invoices (for client tests that need valid FIRS JSON). */
export function issuedInvoices(n: number): IssuedInvoice[] {
  const { ledger, db } = newLedger();
  const out = issue(ledger, n, 'c');
  db.close();
  return out;
}

export const FAST_BACKOFF = { baseMs: 20, capMs: 200, maxAttempts: 5 };

/** Polls until `cond()` holds (no timing asserted: only a generous upper bound). */
export async function waitFor(cond: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const quiet = (): void => {};
