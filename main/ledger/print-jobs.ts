// The print queue's SQL: original receipts are the outbox rows of kind 'print' (written by
// Ledger.issue in the sale's own transaction), reprints and test pages are print_requests.
// A job is leased ('sending') before any byte goes out; each attempt is journalled before the
// write and closed after, which is how a restart tells "never sent" from "maybe printed".
import type { Db } from './database';
import { z } from 'zod';
import { col, CountRow, many, one } from './rows';

const DelayRow = z.object({ delay: col.int });
const IdRow = z.object({ id: col.int });

export type PrintJobKey = { source: 'invoice'; counter: number } | { source: 'request'; id: number };

export interface ClaimedPrintJob {
  key: PrintJobKey;
  kind: 'original' | 'copy' | 'test';
  counter: number | null; // invoice counter (null for a test page)
  attempts: number; // including this one
}

export interface PrintProblem {
  job: string;
  kind: 'original' | 'copy' | 'test';
  irn: string | null;
  invoice_number: string | null;
  error: string;
  updated_at: number;
}

export const UNCONFIRMED_PREFIX = 'unconfirmed:';

export class LeaseLost extends Error {
  constructor(job: string) {
    super(`print job ${job} is no longer leased by this worker`);
    this.name = 'LeaseLost';
  }
}

export class UnknownProblem extends Error {
  constructor(job: string) {
    super(`job: ${job} is not an unconfirmed print job (see print-queue for the list)`);
    this.name = 'UnknownProblem';
  }
}

export const jobName = (key: PrintJobKey): string => (key.source === 'invoice' ? `invoice:${key.counter}` : `request:${key.id}`);

interface Row {
  counter: number | null;
  id: number | null;
  kind: string;
  attempts: number;
  next_attempt_at: number;
}

export class PrintJobs {
  constructor(private readonly db: Db) {}

  private table(key: PrintJobKey): { sql: string; arg: number } {
    return key.source === 'invoice'
      ? { sql: "outbox WHERE kind = 'print' AND invoice_counter = ?", arg: key.counter }
      : { sql: 'print_requests WHERE id = ?', arg: key.id };
  }

  /**
   * The oldest unfinished job. Receipts print in sale order and the backoff is the head's: while
   * the printer is off no younger job jumps ahead when its own retry comes due first.
   */
  private head(): Row | undefined {
    return this.db
      .prepare(
        `SELECT invoice_counter AS counter, NULL AS id, 'original' AS kind, attempts, next_attempt_at, created_at FROM outbox
         WHERE kind = 'print' AND status IN ('pending', 'retrying')
       UNION ALL
       SELECT invoice_counter AS counter, id, kind, attempts, next_attempt_at, created_at FROM print_requests
         WHERE status IN ('pending', 'retrying')
       ORDER BY created_at, counter, id LIMIT 1`,
      )
      .get() as Row | undefined;
  }

  /** The oldest job if it is due, leased to `owner` until now + leaseMs; expired leases are recovered first. */
  claim(owner: string, now: number, leaseMs: number): ClaimedPrintJob | undefined {
    return this.db
      .transaction((): ClaimedPrintJob | undefined => {
        this.recoverExpired(now);
        const row = this.head();
        if (!row || row.next_attempt_at > now) return undefined;
        const key: PrintJobKey = row.id === null ? { source: 'invoice', counter: row.counter! } : { source: 'request', id: row.id };
        const t = this.table(key);
        this.db
          .prepare(
            `UPDATE ${t.sql.replace(' WHERE', " SET status = 'sending', attempts = attempts + 1, lease_owner = ?, lease_until = ?, updated_at = ? WHERE")}`,
          )
          .run(owner, now + leaseMs, now, t.arg);
        return { key, kind: row.kind as ClaimedPrintJob['kind'], counter: row.counter, attempts: row.attempts + 1 };
      })
      .immediate();
  }

  /** Journals an attempt right before bytes go to the printer; refuses if the lease was lost. */
  beginAttempt(key: PrintJobKey, owner: string, now: number): number {
    return this.db
      .transaction(() => {
        const t = this.table(key);
        const held = this.db.prepare(`SELECT 1 FROM ${t.sql} AND status = 'sending' AND lease_owner = ?`).get(t.arg, owner);
        if (!held) throw new LeaseLost(jobName(key));
        return Number(
          this.db.prepare('INSERT INTO print_attempts (job, owner, started_at) VALUES (?, ?, ?)').run(jobName(key), owner, now)
            .lastInsertRowid,
        );
      })
      .immediate();
  }

