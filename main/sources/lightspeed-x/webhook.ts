// Lightspeed X webhooks: X-Signature HMAC over the form body; the sale is fetched by id.
import { createHash } from 'node:crypto';
import type { SecretStore } from '../../app/secret-store';
import type { Connector } from '../../capture/connector';
import { verifyLightspeedX } from '../../capture/signatures/verify';
import { secretName } from '../../capture/tokens';
import { str, header, WebhookBadRequest, type WebhookHandler } from '../../capture/webhooks/handlers';

export function lightspeedXHandler(secrets: SecretStore, connector: Connector): WebhookHandler {
  return {
    vendor: 'lightspeed-x',
    verify: (req) =>
      verifyLightspeedX({
        secret: secrets.get(secretName('lightspeed-x', 'webhook_secret')) ?? secrets.get(secretName('lightspeed-x', 'client_secret')) ?? '',
        signature: header(req, 'x-signature'),
        body: req.rawBody,
      }),
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
