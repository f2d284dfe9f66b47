// The background sync: drains the FIRS report jobs (and, when configured, uploads to the
// TaxPoynt cloud) beside the till without slowing it: async I/O only, one small transaction per
// claim and per answer. Offline, it stops sending and probes health; when the platform answers
// again the queue resumes on its own, oldest first, within the rate limit.
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { secondConnection, type Db } from '../ledger/database';
import { changeVersion } from '../ledger/change-version';
import { idempotencyKey, ReportJobs, type AttemptRow, type ClaimedJob, type Problem, type ReportJob } from '../ledger/report-jobs';
import { PaymentOutbox } from '../ledger/payment-outbox';
import type { PaymentUpdate } from '../firs/wire';
import { InvalidInput } from '../../shared/domain/sale';
import { FirsClient, type FirsConfig } from '../firs/firs-client';
import { CodeLists } from '../firs/code-lists';
import { FirsError } from '../firs/errors';
import { backoffDelay, REPORT_BACKOFF, type BackoffPolicy } from '../net/retry';
import { TokenBucket } from './token-bucket';
import { syncTuning } from './sync-tuning';
import { SteadyClock } from './report-clock';
import type { ClockLevel } from './report-clock';
import { queueStatus, type QueueStatus } from './queue-status';
import { apply, decide, type Decision, type JobResult } from './report-worker';
import { CloudUploader, type CloudConfig } from '../cloud/cloud-uploader';
import { Ledger } from '../ledger/ledger';
import { profileGaps, type Business } from '../../shared/domain/business';

export interface SyncStatus extends QueueStatus {
  online: boolean;
  /** Sending is paused until the FIRS credentials are fixed (or retryNow). */
  authPaused: boolean;
  /** Sending is paused until setup completes the NRS v1.1 profile: the missing fields. */
  profileGaps?: string[];
  cloud?: { pending: number; rejected: number; lastError?: string };
}

export type SyncLog = (level: 'info' | 'warn' | 'error', message: string) => void;

export interface SyncOptions {
  db: Db;
  ledger: Ledger;
  firs: FirsConfig;
  cloud?: CloudConfig | undefined;
  now?: () => Date;
  /** Identifies this worker in leases and attempts. */
  workerId?: string;
  /** Jobs sent at once (default and bounds: sync-tuning.ts). */
  concurrency?: number;
  /** How often to look for new jobs when idle (jobs may be written by another process). */
  pollMs?: number;
  /** How long a claimed job is ours; must outlast a job's requests (3 × timeout). */
  leaseMs?: number;
  backoff?: Partial<BackoffPolicy>;
  /** While offline: how often to ask GET /api whether the platform is back. */
  probeMs?: number;
  /** After the platform refused our credentials: how long before trying one job again. */
  authPauseMs?: number;
  /** The token bucket (default and bounds: sync-tuning.ts; the app reads them from the app.sync setting). */
  ratePerSec?: number;
  burst?: number;
  codeListMaxAgeMs?: number;
  log?: SyncLog;
  random?: () => number;
  /**
   * Use a second connection to the ledger file with synchronous=NORMAL (default true): the sync's
   * many small commits then skip the fsync that the till's own commits pay on the same thread.
   * Safe because every report step is recoverable: a record lost to a power cut is redone, and a
   * replay is recognised by confirm/duplicate (see report-worker.ts).
   */
  ownConnection?: boolean;
}

/** A second connection to the same ledger file for the sync (an in-memory database is shared). */
export function syncConnection(db: Db): Db {
  return secondConnection(db, { durability: 'normal' }); // WAL: durable at checkpoint, never corrupt
}

const CHANGE_THROTTLE_MS = 100;

/** Reports per sending lane (see sendLanes). */
const LANE_SIZE = 16;

/**
 * An idle pass whose ledger has not changed since the last pass found nothing is skipped (two
 * PRAGMAs instead of the claim, payment and profile queries), up to this long: time alone makes
 * a retry due (known: nextDueAt), a payment update's backoff end or a dead worker's lease run out.
 */
const QUIET_MAX_MS = 10_000;