  private settle(
    key: PrintJobKey,
    owner: string,
    status: 'done' | 'retrying' | 'dead',
    error: string | null,
    nextAt: number | null,
    now: number,
    attempt?: { id: number; outcome: 'printed' | 'not_sent' | 'unconfirmed' },
  ): void {
    this.db
      .transaction(() => {
        const t = this.table(key);
        const r = this.db
          .prepare(
            `UPDATE ${t.sql.replace(' WHERE', ` SET status = ?, last_error = ?, next_attempt_at = COALESCE(?, next_attempt_at), lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE`)} AND status = 'sending' AND lease_owner = ?`,
          )
          .run(status, error, nextAt, now, t.arg, owner);
        if (r.changes !== 1) throw new LeaseLost(jobName(key));
        if (attempt) {
          this.db
            .prepare('UPDATE print_attempts SET finished_at = ?, outcome = ?, detail = ? WHERE id = ?')
            .run(now, attempt.outcome, error, attempt.id);
        }
      })
      .immediate();
  }

  /** How long after its sale an invoice was captured (ms): large for a POS catch-up after an outage. */
  captureDelayMs(counter: number): number {
    const r = one(
      DelayRow,
      'capture delay',
      this.db.prepare(
        "SELECT o.created_at - i.issued_at * 1000 AS delay FROM invoices i JOIN outbox o ON o.invoice_counter = i.counter AND o.kind = 'print' WHERE i.counter = ?",
      ),
      counter,
    );
    return r?.delay ?? 0;
  }

  /** Settled without printing (a late capture): the reason is kept; a reprint prints it on request. */
  skip(key: PrintJobKey, owner: string, reason: string, now: number): void {
    this.settle(key, owner, 'done', reason, null, now);
  }

  printed(key: PrintJobKey, owner: string, attemptId: number, now: number): void {
    this.settle(key, owner, 'done', null, null, now, { id: attemptId, outcome: 'printed' });
  }

  /** Nothing reached the printer: try again at `nextAt`. */
  retryLater(key: PrintJobKey, owner: string, error: string, nextAt: number, now: number, attemptId?: number): void {
    this.settle(key, owner, 'retrying', error, nextAt, now, attemptId === undefined ? undefined : { id: attemptId, outcome: 'not_sent' });
  }

  /** Bytes may have reached the printer but printing is not confirmed: never retried automatically. */
  unconfirmed(key: PrintJobKey, owner: string, reason: string, now: number, attemptId: number): void {
    this.settle(key, owner, 'dead', `${UNCONFIRMED_PREFIX} ${reason}`, null, now, { id: attemptId, outcome: 'unconfirmed' });
  }

  /**
   * Jobs whose worker died (lease expired while 'sending'). With an open attempt the printer may
   * already have printed the receipt: a second original would be a duplicate fiscal receipt, so
   * the job becomes 'dead' (unconfirmed) and is listed for a manual reprint, which prints COPY.
   * Without one nothing was sent, so it simply goes back to the queue.
   */
  recoverExpired(now: number): number {
    const expired = [
      ...(this.db
        .prepare(
          "SELECT invoice_counter AS counter, NULL AS id FROM outbox WHERE kind = 'print' AND status = 'sending' AND lease_until < ?",
        )
        .all(now) as Row[]),
      ...(this.db
        .prepare("SELECT invoice_counter AS counter, id FROM print_requests WHERE status = 'sending' AND lease_until < ?")
        .all(now) as Row[]),
    ];
    for (const row of expired) {
      const key: PrintJobKey = row.id === null ? { source: 'invoice', counter: row.counter! } : { source: 'request', id: row.id };
      const t = this.table(key);
      const open = many(
        IdRow,
        'open print attempts',
        this.db.prepare('SELECT id FROM print_attempts WHERE job = ? AND finished_at IS NULL'),
        jobName(key),
      );
      if (open.length > 0) {
        const reason = `${UNCONFIRMED_PREFIX} the app stopped while this receipt was being sent to the printer; it may have printed. If it did not, reprint it (the reprint is marked COPY)`;
        this.db
          .prepare(
            `UPDATE ${t.sql.replace(' WHERE', " SET status = 'dead', last_error = ?, lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE")}`,
          )
          .run(reason, now, t.arg);
        this.db
          .prepare(
            "UPDATE print_attempts SET finished_at = ?, outcome = 'unconfirmed', detail = 'worker stopped mid-print (lease expired)' WHERE job = ? AND finished_at IS NULL",
          )
          .run(now, jobName(key));
      } else {
        this.db
          .prepare(
            `UPDATE ${t.sql.replace(' WHERE', " SET status = 'retrying', next_attempt_at = ?, lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE")}`,
          )
          .run(now, now, t.arg);
      }
    }
    return expired.length;
  }

