// How a call over the network can fail, as a closed set every caller maps to its own words
// (a connector's `unreachable`, FIRS's `retryable`, the cloud's "unreachable (…)"):
//  - timeout: no (complete) answer within the deadline;
//  - unreachable: no answer at all (refused, DNS, reset, TLS, proxy refused the tunnel);
//  - http_status: an answer whose status the caller cannot use (with the start of its body);
//  - invalid_response: an answer the caller cannot read (not JSON, wrong shape).
export type NetErrorKind = 'timeout' | 'unreachable' | 'http_status' | 'invalid_response';

/** How much of a body an error keeps: enough to show the server's words, never a whole page. */
export const BODY_EXCERPT_CHARS = 200;

export abstract class NetError extends Error {
  abstract readonly kind: NetErrorKind;
  /** The origin and path asked (no query: it may carry tokens). */
  readonly target: string;

  constructor(url: URL, message: string) {
    super(message);
    this.target = `${url.origin}${url.pathname}`;
  }
}

export class TimeoutError extends NetError {
  readonly kind = 'timeout';
  /** Node's word for it, for callers that report codes. */
  readonly code = 'ETIMEDOUT';
  constructor(
    url: URL,
    readonly timeoutMs: number,
  ) {
    super(url, `${url.origin} did not answer within ${timeoutMs} ms`);
    this.name = 'TimeoutError';
  }
}

export class UnreachableError extends NetError {
  readonly kind = 'unreachable';
  constructor(
    url: URL,
    /** The system's code: ECONNREFUSED, ENOTFOUND, ECONNRESET, … */
    readonly code: string,
    detail: string,
  ) {
    super(url, `cannot reach ${url.origin}: ${code === 'EUNKNOWN' ? detail : code}`);
    this.name = 'UnreachableError';
  }
}

export class HttpStatusError extends NetError {
  readonly kind = 'http_status';
  constructor(
    url: URL,
    readonly status: number,
    readonly bodyExcerpt: string,
  ) {
    super(url, `${url.origin}${url.pathname} answered HTTP ${status}${bodyExcerpt ? `: ${bodyExcerpt}` : ''}`);
    this.name = 'HttpStatusError';
  }
}

export class InvalidResponseError extends NetError {
  readonly kind = 'invalid_response';
  constructor(
    url: URL,
    readonly reason: string,
    readonly status?: number,
    readonly bodyExcerpt = '',
  ) {
    super(url, `${url.origin}${url.pathname} answered something unreadable${status ? ` (HTTP ${status})` : ''}: ${reason}`);
    this.name = 'InvalidResponseError';
  }
}

export type AnyNetError = TimeoutError | UnreachableError | HttpStatusError | InvalidResponseError;

export function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > BODY_EXCERPT_CHARS ? `${flat.slice(0, BODY_EXCERPT_CHARS)}…` : flat;
}

/** The answer when its status is 2xx, else an HttpStatusError with the start of its body. */
export function expectOk<A extends { status: number; text: string; url: string }>(answer: A): A {
  if (answer.status >= 200 && answer.status < 300) return answer;
  throw new HttpStatusError(new URL(answer.url), answer.status, excerpt(answer.text));
}

/** The answer's body as JSON, or an InvalidResponseError saying why not. */
export function readJson(answer: { status: number; text: string; url: string }): unknown {
  try {
    return JSON.parse(answer.text);
  } catch {
    throw new InvalidResponseError(new URL(answer.url), 'not JSON', answer.status, excerpt(answer.text));
  }
}
