// The one entry for every request from a renderer (Electron IPC or HTTP): unknown channels are
// refused, payloads are validated against the contract (the error names the field), manager
// channels need an unlocked session, and in development responses are checked too.
import { type z } from 'zod';
import { CHANNELS, isChannel, isManagerChannel, type ChannelName, type Envelope, type ErrorCode } from '../../shared/ipc/contract';
import { InvalidInput } from '../../shared/domain/sale';
import { MAX_JSON_DEPTH, valueDepth } from '../../shared/domain/limits';
import { NotSetUp } from '../ledger/ledger';
import { KeysFileError } from '../fiscal/crypto-keys';
import { SettingsError } from './settings';
import { DemoRefused } from './services';
import { PinRule } from './manager-pin';
import { ReportMismatch } from '../../shared/reports/day-summary';
import { isDiskFull } from '../ledger/disk-space';
import { AppError, HANDLERS, type CallContext } from './handlers';

export const HTTP_STATUS: Record<ErrorCode, number> = {
  invalid_request: 400,
  unauthorized: 401,
  locked: 403,
  not_found: 404,
  not_setup: 409,
  internal: 500,
  disk_full: 507,
};

/** Channels that issue invoices: refused while the disk is full. */
const ISSUING_CHANNELS: ReadonlySet<string> = new Set(['sales.createManual', 'invoices.refund', 'demo.sale']);

function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '');
}

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const path = fieldPath(i.path);
      // Unknown keys: name them, so a typo in a field name is obvious.
      const keys = i.code === 'unrecognized_keys' ? `: ${i.keys.join(', ')}` : '';
      return `${path || '(payload)'}: ${i.message}${keys}`;
    })
    .join('; ');
}

export interface DispatchOptions {
  /** Validate responses against the contract (development and tests). */
  checkResponses?: boolean;
  log?: (message: string) => void;
}

type Failure = Extract<Envelope<never>, { ok: false }>;

function fail(code: ErrorCode, message: string): Failure {
  return { ok: false, error: { code, message } };
}

export async function dispatch(
  channel: string,
  payload: unknown,
  ctx: CallContext,
  opts: DispatchOptions = {},
): Promise<Envelope<unknown>> {
  if (!isChannel(channel)) return fail('not_found', `unknown channel "${channel}"`);
  const def = CHANNELS[channel as ChannelName];
  if (valueDepth(payload) > MAX_JSON_DEPTH)
    return fail('invalid_request', `${channel}: the payload is nested deeper than ${MAX_JSON_DEPTH} levels`);
  const parsed = def.request.safeParse(payload ?? {});
  if (!parsed.success) return fail('invalid_request', `${channel}: ${describeIssues(parsed.error)}`);
  if (isManagerChannel(channel)) {
    if (!ctx.session.isUnlocked()) return fail('locked', `${channel} needs the manager PIN: unlock first`);
    ctx.session.touch();
  }
  if (ISSUING_CHANNELS.has(channel) && ctx.services.isDiskFull) {
    // Refused up front while the disk is full: the reserve given back is for SQLite, not for sales.
    return fail(
      'disk_full',
      `${channel}: the disk is full, so nothing was recorded (this sale was NOT issued). Free some disk space: the till carries on by itself once there is room.`,
    );
  }
  try {
    const handler = HANDLERS[channel] as (req: unknown, ctx: CallContext) => unknown;
    const result = await ctx.services.track(() => handler(parsed.data, ctx));
    if (opts.checkResponses) {
      const check = def.response.safeParse(result);
      if (!check.success) {
        // A handler broke the contract: a bug in main, never the caller's fault.
        const msg = `${channel} response breaks the contract: ${describeIssues(check.error)}`;
        opts.log?.(msg);
        return fail('internal', msg);
      }
    }
    return { ok: true, result };
  } catch (e) {
    return failure(channel, e, ctx, opts);
  }
}

/** A handler's error as the envelope the caller gets (also for the HTTP server's streamed export). */
export function failure(channel: string, e: unknown, ctx: CallContext, opts: DispatchOptions = {}): Failure {
  if (e instanceof AppError) return fail(e.code, e.message);
  if (
    e instanceof InvalidInput ||
    e instanceof KeysFileError ||
    e instanceof SettingsError ||
    e instanceof DemoRefused ||
    e instanceof PinRule
  )
    return fail('invalid_request', e.message);
  if (e instanceof NotSetUp) return fail('not_setup', e.message);
  if (e instanceof ReportMismatch) return fail('internal', e.message);
  if (isDiskFull(e)) {
    ctx.services.diskFull();
    return fail(
      'disk_full',
      `${channel}: the disk is full, so nothing was recorded${ISSUING_CHANNELS.has(channel) ? ' (this sale was NOT issued)' : ''}. Free some disk space: the till carries on by itself once there is room.`,
    );
  }
  const err = e as Error;
  opts.log?.(`${channel} failed: ${err.stack ?? err.message}`);
  // Plain Errors from date checks (lagosDayBounds) are input errors too.
  if (/^date: /.test(err.message ?? '')) return fail('invalid_request', err.message);
  return fail('internal', `${channel} failed: ${err.message}`);
}