  enqueueCopy(counter: number, now: number): number {
    return Number(
      this.db
        .prepare("INSERT INTO print_requests (invoice_counter, kind, next_attempt_at, created_at, updated_at) VALUES (?, 'copy', ?, ?, ?)")
        .run(counter, now, now, now).lastInsertRowid,
    );
  }

  enqueueTest(now: number): number {
    return Number(
      this.db
        .prepare(
          "INSERT INTO print_requests (invoice_counter, kind, next_attempt_at, created_at, updated_at) VALUES (NULL, 'test', ?, ?, ?)",
        )
        .run(now, now, now).lastInsertRowid,
    );
  }

  /** Jobs waiting or in progress. */
  queued(): number {
    const a = one(
      CountRow,
      'queued receipts',
      this.db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'print' AND status IN ('pending', 'retrying', 'sending')"),
    )!;
    const b = one(
      CountRow,
      'queued print requests',
      this.db.prepare("SELECT COUNT(*) AS n FROM print_requests WHERE status IN ('pending', 'retrying', 'sending')"),
    )!;
    return a.n + b.n;
  }

  /** When the next job is due (for the worker's sleep), if any is waiting. */
  nextDueAt(): number | undefined {
    return this.head()?.next_attempt_at;
  }

  /** Jobs that need a person: unconfirmed prints (maybe printed, maybe not). */
  problems(): PrintProblem[] {
    return this.db
      .prepare(
        `SELECT 'invoice:' || o.invoice_counter AS job, 'original' AS kind, i.irn, i.invoice_number, o.last_error AS error, o.updated_at
         FROM outbox o JOIN invoices i ON i.counter = o.invoice_counter WHERE o.kind = 'print' AND o.status = 'dead'
       UNION ALL
       SELECT 'request:' || r.id, r.kind, i.irn, i.invoice_number, r.last_error, r.updated_at
         FROM print_requests r LEFT JOIN invoices i ON i.counter = r.invoice_counter WHERE r.status = 'dead'
       ORDER BY updated_at`,
      )
      .all() as PrintProblem[];
  }

  /** How many times a job's bytes were put on a printer (for support and tests). */
  attempts(key: PrintJobKey): { started_at: number; finished_at: number | null; outcome: string | null; detail: string | null }[] {
    return this.db
      .prepare('SELECT started_at, finished_at, outcome, detail FROM print_attempts WHERE job = ? ORDER BY id')
      .all(jobName(key)) as never;
  }

  /**
   * A person checked the paper of a printed-unconfirmed job: it printed ('printed'), or it did not
   * and a COPY is queued instead ('reprint'). Either way it leaves the problem list, with a note.
   */
  resolve(job: string, action: 'printed' | 'reprint', now: number): { resolved: true; request?: number } {
    const m = /^(invoice|request):(\d+)$/.exec(job);
    if (!m) throw new Error(`job: "${job}" is not a print job id like invoice:42 or request:7`);
    const key: PrintJobKey = m[1] === 'invoice' ? { source: 'invoice', counter: Number(m[2]) } : { source: 'request', id: Number(m[2]) };
    return this.db
      .transaction(() => {
        const t = this.table(key);
        const row = this.db.prepare(`SELECT invoice_counter AS counter, status, last_error FROM ${t.sql}`).get(t.arg) as
          { counter: number | null; status: string; last_error: string | null } | undefined;
        if (!row || row.status !== 'dead') throw new UnknownProblem(job);
        let request: number | undefined;
        if (action === 'reprint' && row.counter !== null) request = this.enqueueCopy(row.counter, now);
        const note =
          action === 'printed' ? 'checked: it printed' : `checked: it did not print; reprinted as COPY (request:${request ?? '-'})`;
        this.db
          .prepare(`UPDATE ${t.sql.replace(' WHERE', " SET status = 'done', last_error = ?, updated_at = ? WHERE")}`)
          .run(`${row.last_error ?? ''} [${note}]`, now, t.arg);
        return { resolved: true as const, ...(request !== undefined ? { request } : {}) };
      })
      .immediate();
  }
}
