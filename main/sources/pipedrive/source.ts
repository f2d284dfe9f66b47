// Pipedrive as a registry source: polled by the capture service through the deal poller (v2
// deals?status=won&updated_since, cursor paging), webhooks v2 protected by HTTP Basic auth, API
// token or OAuth. `connect pipedrive`, `poll pipedrive`, `ingest --source pipedrive`: main/cli/commands/crm.ts.
import { pipedriveSource } from '../../../shared/sources/pipedrive/source';
import type { ConnectorConfigOf } from '../../../shared/sources/registry';
import { connectionFromSettings } from '../../capture/crm/config';
import { CRM_COMMON_FLAGS, crmConnectSettings } from '../../capture/crm/connect-settings';
import { crmWebhookHandler, DealConnector } from '../../capture/crm/deal-connector';
import { pipedriveWebhookRoute } from '../../capture/crm/webhooks';
import { defineSource } from '../source';

export const pipedrive = defineSource<ConnectorConfigOf<'pipedrive'>>({
  info: pipedriveSource,
  connector: (config, deps) => new DealConnector(connectionFromSettings(config), deps),
  webhook: (_config, deps, connector) =>
    crmWebhookHandler(() => pipedriveWebhookRoute(deps.secrets, (connector as DealConnector).dealPoller()), connector),
  connect: {
    flags: [...CRM_COMMON_FLAGS, { flags: '--oauth-url <url>', description: 'Pipedrive OAuth host (default https://oauth.pipedrive.com)' }],
    settings: (o, { prev }) => crmConnectSettings('pipedrive', o, prev),
  },
});
