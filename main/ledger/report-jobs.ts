// The FIRS report jobs in the outbox: claimed under a lease in one IMMEDIATE transaction (so two
// workers or processes never hold the same job), every attempt recorded, and the transitions
// pending → sending → done | retrying | rejected | dead. All SQL for reporting lives here.
import type { Statement } from 'better-sqlite3';
import type { Db } from './database';
import { prepared } from './prepared';
import { col, CountRow, many, one } from './rows';
import { decodeBody } from './invoice-body';
import { z } from 'zod';

export interface ReportJob {
  counter: number;
  irn: string;
  b2b: boolean;
  source: string;
  issuedAt: number;
  invoiceJson: string;
  /** Attempts so far, including this one. */
  attempts: number;
  /** An earlier attempt exists whose request may have reached the platform: confirm before signing. */
  uncertain: boolean;
  attemptId: number;
  idempotencyKey: string;
  /** The outbox status it was claimed from (a credentials pause puts it back as it was). */
  claimedFrom?: string;
}

/** A job as claimed, before its invoice JSON is read (see ReportJobs.take). */
export type ClaimedJob = Omit<ReportJob, 'invoiceJson'>;

export interface AttemptRow {
  id: number;
  irn: string;
  worker: string;
  idempotency_key: string;
  started_at: number;
  finished_at: number | null;
  outcome: string;
  http_status: number | null;
  message: string | null;
  details: string | null;
}

export interface Problem {
  irn: string;
  invoice_number: string;
  counter: number;
  status: 'rejected' | 'dead';
  attempts: number;
  message: string | null;
  details: string | null;
  issued_at: number;
  b2b: boolean;
  updated_at: number;
  /** The platform holds this IRN with other content: an alarm, not a fixable rejection. */
  collision: boolean;
}

export interface QueueCounts {
  queueDepth: number;
  rejected: number;
  dead: number;
  collisions: number;
  oldestUnreportedB2cIssuedAt: number | null;
}

export interface Outcome {
  httpStatus?: number | undefined;
  message?: string | undefined;
  details?: string | undefined;
}

interface ClaimRow {
  counter: number;
  attempts: number;
  status: string;
  irn: string;
  b2b: number;
  source: string;
  issued_at: number;
}

// A job the sync may send: not a demo invoice, and a credit note only once its original is reported
// (the platform cannot credit an IRN it does not have). Invoices are read by primary key per job.
const SENDABLE = `i.source != 'demo'
  AND (i.original_irn IS NULL OR EXISTS (
        SELECT 1 FROM invoices oi JOIN outbox oo ON oo.invoice_counter = oi.counter AND oo.kind = 'report'
         WHERE oi.irn = i.original_irn AND oo.status = 'done'))`;

const OPEN_STATUSES = "('pending', 'sending', 'retrying', 'rejected', 'dead')";

/**
 * The report queue's hot queries, by name: test/ledger/query-plans.test.ts checks each one's plan
 * on a 1M-invoice schema (no full scan of invoices or outbox) via main/ledger/hot-queries.ts.
 */
