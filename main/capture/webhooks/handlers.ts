// What a source's webhook handler is (main/sources/<id>/webhook.ts implements it): which header
// carries the signature and how to check it, the event id to dedupe on, and what to ingest: the
// order in the event, the order fetched by id, or a poll. Plus the small helpers they share.
import type { CaptureVendor } from '../../../shared/capture/outcome';
import type { VerifyResult } from '../signatures/verify';

export interface WebhookRequest {
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

export type WebhookAction =
  /** `load` runs only for an event not processed before (it may fetch the full order). */
  | { kind: 'ingest'; eventId: string; load: () => Promise<unknown[]> }
  | { kind: 'poll'; eventId: string }
  | { kind: 'ignore'; eventId: string; reason: string };

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
  try {
    const v = JSON.parse(req.rawBody.toString('utf8')) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new WebhookBadRequest(`${what}: body is not a JSON object`);
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined);
