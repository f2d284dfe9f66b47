// IMMEDIATE transactions against a writer in another connection (write-lock.ts): the BEGIN is
// retried in short steps and the transaction runs once the lock is free; a lock never freed still
// ends in SQLITE_BUSY after the wait, with the transaction's function never run (nothing half-written).
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase, type Db } from '../../main/ledger/database';
import { installFairWriteLock } from '../../main/ledger/write-lock';
import { tempDir } from '../support/fixture';

const open: Db[] = [];
afterEach(() => {
  while (open.length) open.pop()!.close();
});

function ledgerFile(): string {
  const file = join(tempDir('tpos-lock-'), 'ledger.db');
  open.push(openDatabase(file));
  open[0]!.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, who TEXT NOT NULL)');
  return file;
}

describe('fair write lock', () => {
  it('a lock held past the wait ends in SQLITE_BUSY without running the transaction', () => {
    const file = ledgerFile();
    const holder = new Database(file);
    open.push(holder);
    holder.exec('BEGIN IMMEDIATE');
    const waiter = new Database(file);
    open.push(waiter);
    installFairWriteLock(waiter, 60);
    let ran = 0;
    const tx = waiter.transaction(() => {
      ran++;
      waiter.prepare('INSERT INTO t (who) VALUES (?)').run('waiter');
    });
    expect(() => tx.immediate()).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
    expect(ran).toBe(0);
    holder.exec('ROLLBACK');
    // The lock is free: the same transaction runs, once, and the busy timeout is back for other statements.
    tx.immediate();
    expect(ran).toBe(1);
    expect(waiter.pragma('busy_timeout', { simple: true })).toBe(60);
    expect(waiter.prepare('SELECT who FROM t').pluck().all()).toEqual(['waiter']);
  });

  it('a writer in another process: the transaction waits for it and then commits', async () => {
    const file = ledgerFile();
    // The child holds the write lock for 300 ms (longer than SQLite's first sleeps), then commits.
    const code = `const D = require(${JSON.stringify(require.resolve('better-sqlite3'))}); const db = new D(${JSON.stringify(file)});
      db.exec('BEGIN IMMEDIATE'); db.prepare("INSERT INTO t (who) VALUES ('child')").run(); process.send('held');
      setTimeout(() => { db.exec('COMMIT'); db.close(); process.exit(0); }, 300);`;
    const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await new Promise((r) => child.once('message', r));
    const db = open[0]!;
    db.transaction(() => db.prepare("INSERT INTO t (who) VALUES ('parent')").run()).immediate();
    await new Promise((r) => child.once('exit', r));
    expect(db.prepare('SELECT who FROM t ORDER BY id').pluck().all()).toEqual(['child', 'parent']);
  });

  it('nested immediate transactions use a savepoint (no second BEGIN)', () => {
    ledgerFile();
    const db = open[0]!;
    const inner = db.transaction(() => db.prepare("INSERT INTO t (who) VALUES ('inner')").run());
    db.transaction(() => {
      inner.immediate();
      db.prepare("INSERT INTO t (who) VALUES ('outer')").run();
    }).immediate();
    expect(db.prepare('SELECT who FROM t ORDER BY id').pluck().all()).toEqual(['inner', 'outer']);
  });
});