export const REPORT_SQL = {
  /**
   * Due jobs of one status and B2B flag, in due order: an index range (outbox_report_due) read
   * `limit` rows deep. INDEXED BY because without statistics (a new ledger) SQLite chose
   * outbox_due and tested b2b per row: asking for B2B jobs walked every due B2C job (4 ms a claim
   * at a 3,000-report backlog, growing with it).
   */
  claimDue: `SELECT o.invoice_counter AS counter, o.attempts, o.status, i.irn, o.b2b, i.source, i.issued_at
     FROM outbox o INDEXED BY outbox_report_due JOIN invoices i ON i.counter = o.invoice_counter
    WHERE o.kind = 'report' AND o.status = @status AND o.b2b = @b2b AND o.next_attempt_at <= @now AND ${SENDABLE}
    ORDER BY o.next_attempt_at, o.invoice_counter
    LIMIT @limit`,
  /** Jobs whose worker died: a 'sending' lease that ran out (a handful at most). */
  claimExpired: `SELECT o.invoice_counter AS counter, o.attempts, o.status, i.irn, o.b2b, i.source, i.issued_at
     FROM outbox o JOIN invoices i ON i.counter = o.invoice_counter
    WHERE o.kind = 'report' AND o.status = 'sending' AND o.lease_until < @now AND ${SENDABLE}
    ORDER BY o.invoice_counter
    LIMIT @limit`,
  /** The invoice JSON of a claimed job only (never carried through a sort). */
  invoiceJson: 'SELECT dictionary_id, body FROM invoices WHERE counter = ?',
  demoWaiting: `SELECT 1 FROM outbox o JOIN invoices i ON i.counter = o.invoice_counter
        WHERE o.kind = 'report' AND o.status IN ('pending', 'retrying', 'sending') AND i.source = 'demo' LIMIT 1`,
  /** Open jobs per status: a count over the covering index of the open jobs only (never the reported ones). */
  countOpen: `SELECT o.status, COUNT(*) AS n FROM outbox o WHERE o.kind = 'report' AND o.status IN ${OPEN_STATUSES} GROUP BY o.status`,
  /** Open demo jobs per status (counted apart, through the (source, external_id) index: none in a real ledger). */
  countDemo: `SELECT o.status, COUNT(*) AS n FROM invoices i JOIN outbox o ON o.invoice_counter = i.counter AND o.kind = 'report'
    WHERE i.source = 'demo' AND o.status IN ${OPEN_STATUSES} GROUP BY o.status`,
  /** The oldest open B2C job of one status (counter order: the first non-demo row of an index range). */
  oldestB2c: `SELECT i.issued_at AS t FROM outbox o JOIN invoices i ON i.counter = o.invoice_counter
    WHERE o.kind = 'report' AND o.status = @status AND o.b2b = 0 AND i.source != 'demo'
    ORDER BY o.invoice_counter LIMIT 1`,
  collisions: `SELECT COUNT(*) AS n FROM report_collisions c JOIN outbox o ON o.invoice_counter = c.invoice_counter AND o.kind = 'report' WHERE o.status = 'rejected'`,
  lastError: `SELECT last_error FROM outbox WHERE kind = 'report' AND status IN ('retrying', 'rejected', 'dead') AND last_error IS NOT NULL ORDER BY updated_at DESC LIMIT 1`,
  /** Claiming one job: the lease, the earlier attempt left in flight, the count of earlier attempts, the new attempt. */
  take: `UPDATE outbox SET status = 'sending', attempts = attempts + 1, lease_owner = ?, lease_until = ?, updated_at = ?
          WHERE kind = 'report' AND invoice_counter = ?`,
  loseInFlight: `UPDATE report_attempts SET outcome = 'lost', finished_at = ?, message = 'the worker stopped before the answer was recorded'
          WHERE invoice_counter = ? AND outcome = 'in_flight'`,
  priorAttempts: 'SELECT COUNT(*) AS n FROM report_attempts WHERE invoice_counter = ?',
  beginAttempt: `INSERT INTO report_attempts (invoice_counter, irn, worker, idempotency_key, started_at, outcome)
         VALUES (?, ?, ?, ?, ?, 'in_flight')`,
  /** Recording an answer: is the lease still ours, the attempt's end, the job's new state. */
  held: `SELECT 1 FROM outbox WHERE kind = 'report' AND invoice_counter = ? AND status = 'sending' AND lease_owner = ?`,
  endAttempt: `UPDATE report_attempts SET outcome = ?, finished_at = ?, http_status = ?, message = ?, details = ? WHERE id = ?`,
  markDone: `UPDATE outbox SET status = 'done', last_error = NULL, lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE kind = 'report' AND invoice_counter = ?`,
  result: `INSERT INTO report_results (invoice_counter, irn, outcome, reported_at) VALUES (?, ?, ?, ?)
                ON CONFLICT(invoice_counter) DO UPDATE SET outcome = excluded.outcome, reported_at = excluded.reported_at`,
  markRetry: `UPDATE outbox SET status = ?, next_attempt_at = ?, last_error = ?, lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE kind = 'report' AND invoice_counter = ?`,
  markRejected: `UPDATE outbox SET status = 'rejected', last_error = ?, lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE kind = 'report' AND invoice_counter = ?`,
  /** A dead worker's leases (through the index of the open report jobs). */
  expireLeases: `UPDATE outbox SET lease_until = @now WHERE kind = 'report' AND status = 'sending' AND lease_owner = @worker AND lease_until > @now`,
  nextDueAt: `SELECT MIN(next_attempt_at) AS t FROM outbox WHERE kind = 'report' AND status IN ('pending', 'retrying')`,
} as const;

