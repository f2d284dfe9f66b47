// Toast webhooks: Toast-Signature over body + timestamp; the event carries the whole order.
import type { SecretStore } from '../../app/secret-store';
import type { ToastConfig } from '../../capture/config';
import { verifyToast } from '../../capture/signatures/verify';
import { secretName } from '../../capture/tokens';
import { header, json, str, WebhookBadRequest, type WebhookHandler } from '../../capture/webhooks/handlers';

export function toastHandler(config: ToastConfig, secrets: SecretStore): WebhookHandler {
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
      return verifyToast({
        secret: secrets.get(secretName('toast', 'webhook_secret')) ?? '',
        signature: header(req, 'toast-signature'),
        body: req.rawBody,
        timestamp: ts,
      });
    },
    async action(req) {
      const e = json(req, 'toast event');
      const eventId = str(e.guid);
      if (!eventId) throw new WebhookBadRequest('toast event: guid is required');
      const details = (e.details ?? {}) as Record<string, unknown>;
      if (details.restaurantGuid !== undefined && details.restaurantGuid !== config.restaurantGuid)
        return { kind: 'ignore', eventId, reason: `restaurant ${String(details.restaurantGuid)} is not the configured one` };
      if (!details.order || typeof details.order !== 'object')
        return { kind: 'ignore', eventId, reason: `event ${str(e.eventType) ?? '?'} carries no order` };
      const order = details.order;
      return { kind: 'ingest', eventId, load: async () => [order] };
    },
  };
}
