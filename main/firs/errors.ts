// How a FIRS/NRS call failed decides what the worker does next, so every failure is one of:
// retryable (try again later), rejected (the platform refused the request: keep its details for
// the manager), auth (credentials wrong or expired: pause, no retry storm), not_found (404).
// There is deliberately no "duplicate": the real sandbox's generic public_message on EVERY
// validation error says "also confirm this is not a duplicate request", so the words mean nothing;
// only GET confirm/{IRN} tells whether the platform has an IRN (see sync/report-worker.ts).
export type FirsFailureKind = 'retryable' | 'rejected' | 'auth' | 'not_found';

export class FirsError extends Error {
  constructor(
    readonly kind: FirsFailureKind,
    message: string,
    readonly extra: {
      status?: number | undefined;
      /** The platform's `error.details`: dotted field path and reason. */
      details?: string | undefined;
      /** The platform's `error.public_message` (generic on the real sandbox; shown, never interpreted). */
      publicMessage?: string | undefined;
      /** From Retry-After (429/503), in ms. */
      retryAfterMs?: number | undefined;
      /** Network-level code (ECONNREFUSED, ECONNRESET, ETIMEDOUT, ENOTFOUND, …). */
      code?: string | undefined;
    } = {},
  ) {
    super(message);
    this.name = 'FirsError';
  }

  get status(): number | undefined {
    return this.extra.status;
  }

  get details(): string | undefined {
    return this.extra.details;
  }

  /** True when the request may never have reached the platform or its answer was lost. */
  get network(): boolean {
    return this.kind === 'retryable' && this.extra.status === undefined;
  }
}