/** Retryable failures in a row before the circuit breaker rests the platform. */
const TRIP_AFTER = 3;

/** What the strip, the CLI and the log say while the profile lacks NRS v1.1 fields. */
export function profileMessage(gaps: string[]): string {
  return `reporting paused: the business profile lacks what NRS v1.1 requires (${gaps.join(', ')}); run \`taxpoynt-pos setup\` with --street --city --postal-zone --state --lga and --default-hs-code or --default-isic-code (or the setup wizard)`;
}

const defaultLog: SyncLog = (level, message) => process.stderr.write(`[sync] ${level}: ${message}\n`);

export class SyncService {
  /** While running: the sync's own connection to the ledger file (see syncConnection); else the app's. */
  private conn!: Db;
  private jobs!: ReportJobs;
  private payments!: PaymentOutbox;
  private readonly client: FirsClient;
  private codeLists!: CodeLists;
  private cloud: CloudUploader | undefined;
  private readonly bucket: TokenBucket;
  private readonly events = new EventEmitter();
  private readonly now: () => number;
  /** For the 24-hour age only: does not fall back with the wall clock. */
  private readonly steady: SteadyClock;
  private readonly opts: Required<
    Pick<SyncOptions, 'concurrency' | 'pollMs' | 'leaseMs' | 'probeMs' | 'authPauseMs' | 'codeListMaxAgeMs'>
  > & { policy: BackoffPolicy };
  private readonly log: SyncLog;
  readonly workerId: string;

  private running = false;
  /** runOnce() in progress (it drains without start()). */
  private oneShot = false;
  private loops: Promise<void>[] = [];
  private readonly waiters = new Set<() => void>();
  private online = true;
  private authPausedUntil = 0;
  /** Circuit breaker: after a run of retryable failures the platform is given a rest, then one job probes it. */
  private consecutiveFailures = 0;
  private restUntil = 0;
  private lastLevel: ClockLevel = 'ok';
  private lastSnapshot = '';
  private changeTimer: ReturnType<typeof setTimeout> | undefined;
  private clockCheckedAt = Number.NEGATIVE_INFINITY;
  private lastError: string | undefined;
  private codeListsFetchedAt = 0;
  private profile: Business | undefined;
  private profileReadAt = Number.NEGATIVE_INFINITY;
  /** After a pass that found nothing: the ledger's change version then, and until when nothing can come due. */
  private quiet: { version: string; until: number } | undefined;

  constructor(private readonly o: SyncOptions) {
    const nowDate = o.now ?? (() => new Date());
    this.now = () => nowDate().getTime();
    this.steady = new SteadyClock(this.now);
    this.client = new FirsClient(o.firs);
    this.bind(o.db);
    const tuning = syncTuning({
      ...(o.ratePerSec !== undefined ? { ratePerSec: o.ratePerSec } : {}),
      ...(o.burst !== undefined ? { burst: o.burst } : {}),
      ...(o.concurrency !== undefined ? { concurrency: o.concurrency } : {}),
    });
    this.bucket = new TokenBucket(tuning.ratePerSec, tuning.burst);
    this.log = o.log ?? defaultLog;
    this.workerId = o.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.opts = {
      concurrency: tuning.concurrency,
      pollMs: o.pollMs ?? 1_000,
      leaseMs: o.leaseMs ?? 120_000,
      probeMs: o.probeMs ?? 15_000,
      authPauseMs: o.authPauseMs ?? 15 * 60_000,
      codeListMaxAgeMs: o.codeListMaxAgeMs ?? 24 * 3600_000,
      policy: { ...REPORT_BACKOFF, ...o.backoff },
    };
  }

  on(event: 'change', cb: (status: SyncStatus) => void): () => void {
    this.events.on(event, cb);
    return () => this.events.off(event, cb);
  }

