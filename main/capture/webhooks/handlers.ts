// Per-vendor webhook handling: which header carries the signature and how to check it (with
// CAPTURE-MAP's verifiers), the event id to dedupe on, and what to ingest: the order in the
// event (Toast), or the order fetched by id (Square, Lightspeed X), or a poll (Square refunds).
import type { SecretStore } from '../../app/secret-store';
import { jsonDepth, MAX_JSON_DEPTH } from '../../../shared/domain/limits';
import type { CaptureVendor } from '../../../shared/capture/outcome';
import { verifyLightspeedX, verifySquare, verifyToast, type VerifyResult } from '../signatures/verify';
import type { Connector } from '../connector';
import type { ConnectorConfig } from '../config';
import { secretName } from '../tokens';
import { createHash } from 'node:crypto';

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

const header = (req: WebhookRequest, name: string): string => {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
};

function json(req: WebhookRequest, what: string): Record<string, unknown> {
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

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined);

export function squareHandler(config: Extract<ConnectorConfig, { vendor: 'square' }>, secrets: SecretStore, connector: Connector): WebhookHandler {
  return {
    vendor: 'square',
    verify: (req) => verifySquare({ secret: secrets.get(secretName('square', 'webhook_secret')) ?? '', signature: header(req, 'x-square-hmacsha256-signature'), body: req.rawBody, url: config.notificationUrl ?? '' }),
    async action(req) {
      const e = json(req, 'square event');
      const eventId = str(e.event_id);
      const type = str(e.type);
      if (!eventId || !type) throw new WebhookBadRequest('square event: event_id and type are required');
      const data = (e.data ?? {}) as Record<string, unknown>;
      const object = (data.object ?? {}) as Record<string, unknown>;
      let orderId: string | undefined;
      if (type.startsWith('order.')) orderId = str(data.id);
      else if (type.startsWith('payment.')) orderId = str(((object.payment ?? {}) as Record<string, unknown>).order_id);
      else if (type.startsWith('refund.')) return { kind: 'poll', eventId }; // the return is its own order: poll picks it up
      else return { kind: 'ignore', eventId, reason: `event type ${type} carries no sale` };
      if (!orderId) return { kind: 'ignore', eventId, reason: `${type} names no order` };
      // order.* events carry only a summary: fetch the full order.
      const id = orderId;
      return { kind: 'ingest', eventId, load: async () => [await connector.fetchOrder(id)] };
    },
  };
}

export function toastHandler(config: Extract<ConnectorConfig, { vendor: 'toast' }>, secrets: SecretStore): WebhookHandler {
  return {
    vendor: 'toast',
    verify(req) {
      // Which timestamp Toast appends is not settled publicly: the Toast-Timestamp header when
      // present, else the event's own `timestamp` field.
      let ts = header(req, 'toast-timestamp');
      if (!ts) {
        try {
          ts = str((JSON.parse(req.rawBody.toString('utf8')) as Record<string, unknown>).timestamp) ?? '';
        } catch {
          ts = '';
        }
      }
      return verifyToast({ secret: secrets.get(secretName('toast', 'webhook_secret')) ?? '', signature: header(req, 'toast-signature'), body: req.rawBody, timestamp: ts });
    },
    async action(req) {
      const e = json(req, 'toast event');
      const eventId = str(e.guid);
      if (!eventId) throw new WebhookBadRequest('toast event: guid is required');
      const details = (e.details ?? {}) as Record<string, unknown>;
      if (details.restaurantGuid !== undefined && details.restaurantGuid !== config.restaurantGuid) return { kind: 'ignore', eventId, reason: `restaurant ${String(details.restaurantGuid)} is not the configured one` };
      if (!details.order || typeof details.order !== 'object') return { kind: 'ignore', eventId, reason: `event ${str(e.eventType) ?? '?'} carries no order` };
      const order = details.order;
      return { kind: 'ingest', eventId, load: async () => [order] };
    },
  };
}

export function lightspeedXHandler(secrets: SecretStore, connector: Connector): WebhookHandler {
  return {
    vendor: 'lightspeed-x',
    verify: (req) => verifyLightspeedX({ secret: secrets.get(secretName('lightspeed-x', 'webhook_secret')) ?? secrets.get(secretName('lightspeed-x', 'client_secret')) ?? '', signature: header(req, 'x-signature'), body: req.rawBody }),
    async action(req) {
      // sale.update: form-encoded, `payload` holds the sale in API 1.0 shape (decimals as strings);
      // we fetch the API 2.0 sale the mapper reads, by id.
      const form = new URLSearchParams(req.rawBody.toString('utf8'));
      const payload = form.get('payload');
      if (!payload) throw new WebhookBadRequest('lightspeed-x webhook: no payload field');
      let sale: Record<string, unknown>;
      try {
        sale = JSON.parse(payload) as Record<string, unknown>;
      } catch {
        throw new WebhookBadRequest('lightspeed-x webhook: payload is not JSON');
      }
      const id = str(sale.id);
      if (!id) throw new WebhookBadRequest('lightspeed-x webhook: payload has no sale id');
      // No event id in X-Series deliveries: the sale id + its version (or the body hash) identifies one.
      const eventId = `${form.get('type') ?? 'sale.update'}:${id}:${str(sale.version) ?? createHash('sha256').update(req.rawBody).digest('hex').slice(0, 32)}`;
      return { kind: 'ingest', eventId, load: async () => [await connector.fetchOrder(id)] };
    },
  };
}
