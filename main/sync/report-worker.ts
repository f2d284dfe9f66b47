// Reports a claimed job to FIRS/NRS: confirm first when an earlier attempt may have reached
// the platform, check the codes locally, validate, then sign (B2B/B2G: that is the clearance;
// then transmit to the buyer when the business enabled it). After ANY refusal, confirm/{IRN}
// decides what it was — the platform's words never do (its generic public_message mentions a
// "duplicate request" on every validation error):
//   the platform has the IRN with our content   → done (an earlier answer was lost);
//   it has the IRN with other content           → IRN collision: alarm, never done;
//   it does not have it                         → rejected, with the platform's `details`.
// The network part (decide) and the bookkeeping (apply) are separate so a batch's answers are
// written together (with the claim of the next batch: SyncService.recordAndClaim).
import { JsonBody, type FirsClient } from '../firs/firs-client';
import { FirsError } from '../firs/errors';
import type { CodeLists } from '../firs/code-lists';
import { matchPlatformRecord } from '../firs/platform-match';
import { idempotencyKey, type Outcome, type ReportJobs, type ReportJob } from '../ledger/report-jobs';
import { backoffDelay, type BackoffPolicy } from '../net/retry';
import { toWireInvoice, type WireProfile } from '../firs/wire-invoice';

export type JobResult =
  | { kind: 'done'; how: 'signed' | 'confirmed' }
  | { kind: 'rejected'; message: string; details?: string | undefined }
  | { kind: 'collision'; message: string }
  | { kind: 'retrying' | 'dead'; error: FirsError }
  | { kind: 'auth'; error: FirsError }
  | { kind: 'lost' };

export interface WorkerDeps {
  client: FirsClient;
  codeLists: CodeLists;
  policy: BackoffPolicy;
  random?: () => number;
  /** The business profile now (fills v1.1 fields an invoice issued before them lacks). */
  profile?: WireProfile | undefined;
  /** After signing a B2B/B2G invoice, POST transmit/{IRN} (the business enabled delivery). */
  transmit?: boolean;
}

/** What the platform said about one job, before it is written down. */
export type Decision =
  | { job: ReportJob; action: 'done'; how: 'signed' | 'confirmed'; outcome: Outcome }
  | { job: ReportJob; action: 'reject'; outcome: Outcome }
  | { job: ReportJob; action: 'collision'; outcome: Outcome; platform: string }
  | { job: ReportJob; action: 'auth'; outcome: Outcome; error: FirsError }
  | { job: ReportJob; action: 'retry'; delayMs: number; outcome: Outcome; error: FirsError };

/** The words the manager sees for a collision: what happened and what to do. */
export function collisionMessage(irn: string, differences: string[]): string {
  return (
    `IRN COLLISION: the platform already holds ${irn} for a DIFFERENT invoice (${differences.join('; ')}). ` +
    'This ledger re-used an invoice number — usually a restored backup, or two tills set up with the same terminal code. ' +
    'Stop issuing on this till, check every till has its own terminal code, and call TaxPoynt support before issuing more; ' +
    'this invoice is NOT reported and will not be retried.'
  );
}

/** The network part: talks to the platform, writes nothing (see apply). */
export async function decide(job: ReportJob, d: WorkerDeps): Promise<Decision> {
  const stored: unknown = JSON.parse(job.invoiceJson);
  const invoice = toWireInvoice(stored, d.profile);
  const done = (how: 'signed' | 'confirmed', httpStatus?: number, note?: string): Decision => ({
    job,
    action: 'done',
    how,
    outcome: { httpStatus, message: note ?? (how === 'confirmed' ? 'already on the platform with our content (confirmed)' : 'signed') },
  });

  /** Asks the platform whether it holds this IRN, and whether with our content. */
  const platformHas = async (): Promise<Decision | 'absent'> => {
    const record = await d.client.confirm(job.irn);
    if (!record) return 'absent';
    let verdict = matchPlatformRecord(invoice, record);
    if (verdict.verdict === 'unknown') {
      const copy = await d.client.download(job.irn);
      if (copy !== null) {
        const fuller = matchPlatformRecord(invoice, copy);
        if (fuller.verdict !== 'unknown' || fuller.compared.length > verdict.compared.length) verdict = fuller;
      }
    }
    if (verdict.verdict === 'theirs') {
      const message = collisionMessage(job.irn, verdict.differences);
      return {
        job,
        action: 'collision',
        outcome: { httpStatus: 200, message, details: verdict.differences.join('; ') },
        platform: JSON.stringify(record).slice(0, 2000),
      };
    }
    // 'unknown': the platform has the IRN but shows nothing to compare; counted done, and said so.
    return done(
      'confirmed',
      200,
      verdict.verdict === 'ours'
        ? `already on the platform with our content (confirmed: ${verdict.compared.join(', ')})`
        : `already on the platform (confirmed; no amounts to compare${verdict.compared.length ? `, matched ${verdict.compared.join(', ')}` : ''})`,
    );
  };

  try {
    if (job.uncertain) {
      const found = await platformHas();
      if (found !== 'absent') return found;
    }

    const problems = d.codeLists.check(invoice);
    if (problems.length > 0) {
      return {
        job,
        action: 'reject',
        outcome: { message: `not sent: the invoice does not pass the FIRS code lists: ${problems[0]}`, details: problems.join('; ') },
      };
    }

    try {
      const body = new JsonBody(invoice); // one encoding for both requests
      await d.client.validate(body, idempotencyKey(job.irn, 'validate'));
      await d.client.sign(body, job.idempotencyKey);
    } catch (e) {
      if (!(e instanceof FirsError) || e.kind !== 'rejected') throw e;
      const found = await platformHas();
      if (found !== 'absent') return found;
      throw e; // the platform does not have it: the refusal stands, with its details
    }
    if (d.transmit && job.b2b) {
      try {
        await d.client.transmit(job.irn, idempotencyKey(job.irn, 'transmit'));
        return done('signed', 201, 'signed (cleared) and transmitted to the buyer');
      } catch (e) {
        // The invoice is cleared either way; delivery is the platform's exchange (it refuses until
        // the business set a webhook URL on the dashboard). Recorded on the attempt, not retried.
        return done('signed', 201, `signed (cleared); transmit to the buyer failed: ${(e as Error).message}`);
      }
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
      return jobs.reject(dec.job, worker, dec.outcome)
        ? { kind: 'rejected', message: dec.outcome.message ?? '', details: dec.outcome.details }
        : { kind: 'lost' };
    case 'collision':
      return jobs.collision(dec.job, worker, dec.outcome, dec.platform)
        ? { kind: 'collision', message: dec.outcome.message ?? '' }
        : { kind: 'lost' };
    case 'auth':
      return jobs.pauseForAuth(dec.job, worker, dec.outcome) ? { kind: 'auth', error: dec.error } : { kind: 'lost' };
    case 'retry': {
      const r = jobs.retry(dec.job, worker, dec.delayMs, maxAttempts, dec.outcome);
      return r === 'lost' ? { kind: 'lost' } : { kind: r, error: dec.error };
    }
  }
}