  private bind(conn: Db): void {
    this.conn = conn;
    this.jobs = new ReportJobs(conn, this.now);
    this.payments = new PaymentOutbox(conn, this.now);
    this.codeLists = new CodeLists(conn, this.now);
    this.cloud = this.o.cloud ? new CloudUploader(conn, this.o.cloud, this.now) : undefined;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    if (this.o.ownConnection !== false) this.bind(syncConnection(this.o.db));
    this.loops = [this.reportLoop()];
    if (this.cloud) this.loops.push(this.cloudLoop());
  }

  /** Stops taking new work and waits for the requests in flight to be answered and recorded. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await Promise.all(this.loops);
    this.loops = [];
    const own = this.conn;
    if (own !== this.o.db) {
      this.bind(this.o.db);
      own.close();
    }
    if (this.o.db.open) this.emitChange(); // the final state, at once
  }

  /** Same as stop(): kept for callers that think of it as releasing resources. */
  async close(): Promise<void> {
    await this.stop();
  }

  /** New work may be waiting (an invoice was just issued, e.g. a B2B one): look now. */
  wake(): void {
    this.quiet = undefined;
    for (const w of [...this.waiters]) w();
  }

  status(): SyncStatus {
    const q = queueStatus(this.jobs, this.steady.now());
    const lastError = this.lastError ?? q.lastError;
    const s: SyncStatus = {
      online: this.online,
      queueDepth: q.queueDepth,
      oldestUnreportedAgeS: q.oldestUnreportedAgeS,
      level: q.level,
      failures: q.failures,
      deadLetters: q.deadLetters,
      collisions: q.collisions,
      ...(lastError ? { lastError } : {}),
      authPaused: this.authPausedUntil > this.now(),
    };
    const gaps = this.profileGapsNow();
    if (gaps.length > 0) {
      s.profileGaps = gaps;
      s.lastError = profileMessage(gaps);
    }
    if (q.collisions > 0) s.lastError = `${q.collisions} IRN collision(s): ${q.lastError ?? 'see sync-problems'}`;
    if (this.cloud) s.cloud = this.cloud.status();
    return s;
  }

  /** Pushes the status to listeners now if it changed since the last push (cheap when nothing was written). */
  refresh(): void {
    this.emitChange();
  }

  /** Everything waiting becomes due now, and a credentials pause ends (the manager asked). */
  retryNow(): number {
    this.authPausedUntil = 0;
    this.restUntil = 0;
    this.consecutiveFailures = 0;
    this.online = true;
    const n = this.jobs.retryNow();
    this.cloud?.retryNow();
    this.wake();
    this.changed();
    return n;
  }

  /** Puts a rejected or dead report back in the queue. */
  requeue(irn: string): boolean {
    const ok = this.jobs.requeue(irn);
    if (ok) {
      this.wake();
      this.changed();
    }
    return ok;
  }

  listProblems(): Problem[] {
    return this.jobs.problems();
  }

  attempts(irn: string): AttemptRow[] {
    return this.jobs.attempts(irn);
  }

  /**
   * PATCH the payment status of a reported invoice on the platform (e.g. a B2B invoice paid
   * later). Online only: throws FirsError (kind says why) when the platform refuses or is down.
   */
  async updatePaymentStatus(irn: string, update: PaymentUpdate): Promise<void> {
    const state = this.jobs.state(irn);
    if (state === undefined) throw new InvalidInput(`IRN: no invoice ${irn} in this ledger`);
    if (state !== 'done')
      throw new InvalidInput(`IRN: ${irn} is not reported yet (${state}); its payment status can be updated once it is`);
    await this.client.updatePayment(irn, update, `${idempotencyKey(irn, 'payment')}:${update.payment_status}:${update.reference ?? ''}`);
  }

