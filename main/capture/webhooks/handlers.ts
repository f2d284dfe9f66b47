// What a source's webhook handler is (main/sources/<id>/webhook.ts implements it): which header
// carries the signature and how to check it, the event id to dedupe on, and what to ingest: the
// order in the event, the order fetched by id, or a poll. Plus the small helpers they share.
import { jsonDepth, MAX_JSON_DEPTH } from '../../../shared/domain/limits';
import type { CaptureVendor } from '../../../shared/capture/outcome';
import type { VerifyResult } from '../signatures/verify';

export interface WebhookRequest {
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
  /** The request target (path and query) as received, for schemes that sign the URI (HubSpot v3). */
  path?: string;
}

export type WebhookAction =
  /** `load` runs only for an event not processed before (it may fetch the full order). */
  | { kind: 'ingest'; eventId: string; load: () => Promise<unknown[]> }
  | { kind: 'poll'; eventId: string }
  | { kind: 'ignore'; eventId: string; reason: string }
  /**
   * The source records the event itself (CRM deals go through their deal memory), claiming the
   * event id in the same transaction; `run` answers what it did.
   */
  | { kind: 'handle'; eventId: string; run: () => Promise<{ message: string; result: Record<string, unknown> }> };

export interface WebhookHandler {
  readonly vendor: CaptureVendor;
  verify(req: WebhookRequest): VerifyResult;
  /** Throws WebhookBadRequest for a body that is not this vendor's event. */
  action(req: WebhookRequest): Promise<WebhookAction>;
}

export class WebhookBadRequest extends Error {}

export const header = (req: WebhookRequest, name: string): string => {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
};

export function json(req: WebhookRequest, what: string): Record<string, unknown> {
  const text = req.rawBody.toString('utf8');
  if (jsonDepth(text) > MAX_JSON_DEPTH) throw new WebhookBadRequest(`${what}: body is nested deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new WebhookBadRequest(`${what}: body is not a JSON object`);
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined);
