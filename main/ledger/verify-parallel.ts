// `verify --full` across worker threads: the counters are cut into ranges, each walked by a worker
// (verify-thread.ts) on its own read-only connection, with the same checks as Ledger.verify.
// A range holds when its walk reached its last counter; two ranges join when the later one
// started from the hash the earlier one ended on (the stored hash of the invoice before it,
// which the earlier range re-hashed). Where a range or a seam does not hold, this thread walks
// the chain itself from the start of that range, on its own snapshot, so the first broken link is
// found, and named, exactly as a serial verify names it.
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { GENESIS_HASH } from './chain';
import { RowChecker, walkChain } from './chain-walk';
import { loadDictionaries } from './invoice-body';
import type { Ledger, VerifyResult } from './ledger';
import { prepared } from './prepared';
import type { RangeDone, VerifyRange } from './verify-thread-protocol';

export interface ParallelVerifyOptions {
  /** The bundled worker (dist/main/verify-thread.cjs); see verifyThreadScript. */
  script: string;
  /** Workers to use (default: defaultThreads, from the cores and how busy they are). */
  threads?: number;
  /** Fewer invoices than this a worker: a serial walk (starting threads costs more). */
  minPerThread?: number;
  /** Record the head reached as a (full) checkpoint when the chain holds. */
  record?: boolean;
  /** Told how the walk was shared: the workers used, and where this thread walked itself (null: nowhere). */
  onShared?: (s: { threads: number; rewalkedAfter: number | null }) => void;
}

const MIN_PER_THREAD = 20_000;
const MAX_THREADS = 4;

/** The whole chain, from the genesis, across worker threads. Same answer as ledger.verify({ from: 'start' }). */
export async function verifyFullParallel(ledger: Ledger, o: ParallelVerifyOptions): Promise<VerifyResult> {
  const db = ledger.db;
  const threads = Math.max(1, Math.min(o.threads ?? defaultThreads(availableParallelism(), loadavg()[0] ?? 0), 64));
  // Our snapshot, held until the answer: the counters cut into ranges, the series head checked at
  // the end, and any serial walk all see the same ledger (sales issued meanwhile come after it).
  db.exec('BEGIN');
  let result: VerifyResult;
  try {
    const last = (prepared(db, 'SELECT MAX(counter) FROM invoices').pluck().get() as number | null) ?? 0;
    const n = Math.min(threads, Math.floor(last / (o.minPerThread ?? MIN_PER_THREAD)));
    if (n < 2) {
      db.exec('COMMIT');
      return ledger.verify({ from: 'start', record: o.record });
    }
    const ranges = cut(db.name, last, n);
    const workers: Worker[] = [];
    const done = await Promise.all(ranges.map((r) => runRange(o.script, r, workers))).catch((e: unknown) => {
      // One failed: the others' answers cannot make a verdict.
      for (const w of workers) void w.terminate();
      throw e;
    });
    result = combine(ledger, ranges, done, (after) => o.onShared?.({ threads: n, rewalkedAfter: after }));
  } finally {
    if (db.inTransaction) db.exec('COMMIT');
  }
  if (result.ok && o.record) ledger.recordCheckpoint(result, true);
  return result;
}

/**
 * One worker a core (at most 4), or one thread when the machine is already saturated (1-minute
 * load average at or above the cores). Measured on a 2-core machine at a load of 10: two workers
 * took longer than one thread (they only contend with the processes holding the cores); on a
 * machine that is merely busy (a till selling, a report just made: load ~1 of 2) the second core
 * halves the walk.
 */
export function defaultThreads(cores: number, load1: number): number {
  return load1 >= cores ? 1 : Math.max(1, Math.min(MAX_THREADS, cores));
}

/** n ranges of (nearly) equal length covering the counters 1..last. */
function cut(file: string, last: number, n: number): VerifyRange[] {
  return Array.from({ length: n }, (_, i) => ({
    file,
    after: Math.floor((last * i) / n),
    through: Math.floor((last * (i + 1)) / n),
    prev: i === 0 ? GENESIS_HASH : null,
  }));
}

/** The first range that does not hold, or does not join the next; else the answer from the heads. */
function combine(ledger: Ledger, ranges: VerifyRange[], done: RangeDone[], shared: (rewalkedAfter: number | null) => void): VerifyResult {
  const holds = (i: number) => !done[i]!.end.broken && done[i]!.end.count === ranges[i]!.through;
  const joins = (i: number) => i + 1 >= done.length || done[i + 1]!.start === done[i]!.end.head;
  const bad = ranges.findIndex((_, i) => !holds(i) || !joins(i));
  shared(bad < 0 ? null : ranges[bad]!.after);
  if (bad < 0) return ledger.verifyResult(0, { count: ranges.at(-1)!.through, head: done.at(-1)!.end.head });
  // Everything before `bad` held and joined: walk from there on this thread, to the first break.
  const checker = new RowChecker(loadDictionaries(ledger.db));
  try {
    const r = ranges[bad]!;
    return ledger.verifyResult(0, walkChain(ledger.db, checker, r.after, bad === 0 ? GENESIS_HASH : done[bad - 1]!.end.head));
  } finally {
    checker.close();
  }
}

/** One worker's walk; a worker that fails or exits without answering rejects, naming its range. */
function runRange(script: string, range: VerifyRange, workers: Worker[]): Promise<RangeDone> {
  return new Promise((resolve, reject) => {
    const what = `the verify worker for invoices ${range.after + 1}–${range.through}`;
    let answer: RangeDone | undefined;
    const worker = new Worker(script, { workerData: range });
    workers.push(worker);
    worker.on('message', (m: RangeDone) => {
      if (m?.type === 'done') answer = m;
    });
    worker.on('error', (e) => reject(new Error(`verify: ${what} failed (${e.message}): the chain was not verified`)));
    worker.on('exit', (code) => {
      if (answer && code === 0) resolve(answer);
      else reject(new Error(`verify: ${what} stopped before it answered (exit code ${code}): the chain was not verified`));
    });
  });
}

/**
 * The bundled worker beside the bundle that runs (dist/main/cli.cjs), else dist/main of a source
 * checkout (tests); undefined when it was never built (verify then walks on one thread).
 */
export function verifyThreadScript(): string | undefined {
  const candidates = [join(__dirname, 'verify-thread.cjs'), join(__dirname, '..', '..', 'dist', 'main', 'verify-thread.cjs')];
  return candidates.find((c) => existsSync(c));
}