  /**
   * Queued payment-status updates (a CRM deal marked paid) whose invoice is reported: each sent
   * once with its idempotency key, marked done; a transient failure is retried with the report
   * backoff, a refusal is kept (dead) with the platform's message.
   */
  private async sendPaymentUpdates(): Promise<number> {
    let sent = 0;
    for (const job of this.payments.due()) {
      if (!(await this.bucket.take(() => this.running || this.oneShot))) break;
      const update = { payment_status: job.paymentStatus, ...(job.reference ? { reference: job.reference } : {}) };
      try {
        await this.client.updatePayment(
          job.irn,
          update,
          `${idempotencyKey(job.irn, 'payment')}:${job.paymentStatus}:${job.reference ?? ''}`,
        );
        this.payments.done(job.irn, job.paymentStatus);
        sent++;
      } catch (e) {
        if (!(e instanceof FirsError)) throw e;
        const retry =
          e.kind === 'retryable' || e.kind === 'auth'
            ? this.now() + backoffDelay(job.attempts, this.opts.policy, this.o.random, e.extra.retryAfterMs)
            : undefined;
        this.payments.failed(job.irn, job.paymentStatus, `${e.kind}: ${e.message}`, retry);
        this.log('warn', `payment status ${job.paymentStatus} for ${job.irn}: ${e.message}`);
        if (e.kind === 'retryable' || e.kind === 'auth') break;
      }
    }
    if (sent) this.changed();
    return sent;
  }

  /** One invoice's report state and when it was reported (a B2B invoice: cleared). */
  reportState(irn: string): ReturnType<ReportJobs['result']> {
    return this.jobs.result(irn);
  }

  /**
   * One pass for scripts (`taxpoynt-pos sync --once`): drain every job due now, then return.
   * Stops early when the platform is unreachable or refuses the credentials.
   */
  async runOnce(): Promise<{ sent: number; results: Record<JobResult['kind'], number> }> {
    const results: Record<JobResult['kind'], number> = { done: 0, rejected: 0, collision: 0, retrying: 0, dead: 0, auth: 0, lost: 0 };
    let sent = 0;
    this.oneShot = true;
    try {
      this.readProfile(true);
      if (this.profileGapsNow().length > 0) {
        this.log('warn', profileMessage(this.profileGapsNow()));
        return { sent, results };
      }
      await this.refreshCodeLists();
      for (;;) {
        if (this.authPausedUntil > this.now()) break; // the platform refused the key: claim nothing
        const batch = await this.processBatch();
        for (const r of batch) results[r.kind]++;
        sent += batch.length;
        const rateLimited = batch.some((r) => (r.kind === 'retrying' || r.kind === 'dead') && r.error.extra.retryAfterMs !== undefined);
        if (batch.length === 0 || rateLimited || !this.online || this.authPausedUntil > this.now() || this.restUntil > this.now()) break;
      }
      if (this.online && this.authPausedUntil <= this.now()) await this.sendPaymentUpdates();
    } finally {
      this.oneShot = false;
    }
    if (this.cloud) await this.cloud.runOnce().catch((e: unknown) => this.log('warn', `cloud upload: ${(e as Error).message}`));
    this.changed();
    return { sent, results };
  }

  // ---------- the loops ----------

  private async reportLoop(): Promise<void> {
    await this.probe();
    while (this.running) {
      try {
        this.checkClock();
        if (!this.online) {
          if (await this.probe()) {
            this.online = true;
            const n = this.jobs.retryNow(); // the network is back: no job waits out its backoff
            this.log('info', `FIRS reachable again: resuming (${n} waiting jobs due now)`);
            this.changed();
            continue;
          }
          await this.idle(this.opts.probeMs);
          continue;
        }
        if (this.authPausedUntil > this.now()) {
          await this.idle(Math.min(this.opts.probeMs, this.authPausedUntil - this.now()));
          continue;
        }
        if (this.restUntil > this.now()) {
          await this.idle(this.restUntil - this.now());
          continue;
        }
        if (this.quiet && this.now() < this.quiet.until && changeVersion(this.conn) === this.quiet.version) {
          await this.idle(Math.min(this.opts.pollMs, this.quiet.until - this.now()));
          continue; // nothing written since the last pass found nothing, and nothing came due
        }
        this.quiet = undefined;
        this.readProfile();
        const gaps = this.profileGapsNow();
        if (gaps.length > 0) {
          // An existing ledger set up before NRS v1.1: nothing is sent until setup completes it.
          if (this.lastError !== profileMessage(gaps)) {
            this.lastError = profileMessage(gaps);
            this.log('warn', this.lastError);
            this.changed();
          }
          await this.idle(this.opts.pollMs);
          continue;
        }
        await this.refreshCodeLists();
        const batch = await this.sendLanes();
        const paymentsSent = await this.sendPaymentUpdates();
        if (batch.length === 0 && paymentsSent === 0) {
          // Sooner than the poll only for a retry coming due; a job due but not claimable (a credit
          // note waiting for its original) must not make this spin.
          const due = this.jobs.nextDueAt();
          const now = this.now();
          // The version after this pass's own writes (demo jobs settled): only a later write breaks the quiet.
          this.quiet = {
            version: changeVersion(this.conn),
            until: due !== null && due > now ? Math.min(due, now + QUIET_MAX_MS) : now + QUIET_MAX_MS,
          };
          await this.idle(due !== null && due > now ? Math.max(10, Math.min(this.opts.pollMs, due - now)) : this.opts.pollMs);
        }
      } catch (e) {
        // A bug or a database problem must not end the loop silently: log, wait, carry on.
        this.lastError = `sync: ${(e as Error).message}`;
        this.log('error', this.lastError);
        await this.idle(this.opts.pollMs);
      }
    }
  }

