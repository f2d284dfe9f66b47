// What can go wrong talking to a POS vendor, as a small closed set the UI and the poller can act
// on: credentials and scopes need a person, the rest is retried with backoff.
export type ConnectorProblem =
  | 'not_configured' // no credentials / settings stored for this connector
  | 'bad_credentials' // the vendor refused the token or the client id/secret
  | 'missing_scope' // authenticated, but the token lacks a permission we need
  | 'unknown_location' // the configured location / restaurant / outlet / account is not this token's
  | 'unreachable' // DNS, TCP, TLS or timeout: the vendor could not be reached
  | 'rate_limited' // 429
  | 'vendor_error' // 5xx
  | 'bad_response'; // the vendor answered something we cannot read

export class ConnectorError extends Error {
  constructor(
    readonly problem: ConnectorProblem,
    message: string,
    readonly details: { status?: number; retryAfterMs?: number } = {},
  ) {
    super(message);
    this.name = 'ConnectorError';
  }

  /** Worth retrying without a person changing anything. */
  get transient(): boolean {
    return this.problem === 'unreachable' || this.problem === 'rate_limited' || this.problem === 'vendor_error';
  }
}

/** How withRetry (main/net/retry.ts) reads a connector failure: transient ones are retried. */
export const connectorRetry = {
  isTransient: (e: unknown): e is ConnectorError => e instanceof ConnectorError && e.transient,
  retryAfterMs: (e: ConnectorError) => e.details.retryAfterMs,
};