export type ReportState = 'pending' | 'sending' | 'retrying' | 'done' | 'rejected' | 'dead' | 'not_reportable';

const DemoJobRow = z.object({ counter: col.int, irn: col.text });
const TimeRow = z.object({ t: col.int.nullable() });
const StatusCountRow = z.object({ status: col.text, n: col.int });
const LastErrorRow = z.object({ last_error: col.text });
const StateRow = z.object({
  status: z.enum(['pending', 'sending', 'retrying', 'done', 'rejected', 'dead']),
  outcome: col.text.nullable(),
});
const ResultRow = z.object({ outcome: z.enum(['signed', 'confirmed', 'not_reportable']), reported_at: col.int });

/** The idempotency key for a request about an IRN: the same on every retry, after any crash. */
export function idempotencyKey(irn: string, step: string): string {
  return `tpos:${step}:${irn}`;
}

export class ReportJobs {
  constructor(
    readonly db: Db,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** A claimed job's FIRS JSON, read back from the stored body. */
  private invoiceJson(counter: number): string {
    const row = one(
      z.object({ dictionary_id: col.int, body: z.instanceof(Buffer) }),
      'report invoice',
      this.sql(REPORT_SQL.invoiceJson),
      counter,
    );
    if (!row) throw new Error(`ledger: report job for counter ${counter} has no invoice`);
    return decodeBody(this.db, row.dictionary_id, row.body).invoice_json;
  }

  private sql(text: string): Statement {
    return prepared(this.db, text);
  }

  /**
   * Claims up to `limit` due jobs, B2B first (clearance is awaited by a buyer), then oldest first.
   * A 'sending' job whose lease ran out belongs to a worker that died: it is due again.
   * Demo invoices are settled here as not reportable, never sent.
   */
  claim(worker: string, limit: number, leaseMs: number): ReportJob[] {
    // A plain read first: an idle poll must not take the ledger's write lock beside the till.
    if (!this.anyClaimable()) return [];
    // The bodies are read and inflated after the commit: an issued invoice never changes, and
    // the write lock (which the till's sale waits for) is held only for the lease bookkeeping.
    return this.withBodies(this.db.transaction(() => this.take(worker, limit, leaseMs)).immediate());
  }

  /** Whether a claim could find anything (a plain read, no lock). */
  anyClaimable(): boolean {
    return this.claimable(this.now(), 1).length > 0 || this.demoWaiting();
  }

  /**
   * The lease bookkeeping of a claim, inside the caller's IMMEDIATE transaction (the sync records
   * a batch's answers and claims the next batch in one); withBodies() completes the jobs after
   * the commit.
   */
  take(worker: string, limit: number, leaseMs: number): ClaimedJob[] {
    const now = this.now();
    this.settleDemo(now);
    const rows = this.claimable(now, limit);
    const take = this.sql(REPORT_SQL.take);
    const lose = this.sql(REPORT_SQL.loseInFlight);
    const prior = this.sql(REPORT_SQL.priorAttempts).pluck();
    const begin = this.sql(REPORT_SQL.beginAttempt);
    return rows.map((r) => {
      take.run(worker, now + leaseMs, now, r.counter);
      lose.run(now, r.counter);
      const uncertain = (prior.get(r.counter) as number) > 0;
      const key = idempotencyKey(r.irn, 'sign');
      const attemptId = Number(begin.run(r.counter, r.irn, worker, key, now).lastInsertRowid);
      return {
        counter: r.counter,
        irn: r.irn,
        b2b: r.b2b === 1,
        source: r.source,
        issuedAt: r.issued_at,
        attempts: r.attempts + 1,
        uncertain,
        attemptId,
        idempotencyKey: key,
        claimedFrom: r.status,
      };
    });
  }

  /** Claimed jobs with their invoice JSON (read outside the claim's transaction). */
  withBodies(claimed: ClaimedJob[]): ReportJob[] {
    return claimed.map((j) => ({ ...j, invoiceJson: this.invoiceJson(j.counter) }));
  }

  /**
   * Up to `limit` claimable jobs, B2B first, then oldest first. Each (status, B2B) stream is an
   * index range read at most `limit` rows deep, so a claim costs the same on any ledger size.
   */
  private claimable(now: number, limit: number): ClaimRow[] {
    const due = this.sql(REPORT_SQL.claimDue);
    const rows: ClaimRow[] = [];
    for (const b2b of [1, 0]) {
      for (const status of ['pending', 'retrying']) rows.push(...(due.all({ status, b2b, now, limit }) as ClaimRow[]));
      if (rows.length >= limit) break; // enough B2B: B2C waits for the next claim
    }
    rows.push(...(this.sql(REPORT_SQL.claimExpired).all({ now, limit }) as ClaimRow[]));
    return rows.sort((a, b) => b.b2b - a.b2b || a.counter - b.counter).slice(0, limit);
  }

  private demoWaiting(): boolean {
    return this.sql(REPORT_SQL.demoWaiting).get() !== undefined;
  }

  private settleDemo(now: number): void {
    const demo = many(
      DemoJobRow,
      'demo report jobs',
      this.sql(
        `SELECT o.invoice_counter AS counter, i.irn FROM outbox o JOIN invoices i ON i.counter = o.invoice_counter
        WHERE o.kind = 'report' AND o.status IN ('pending', 'retrying', 'sending') AND i.source = 'demo'`,
      ),
    );
    for (const d of demo) {
      this.sql(
        `UPDATE outbox SET status = 'done', last_error = NULL, lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE kind = 'report' AND invoice_counter = ?`,
      ).run(now, d.counter);
      this.sql(`INSERT OR IGNORE INTO report_results (invoice_counter, irn, outcome, reported_at) VALUES (?, ?, 'not_reportable', ?)`).run(
        d.counter,
        d.irn,
        now,
      );
    }
  }

  /**
   * Ends the leases of one worker now (its thread died): its jobs are claimable at once, and their
   * earlier attempt makes the next claim confirm before signing (exactly once).
   */
  expireLeases(worker: string): number {
    const now = this.now();
    return this.sql(REPORT_SQL.expireLeases).run({ now: now - 1, worker }).changes;
  }

  /** Extends a lease (a slow platform must not let another worker take the job). */
  renew(job: ReportJob, worker: string, leaseMs: number): boolean {
    const r = this.sql(
      `UPDATE outbox SET lease_until = ? WHERE kind = 'report' AND invoice_counter = ? AND status = 'sending' AND lease_owner = ?`,
    ).run(this.now() + leaseMs, job.counter, worker);
    return r.changes === 1;
  }

  /**
   * Applies the end of an attempt, only if this worker still holds the lease: a worker whose
   * lease was taken over records its attempt as lost and leaves the job to the new holder.
   */
  private finish(job: ReportJob, worker: string, attemptOutcome: string, outcome: Outcome, jobUpdate: () => number): boolean {
    const record = (): boolean => {
      const now = this.now();
      const held = this.sql(REPORT_SQL.held).get(job.counter, worker);
      const final = held ? jobUpdate() === 1 : false;
      this.sql(REPORT_SQL.endAttempt).run(
        final ? attemptOutcome : 'lost',
        now,
        outcome.httpStatus ?? null,
        final ? (outcome.message ?? null) : `lease lost before the answer was recorded: ${outcome.message ?? attemptOutcome}`,
        outcome.details ?? null,
        job.attemptId,
      );
      return final;
    };
    // Inside the sync's batch transaction (recordAndClaim) no savepoint per job: a failure rolls
    // the whole batch back, which is recoverable (the leases run out, the next claim confirms).
    return this.db.inTransaction ? record() : this.db.transaction(record).immediate();
  }

  /** Reported: signed now, or found already signed on the platform (confirmed). */
  done(job: ReportJob, worker: string, how: 'signed' | 'confirmed', outcome: Outcome = {}): boolean {
    return this.finish(job, worker, how, outcome, () => {
      const now = this.now();
      const r = this.sql(REPORT_SQL.markDone).run(now, job.counter);
      this.sql(REPORT_SQL.result).run(job.counter, job.irn, how, now);
      return r.changes;
    });
  }

  /** A retryable failure: back off, or dead-letter after `maxAttempts`. */
  retry(job: ReportJob, worker: string, delayMs: number, maxAttempts: number, outcome: Outcome): 'retrying' | 'dead' | 'lost' {
    const dead = job.attempts >= maxAttempts;
    const ok = this.finish(
      job,
      worker,
      dead ? 'dead' : 'retrying',
      outcome,
      () =>
        this.sql(REPORT_SQL.markRetry).run(
          dead ? 'dead' : 'retrying',
          this.now() + delayMs,
          outcome.message ?? null,
          this.now(),
          job.counter,
        ).changes,
    );
    return ok ? (dead ? 'dead' : 'retrying') : 'lost';
  }

  /**
   * Credentials refused: the job goes back, due at once and without counting against it (it did
   * nothing wrong). The pause is the sender's (in memory), so new credentials, or another
   * process started with them, can send it straight away.
   */
  pauseForAuth(job: ReportJob, worker: string, outcome: Outcome): boolean {
    // Back to the status it was claimed from: a credentials problem changes no invoice's state.
    const status = job.claimedFrom === 'pending' ? 'pending' : 'retrying';
    return this.finish(
      job,
      worker,
      'auth',
      outcome,
      () =>
        this.sql(
          `UPDATE outbox SET status = ?, attempts = MAX(0, attempts - 1), next_attempt_at = ?, last_error = ?, lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE kind = 'report' AND invoice_counter = ?`,
        ).run(status, this.now(), outcome.message ?? null, this.now(), job.counter).changes,
    );
  }

  /**
   * The platform holds this IRN with other content: held as rejected (never done, never retried on
   * its own), with the platform's record kept for the alarm and for support.
   */
  collision(job: ReportJob, worker: string, outcome: Outcome, platformRecord: string): boolean {
    return this.finish(job, worker, 'rejected', outcome, () => {
      const now = this.now();
      const r = this.sql(
        `UPDATE outbox SET status = 'rejected', last_error = ?, lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE kind = 'report' AND invoice_counter = ?`,
      ).run(outcome.message ?? null, now, job.counter);
      this.sql(
        `INSERT INTO report_collisions (invoice_counter, irn, differences, platform_record, detected_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(invoice_counter) DO UPDATE SET differences = excluded.differences, platform_record = excluded.platform_record, detected_at = excluded.detected_at`,
      ).run(job.counter, job.irn, outcome.details ?? '', platformRecord, now);
      return r.changes;
    });
  }

  /** The platform refused the content: kept for the manager (fix and requeue, or a credit note). */
  reject(job: ReportJob, worker: string, outcome: Outcome): boolean {
    return this.finish(
      job,
      worker,
      'rejected',
      outcome,
      () => this.sql(REPORT_SQL.markRejected).run(outcome.message ?? null, this.now(), job.counter).changes,
    );
  }

  /** Puts a rejected or dead job back in the queue. Returns false when there is none for the IRN. */
  requeue(irn: string): boolean {
    this.sql('DELETE FROM report_collisions WHERE irn = ?').run(irn); // asked again: the platform decides again
    const r = this.sql(
      `UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, updated_at = ?
        WHERE kind = 'report' AND status IN ('rejected', 'dead') AND invoice_counter = (SELECT counter FROM invoices WHERE irn = ?)`,
    ).run(this.now(), this.now(), irn);
    return r.changes === 1;
  }

  /** Every waiting job becomes due now (network back, credentials renewed, or the manager asked). */
  retryNow(): number {
    const now = this.now();
    return this.sql(
      `UPDATE outbox SET next_attempt_at = ?, updated_at = ? WHERE kind = 'report' AND status IN ('pending', 'retrying') AND next_attempt_at > ?`,
    ).run(now, now, now).changes;
  }

  /** When the next waiting job becomes due (ms), or null when none waits. */
  nextDueAt(): number | null {
    return one(TimeRow, 'next report due', this.sql(REPORT_SQL.nextDueAt))!.t;
  }

  counts(): QueueCounts {
    const rows = many(StatusCountRow, 'report counts', this.sql(REPORT_SQL.countOpen));
    const demo = many(StatusCountRow, 'demo report counts', this.sql(REPORT_SQL.countDemo));
    const by = (s: string) => (rows.find((r) => r.status === s)?.n ?? 0) - (demo.find((r) => r.status === s)?.n ?? 0);
    // The oldest open B2C receipt: the first of each status's counter-ordered range (issue times
    // follow the counter), the earliest of those.
    const first = this.sql(REPORT_SQL.oldestB2c);
    let oldest: number | null = null;
    for (const status of ['pending', 'sending', 'retrying', 'rejected', 'dead']) {
      const t = one(TimeRow, 'oldest unreported', first, { status })?.t;
      if (t !== undefined && t !== null && (oldest === null || t < oldest)) oldest = t;
    }
    const collisions = one(CountRow, 'report collisions', this.sql(REPORT_SQL.collisions))!.n;
    return {
      queueDepth: by('pending') + by('sending') + by('retrying'),
      rejected: by('rejected'),
      collisions,
      dead: by('dead'),
      oldestUnreportedB2cIssuedAt: oldest,
    };
  }

  lastError(): string | undefined {
    return one(LastErrorRow, 'last report error', this.sql(REPORT_SQL.lastError))?.last_error;
  }

  problems(): Problem[] {
    const rows = this.sql(
      `SELECT i.irn, i.invoice_number, i.counter, o.status, o.attempts, o.last_error AS message, i.issued_at, i.b2b, o.updated_at,
              (SELECT a.details FROM report_attempts a WHERE a.invoice_counter = i.counter AND a.details IS NOT NULL ORDER BY a.id DESC LIMIT 1) AS details,
              (c.invoice_counter IS NOT NULL) AS collision
         FROM outbox o JOIN invoices i ON i.counter = o.invoice_counter
         LEFT JOIN report_collisions c ON c.invoice_counter = i.counter
        WHERE o.kind = 'report' AND o.status IN ('rejected', 'dead')
        ORDER BY o.invoice_counter`,
    ).all() as (Omit<Problem, 'b2b' | 'collision'> & { b2b: number; collision: number })[];
    return rows.map((r) => ({ ...r, b2b: r.b2b === 1, collision: r.collision === 1 }));
  }

  attempts(irn: string): AttemptRow[] {
    return this.sql(
      `SELECT id, irn, worker, idempotency_key, started_at, finished_at, outcome, http_status, message, details FROM report_attempts WHERE irn = ? ORDER BY id`,
    ).all(irn) as AttemptRow[];
  }

  /** The report state of one invoice, including 'not_reportable' for demo invoices. */
  state(irn: string): ReportState | undefined {
    const r = one(
      StateRow,
      'report state',
      this.sql(
        `SELECT o.status, rr.outcome FROM invoices i JOIN outbox o ON o.invoice_counter = i.counter AND o.kind = 'report'
         LEFT JOIN report_results rr ON rr.invoice_counter = i.counter WHERE i.irn = ?`,
      ),
      irn,
    );
    if (!r) return undefined;
    if (r.outcome === 'not_reportable' || (r.status !== 'done' && this.isDemo(irn))) return 'not_reportable';
    return r.status;
  }

  /** The report state with when it was reported (B2B: when it was cleared) and how. */
  result(
    irn: string,
  ): { state: ReportState; reportedAt: number | null; how: 'signed' | 'confirmed' | 'not_reportable' | null } | undefined {
    const state = this.state(irn);
    if (!state) return undefined;
    const r = one(
      ResultRow,
      'report result',
      this.sql(
        `SELECT rr.outcome, rr.reported_at FROM report_results rr JOIN invoices i ON i.counter = rr.invoice_counter WHERE i.irn = ?`,
      ),
      irn,
    );
    return { state, reportedAt: r?.reported_at ?? null, how: r?.outcome ?? null };
  }

  private isDemo(irn: string): boolean {
    return this.sql(`SELECT 1 FROM invoices WHERE irn = ? AND source = 'demo'`).get(irn) !== undefined;
  }
}