  private async cloudLoop(): Promise<void> {
    const cloud = this.cloud!;
    while (this.running) {
      let wait = this.opts.pollMs;
      try {
        const r = await cloud.runOnce();
        if (r.sent > 0) {
          wait = 0;
          this.changed();
        }
      } catch (e) {
        this.log('warn', `cloud upload: ${(e as Error).message}`);
        wait = Math.max(this.opts.pollMs, cloud.backoffMs());
        this.changed();
      }
      if (wait > 0 && this.running) await this.idle(wait);
    }
  }

  /**
   * Sends batches until nothing is due, in LANE_SIZE-report lanes that each claim their next batch
   * as soon as their last one is answered: one batch waits for its slowest report, so a single
   * lane of `concurrency` reports would leave the platform idle between batches (at 20 ms a round
   * trip that capped the drain at ~concurrency / 45 ms). Returns the first round's results
   * (empty: nothing was due). With concurrency ≤ LANE_SIZE there is one lane.
   */
  private async sendLanes(): Promise<JobResult[]> {
    const lanes = Math.ceil(this.opts.concurrency / LANE_SIZE);
    const perLane = Math.ceil(this.opts.concurrency / lanes);
    const firsts = await Promise.all(Array.from({ length: lanes }, () => this.lane(perLane)));
    return firsts.flat();
  }

  private sendable(): boolean {
    return this.running && this.online && this.authPausedUntil <= this.now() && this.restUntil <= this.now();
  }

  /**
   * One lane: claim a batch, send it, then record its answers and claim the next batch in ONE
   * write transaction (half the write transactions the till's sales queue behind, issue 15).
   * Returns the first batch's results.
   */
  private async lane(size: number): Promise<JobResult[]> {
    let first: JobResult[] | undefined;
    let batch = await this.claimBatch(size);
    while (batch.length > 0) {
      const decisions = await this.decideAll(batch);
      // The next batch's first token, if one is at hand: a wait for it (a Retry-After) must not
      // hold these answers unrecorded.
      const more = this.bucket.tryTake();
      const { results, next, rateLimited } = this.recordAndClaim(batch, decisions, more ? size : 0);
      if (more && next.length === 0 && !rateLimited) this.bucket.giveBack();
      first ??= results;
      if (more) batch = next;
      else batch = this.sendable() ? await this.claimBatch(size) : [];
    }
    return first ?? [];
  }

  /** Used by runOnce: claim, send and record one batch. */
  private async processBatch(size = this.opts.concurrency): Promise<JobResult[]> {
    const batch = await this.claimBatch(size);
    if (batch.length === 0) return [];
    return this.recordAndClaim(batch, await this.decideAll(batch), 0).results;
  }

