// SQL for the payment-status outbox (migration 018): FIRS payment-status updates (PATCH
// /api/v1/invoice/update/{IRN}) waiting to be sent. The key (irn, payment_status) makes queueing
// idempotent, so a deal re-read as paid a hundred times queues one update; the sync sends it once
// the invoice is reported and marks it done.
import { z } from 'zod';
import type { Db } from './database';
import { prepared } from './prepared';

export const PAYMENT_UPDATE_STATUSES = ['PAID', 'PARTIAL', 'REJECTED', 'PENDING'] as const;
export type PaymentUpdateStatus = (typeof PAYMENT_UPDATE_STATUSES)[number];

const Row = z.object({
  irn: z.string(),
  payment_status: z.enum(PAYMENT_UPDATE_STATUSES),
  reference: z.string().nullable(),
  status: z.enum(['pending', 'done', 'dead']),
  attempts: z.number().int(),
  next_attempt_at: z.number().int(),
  last_error: z.string().nullable(),
});

export interface PaymentUpdateJob {
  irn: string;
  paymentStatus: PaymentUpdateStatus;
  reference: string | null;
  status: 'pending' | 'done' | 'dead';
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
}

const toJob = (raw: unknown): PaymentUpdateJob => {
  const r = Row.parse(raw);
  return {
    irn: r.irn,
    paymentStatus: r.payment_status,
    reference: r.reference,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
  };
};

export class PaymentOutbox {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Queues the update; true when it is new (an update already queued or sent is left alone). */
  enqueue(irn: string, paymentStatus: PaymentUpdateStatus, reference?: string): boolean {
    const now = this.now();
    return (
      prepared(
        this.db,
        `INSERT INTO payment_outbox (irn, payment_status, reference, next_attempt_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(irn, payment_status) DO NOTHING`,
      ).run(irn, paymentStatus, reference ?? null, now, now, now).changes === 1
    );
  }

  /** Pending updates due now whose invoice's report job is done (a payment update needs a reported invoice). */
  due(limit = 20): PaymentUpdateJob[] {
    return prepared(
      this.db,
      `SELECT p.* FROM payment_outbox p
         JOIN invoices i ON i.irn = p.irn
         JOIN outbox o ON o.invoice_counter = i.counter AND o.kind = 'report'
        WHERE p.status = 'pending' AND p.next_attempt_at <= ? AND o.status = 'done'
        ORDER BY p.next_attempt_at, p.irn LIMIT ?`,
    )
      .all(this.now(), limit)
      .map(toJob);
  }

  get(irn: string, paymentStatus: PaymentUpdateStatus): PaymentUpdateJob | undefined {
    const row = prepared(this.db, 'SELECT * FROM payment_outbox WHERE irn = ? AND payment_status = ?').get(irn, paymentStatus);
    return row === undefined ? undefined : toJob(row);
  }

  list(irn: string): PaymentUpdateJob[] {
    return prepared(this.db, 'SELECT * FROM payment_outbox WHERE irn = ? ORDER BY created_at').all(irn).map(toJob);
  }

  done(irn: string, paymentStatus: PaymentUpdateStatus): void {
    prepared(
      this.db,
      `UPDATE payment_outbox SET status = 'done', attempts = attempts + 1, last_error = NULL, updated_at = ? WHERE irn = ? AND payment_status = ?`,
    ).run(this.now(), irn, paymentStatus);
  }

  /** A failed send: retried at `retryAt`, or given up (`dead`, the platform refused it for good). */
  failed(irn: string, paymentStatus: PaymentUpdateStatus, error: string, retryAt: number | undefined): void {
    prepared(
      this.db,
      `UPDATE payment_outbox SET status = ?, attempts = attempts + 1, next_attempt_at = ?, last_error = ?, updated_at = ?
        WHERE irn = ? AND payment_status = ?`,
    ).run(retryAt === undefined ? 'dead' : 'pending', retryAt ?? this.now(), error.slice(0, 500), this.now(), irn, paymentStatus);
  }
}
