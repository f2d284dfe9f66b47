// Reports one claimed job to FIRS/NRS: confirm first when an earlier attempt may have reached
// the platform, check the codes locally, validate, then sign. A duplicate answer is confirmed
// and counted done: a report is never submitted as a second, distinct invoice.
import type { FirsClient } from '../firs/firs-client';
import { FirsError } from '../firs/errors';
import type { CodeLists } from '../firs/code-lists';
import { idempotencyKey, type ReportJobs, type ReportJob } from '../ledger/report-jobs';
import { backoffDelay, type BackoffPolicy } from './backoff';

export type JobResult =
  | { kind: 'done'; how: 'signed' | 'confirmed' }
  | { kind: 'rejected'; message: string; details?: string | undefined }
  | { kind: 'retrying' | 'dead'; error: FirsError }
  | { kind: 'auth'; error: FirsError }
  | { kind: 'lost' };

export interface WorkerDeps {
  client: FirsClient;
  jobs: ReportJobs;
  codeLists: CodeLists;
  worker: string;
  policy: BackoffPolicy;
  random?: () => number;
}

export async function reportJob(job: ReportJob, d: WorkerDeps): Promise<JobResult> {
  const done = (how: 'signed' | 'confirmed', httpStatus?: number): JobResult =>
    d.jobs.done(job, d.worker, how, { httpStatus, message: how === 'confirmed' ? 'already on the platform (confirmed)' : 'signed' }) ? { kind: 'done', how } : { kind: 'lost' };
  try {
    if (job.uncertain && (await d.client.confirm(job.irn))) return done('confirmed', 200);

    const invoice: unknown = JSON.parse(job.invoiceJson);
    const problems = d.codeLists.check(invoice);
    if (problems.length > 0) {
      const message = `not sent: the invoice does not pass the FIRS code lists: ${problems[0]}`;
      return d.jobs.reject(job, d.worker, { message, details: problems.join('; ') }) ? { kind: 'rejected', message, details: problems.join('; ') } : { kind: 'lost' };
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
    switch (err.kind) {
      case 'rejected':
        return d.jobs.reject(job, d.worker, outcome) ? { kind: 'rejected', message: err.message, details: err.details } : { kind: 'lost' };
      case 'auth':
        return d.jobs.pauseForAuth(job, d.worker, outcome) ? { kind: 'auth', error: err } : { kind: 'lost' };
      default: {
        const delay = backoffDelay(job.attempts, d.policy, d.random, err.extra.retryAfterMs);
        const r = d.jobs.retry(job, d.worker, delay, d.policy.maxAttempts, outcome);
        return r === 'lost' ? { kind: 'lost' } : { kind: r, error: err };
      }
    }
  }
}