  /** Takes the first token, then claims up to `size` jobs (one while the circuit breaker is tripped). */
  private async claimBatch(size: number): Promise<ReportJob[]> {
    // The first token is taken before claiming: a Retry-After wait then holds no job in 'sending'.
    if (!(await this.bucket.take(() => this.running || this.oneShot))) return [];
    const batch = this.jobs.claim(this.workerId, this.batchLimit(size), this.opts.leaseMs);
    if (batch.length === 0) this.bucket.giveBack();
    return batch;
  }

  /** While the platform keeps failing, one job at a time probes it instead of a full batch. */
  private batchLimit(size: number): number {
    return this.consecutiveFailures >= TRIP_AFTER ? 1 : size;
  }

  private decideAll(batch: ReportJob[]): Promise<Decision[]> {
    const deps = {
      client: this.client,
      codeLists: this.codeLists,
      policy: this.opts.policy,
      ...(this.o.random ? { random: this.o.random } : {}),
      profile: this.profile,
      transmit: this.profile?.transmit_to_buyer === true,
    };
    return Promise.all(
      batch.map(async (job, i) => {
        if (i > 0) await this.bucket.take();
        return decide(job, deps);
      }),
    );
  }

  /**
   * Records a batch's answers (only where this worker still holds the lease) and, when `size` > 0
   * and sending may go on after them, claims the next batch, in one short IMMEDIATE transaction.
   */
  private recordAndClaim(
    batch: ReportJob[],
    decisions: Decision[],
    size: number,
  ): { results: JobResult[]; next: ReportJob[]; rateLimited: boolean } {
    const maxAttempts = this.opts.policy.maxAttempts;
    const { results, taken, rateLimited } = this.conn
      .transaction(() => {
        const results = decisions.map((d) => apply(d, this.jobs, this.workerId, maxAttempts));
        // Online, pauses, the breaker, a Retry-After: they decide whether to claim more now. After
        // a Retry-After nothing is claimed: the wait for tokens must hold no job in 'sending'.
        const rateLimited = this.afterBatch(batch, results);
        const limit = size > 0 && !rateLimited && this.sendable() ? this.batchLimit(size) : 0;
        return { results, rateLimited, taken: limit > 0 ? this.jobs.take(this.workerId, limit, this.opts.leaseMs) : [] };
      })
      .immediate() as { results: JobResult[]; taken: ClaimedJob[]; rateLimited: boolean };
    this.changed();
    return { results, next: this.jobs.withBodies(taken), rateLimited };
  }

  /** The bookkeeping of a batch's results: each job's note, then the circuit breaker. True: the platform sent a Retry-After. */
  private afterBatch(batch: ReportJob[], results: JobResult[]): boolean {
    results.forEach((r, i) => this.note(batch[i]!, r));
    if (this.consecutiveFailures >= TRIP_AFTER) {
      const retryAfter = Math.max(
        0,
        ...results.map((r) => (r.kind === 'retrying' || r.kind === 'dead' ? (r.error.extra.retryAfterMs ?? 0) : 0)),
      );
      this.restUntil =
        this.now() + backoffDelay(this.consecutiveFailures - TRIP_AFTER + 1, this.opts.policy, this.o.random, retryAfter || undefined);
    }
    return results.some((r) => (r.kind === 'retrying' || r.kind === 'dead') && r.error.extra.retryAfterMs !== undefined);
  }

  /** The service's own bookkeeping after a job's answer: online state, pauses, the log. */
  private note(job: ReportJob, r: JobResult): void {
    switch (r.kind) {
      case 'done':
        this.lastError = undefined;
        this.consecutiveFailures = 0;
        break;
      case 'rejected':
        this.consecutiveFailures = 0; // the platform answered properly
        this.log('warn', `${job.irn}: ${r.message}`);
        break;
      case 'auth':
        this.pauseForCredentials(r.error);
        break;
      case 'collision':
        this.consecutiveFailures = 0;
        this.lastError = r.message;
        this.log('error', `${job.irn}: ${r.message}`);
        break;
      case 'retrying':
      case 'dead':
        this.lastError = r.error.message;
        this.consecutiveFailures++;
        if (r.error.network && this.online) {
          this.online = false;
          this.log('warn', `${r.error.message}: offline, reports queue until FIRS answers again`);
        }
        if (r.error.extra.retryAfterMs !== undefined) this.bucket.drain(r.error.extra.retryAfterMs);
        if (r.kind === 'dead') this.log('error', `${job.irn}: dead letter after ${job.attempts} attempts: ${r.error.message}`);
        break;
      case 'lost':
        break;
    }
  }

