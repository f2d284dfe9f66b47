// Square webhooks: x-square-hmacsha256-signature over notification URL + body; order.* and
// payment.* events carry only ids (the full order is fetched), refund.* triggers a poll.
import type { SecretStore } from '../../app/secret-store';
import type { SquareConfig } from '../../capture/config';
import type { Connector } from '../../capture/connector';
import { verifySquare } from '../../capture/signatures/verify';
import { secretName } from '../../capture/tokens';
import { header, json, str, WebhookBadRequest, type WebhookHandler } from '../../capture/webhooks/handlers';

export function squareHandler(config: SquareConfig, secrets: SecretStore, connector: Connector): WebhookHandler {
  return {
    vendor: 'square',
    verify: (req) =>
      verifySquare({
        secret: secrets.get(secretName('square', 'webhook_secret')) ?? '',
        signature: header(req, 'x-square-hmacsha256-signature'),
        body: req.rawBody,
        url: config.notificationUrl ?? '',
      }),
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
      else if (type.startsWith('refund.'))
        return { kind: 'poll', eventId }; // the return is its own order: poll picks it up
      else return { kind: 'ignore', eventId, reason: `event type ${type} carries no sale` };
      if (!orderId) return { kind: 'ignore', eventId, reason: `${type} names no order` };
      // order.* events carry only a summary: fetch the full order.
      const id = orderId;
      return { kind: 'ingest', eventId, load: async () => [await connector.fetchOrder(id)] };
    },
  };
}
