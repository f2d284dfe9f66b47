// Reports a claimed job to FIRS/NRS: confirm first when an earlier attempt may have reached
// the platform, check the codes locally, validate, then sign. A duplicate answer is confirmed
// and counted done: a report is never submitted as a second, distinct invoice. The network part
// (decide) and the bookkeeping (apply) are separate so a batch's answers are written together.
import type { FirsClient } from '../firs/firs-client';
import { FirsError } from '../firs/errors';
import type { CodeLists } from '../firs/code-lists';
import { idempotencyKey, type Outcome, type ReportJobs, type ReportJob } from '../ledger/report-jobs';
import { backoffDelay, type BackoffPolicy } from './backoff';

export type JobResult =
  | { kind: 'done'; how: 'signed' | 'confirmed' }
  | { kind: 'rejected'; message: string; details?: string | undefined }
  | { kind: 'retrying' | 'dead'; error: FirsError }
  | { kind: 'auth'; error: FirsError }
  | { kind: 'lost' };

export interface WorkerDeps {
  client: FirsClient;
  codeLists: CodeLists;
  policy: BackoffPolicy;
  random?: () => number;
}

/** What the platform said about one job, before it is written down. */
export type Decision =
  | { job: ReportJob; action: 'done'; how: 'signed' | 'confirmed'; outcome: Outcome }
  | { job: ReportJob; action: 'reject'; outcome: Outcome }
  | { job: ReportJob; action: 'auth'; outcome: Outcome; error: FirsError }
  | { job: ReportJob; action: 'retry'; delayMs: number; outcome: Outcome; error: FirsError };

/** The network part: talks to the platform, writes nothing (see apply). */
export async function decide(job: ReportJob, d: WorkerDeps): Promise<Decision> {
  const done = (how: 'signed' | 'confirmed', httpStatus?: number): Decision =>
    ({ job, action: 'done', how, outcome: { httpStatus, message: how === 'confirmed' ? 'already on the platform (confirmed)' : 'signed' } });
  try {
    if (job.uncertain && (await d.client.confirm(job.irn))) return done('confirmed', 200);

    const invoice: unknown = JSON.parse(job.invoiceJson);
    const problems = d.codeLists.check(invoice);
    if (problems.length > 0) {
      return { job, action: 'reject', outcome: { message: `not sent: the invoice does not pass the FIRS code lists: ${problems[0]}`, details: problems.join('; ') } };
    }

    try {
      await d.client.validate(invoice, idempotencyKey(job.irn, 'validate'));
      await d.client.sign(invoice, job.idempotencyKey);
    } catch (e) {
      if (!(e instanceof FirsError) || e.kind !== 'duplicate') throw e;
      // The platform has this IRN (an earlier answer was lost, or the ledger was restored from a
      // backup): confirm it, then it is done. Never re-submitted under another number.
      if (await d.client.confirm(job.irn)) return done('confirmed', e.status);
      throw new FirsError('retryable', `${e.message} (but confirm/${job.irn} found nothing yet)`, { status: e.status, details: e.details });
    }
    return done('signed', 201);
  } catch (e) {
    const err = e instanceof FirsError ? e : new FirsError('retryable', `report failed: ${(e as Error).message}`);
    const outcome = { httpStatus: err.status, message: err.message, details: err.details };
    if (err.kind === 'rejected') return { job, action: 'reject', outcome };
    if (err.kind === 'auth') return { job, action: 'auth', outcome, error: err };
    return { job, action: 'retry', delayMs: backoffDelay(job.attempts, d.policy, d.random, err.extra.retryAfterMs), outcome, error: err };
  }
}

/** Writes a decision down (only if this worker still holds the job's lease). */
export function apply(dec: Decision, jobs: ReportJobs, worker: string, maxAttempts: number): JobResult {
  switch (dec.action) {
    case 'done':
      return jobs.done(dec.job, worker, dec.how, dec.outcome) ? { kind: 'done', how: dec.how } : { kind: 'lost' };
    case 'reject':
      return jobs.reject(dec.job, worker, dec.outcome) ? { kind: 'rejected', message: dec.outcome.message ?? '', details: dec.outcome.details } : { kind: 'lost' };
    case 'auth':
      return jobs.pauseForAuth(dec.job, worker, dec.outcome) ? { kind: 'auth', error: dec.error } : { kind: 'lost' };
    case 'retry': {
      const r = jobs.retry(dec.job, worker, dec.delayMs, maxAttempts, dec.outcome);
      return r === 'lost' ? { kind: 'lost' } : { kind: r, error: dec.error };
    }
  }
}

/** Decides and applies several jobs' answers in ONE short transaction (less lock time for the till). */
export function applyAll(decisions: Decision[], jobs: ReportJobs, worker: string, maxAttempts: number): JobResult[] {
  return jobs.db.transaction(() => decisions.map((d) => apply(d, jobs, worker, maxAttempts))).immediate();
}