  /** Asks GET /api; offline keeps the reason for the status line. */
  private async probe(): Promise<boolean> {
    const { reachable, problem } = await this.client.healthCheck();
    const wasOnline = this.online;
    this.online = reachable;
    if (problem && !reachable) {
      this.lastError = problem;
      if (wasOnline) this.log('warn', `${problem}: offline, reports queue until FIRS answers again`);
      this.changed();
    }
    return this.online;
  }

  private async refreshCodeLists(): Promise<void> {
    if (this.now() - this.codeListsFetchedAt < this.opts.codeListMaxAgeMs) return;
    try {
      await this.codeLists.refresh(this.client, this.opts.codeListMaxAgeMs);
      this.codeListsFetchedAt = this.now();
    } catch (e) {
      if (e instanceof FirsError && e.kind === 'auth') this.pauseForCredentials(e);
      // The cached (or shipped) lists stay in use; try again on a later pass.
      this.codeListsFetchedAt = this.now() - this.opts.codeListMaxAgeMs + this.opts.probeMs;
    }
  }

  /**
   * The platform refused the API key: no job is sent (and none changes state) until the
   * credentials change — the app restarts the service with the new ones — or the manager retries.
   */
  private pauseForCredentials(error: FirsError): void {
    const message = `${error.message} Reporting is paused: no invoice changes state; it resumes when the FIRS credentials change.`;
    if (this.authPausedUntil <= this.now()) this.log('error', message);
    this.authPausedUntil = this.now() + this.opts.authPauseMs;
    this.lastError = message;
    this.changed();
  }

  /** The business profile as stored now (setup may complete it while the service runs). */
  private readProfile(force = false): void {
    if (!force && this.now() - this.profileReadAt < 1_000) return;
    this.profileReadAt = this.now();
    try {
      this.profile = new Ledger(this.conn).getBusiness();
    } catch (e) {
      this.log('error', `the business profile cannot be read: ${(e as Error).message}`);
    }
  }

  private profileGapsNow(): string[] {
    return this.profile ? profileGaps(this.profile) : [];
  }

  private checkClock(): void {
    // Once a second is plenty for a 12 h/20 h threshold, and keeps the queries off a busy loop.
    if (this.now() - this.clockCheckedAt < 1_000) return;
    this.clockCheckedAt = this.now();
    const s = this.status();
    if (s.level !== this.lastLevel) {
      const hours = s.oldestUnreportedAgeS === null ? 0 : (s.oldestUnreportedAgeS / 3600).toFixed(1);
      if (s.level === 'alarm')
        this.log('error', `24-hour clock ALARM: the oldest unreported B2C receipt is ${hours} h old (must be reported within 24 h)`);
      else if (s.level === 'warning') this.log('warn', `24-hour clock warning: the oldest unreported B2C receipt is ${hours} h old`);
      else this.log('info', '24-hour clock ok: no B2C receipt is close to its reporting deadline');
      this.lastLevel = s.level;
      this.changed();
    }
  }

  /** Pushes the status to listeners, at most every CHANGE_THROTTLE_MS (status() runs queries). */
  private changed(): void {
    if (this.changeTimer) return;
    this.changeTimer = setTimeout(() => this.emitChange(), CHANGE_THROTTLE_MS);
  }

  private emitChange(): void {
    if (this.changeTimer) clearTimeout(this.changeTimer);
    this.changeTimer = undefined;
    if (!this.conn.open) return;
    const snapshot = this.status();
    const key = JSON.stringify(snapshot);
    if (key === this.lastSnapshot) return;
    this.lastSnapshot = key;
    this.events.emit('change', snapshot);
  }

  private idle(ms: number): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        this.waiters.delete(done);
        resolve();
      };
      const t = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }
}
