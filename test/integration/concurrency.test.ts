// Two processes on one ledger file: numbers stay gap-free and unique, the chain stays whole.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { openDatabase } from '../../main/ledger/database';
import { Ledger } from '../../main/ledger/ledger';
import { BUSINESS, keyPair, tempDir } from '../support/fixture';

const WORKER = join(process.cwd(), 'dist', 'test', 'issue-worker.cjs');

function run(file: string, prefix: string, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WORKER, file, prefix, String(count)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker ${prefix} exited ${code}: ${err}`))));
  });
}

describe('two processes issuing concurrently', () => {
  it('keeps the series gap-free, unique and the chain valid', async () => {
    const file = join(tempDir(), 'ledger.db');
    const db = openDatabase(file);
    new Ledger(db).configure(BUSINESS, keyPair().keysFileJson);
    db.close();

    await Promise.all([run(file, 'a', 300), run(file, 'b', 300), run(file, 'c', 300)]);

    const check = openDatabase(file);
    const ledger = new Ledger(check);
    const rows = check.prepare('SELECT counter, invoice_number, external_id FROM invoices ORDER BY counter').all() as {
      counter: number;
      invoice_number: string;
      external_id: string;
    }[];
    expect(rows).toHaveLength(900);
    rows.forEach((r, i) => {
      expect(r.counter).toBe(i + 1);
      expect(r.invoice_number).toBe(`T01${String(i + 1).padStart(8, '0')}`);
    });
    // The processes really interleaved (otherwise this test would prove nothing about locking).
    const switches = rows.filter((r, i) => i > 0 && r.external_id[0] !== rows[i - 1]!.external_id[0]).length;
    expect(switches).toBeGreaterThan(2);
    expect(ledger.verify()).toMatchObject({ ok: true, count: 900 });
    check.close();
  });
});
