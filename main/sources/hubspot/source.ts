// HubSpot as a registry source: polled by the capture service through the deal poller (one
// invoice per won deal), webhooks signed with X-HubSpot-Signature-v3 (5-minute window), private-app
// token or OAuth. `connect hubspot`, `poll hubspot`, `ingest --source hubspot`: main/cli/commands/crm.ts.
import { hubspotSource } from '../../../shared/sources/hubspot/source';
import type { ConnectorConfigOf } from '../../../shared/sources/registry';
import { connectionFromSettings, type HubspotConnection } from '../../capture/crm/config';
import { CRM_COMMON_FLAGS, crmConnectSettings } from '../../capture/crm/connect-settings';
import { crmWebhookHandler, DealConnector } from '../../capture/crm/deal-connector';
import { hubspotWebhookRoute } from '../../capture/crm/webhooks';
import { verifyHubspotV3 } from '../../capture/signatures/verify';
import { defineSource } from '../source';

/** The URI HubSpot signed: the configured public URL, else this request's own host and path. */
export function hubspotSignedUrl(config: HubspotConnection, path: string, headers: Record<string, unknown>): string {
  if (config.webhookUrl) return `${config.webhookUrl.replace(/\/webhooks\/hubspot\/?$/, '')}${path}`;
  const host = typeof headers.host === 'string' ? headers.host : '127.0.0.1';
  return `http://${host}${path}`;
}

export const hubspot = defineSource<ConnectorConfigOf<'hubspot'>>({
  info: hubspotSource,
  connector: (config, deps) => new DealConnector(connectionFromSettings(config), deps),
  webhook: (config, deps, connector) => {
    const c = connectionFromSettings(config) as HubspotConnection;
    return crmWebhookHandler(
      (_path, headers) =>
        hubspotWebhookRoute(
          deps.secrets,
          (connector as DealConnector).dealPoller(),
          (p) => hubspotSignedUrl(c, p, headers),
          deps.clock.now,
        ),
      connector,
    );
  },
  signature: {
    needs: {
      url: '--url: HubSpot v3 signs method + the full URI it called',
      timestamp: '--timestamp: the X-HubSpot-Request-Timestamp header (ms)',
    },
    verify: (i) =>
      verifyHubspotV3({
        secret: i.secret,
        signature: i.signature,
        body: i.body,
        url: i.url ?? '',
        method: i.method ?? 'POST',
        timestamp: i.timestamp ?? '',
      }),
  },
  connect: {
    flags: [
      ...CRM_COMMON_FLAGS,
      { flags: '--portal-id <id>', description: 'HubSpot portal (hub) id, for record links' },
      {
        flags: '--won-stage <id>',
        description: 'HubSpot deal stage id that issues an invoice (repeat; default: stages whose metadata says closed-won)',
        repeatable: true,
      },
      { flags: '--webhook-url <url>', description: 'HubSpot: the public URL HubSpot delivers to (v3 signs the full URI)' },
    ],
    settings: (o, { prev }) => crmConnectSettings('hubspot', o, prev),
  },
});
