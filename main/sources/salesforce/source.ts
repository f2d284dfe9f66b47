// Salesforce as a registry source: polled by the capture service through the deal poller (SOQL
// from SystemModstamp, IsWon). No signed webhooks (Change Data Capture is not used). OAuth web-server
// or JWT bearer flow. `connect salesforce`, `poll salesforce`, `ingest --source salesforce`:
// main/cli/commands/crm.ts.
import { salesforceSource } from '../../../shared/sources/salesforce/source';
import type { ConnectorConfigOf } from '../../../shared/sources/registry';
import { connectionFromSettings } from '../../capture/crm/config';
import { CRM_COMMON_FLAGS, crmConnectSettings } from '../../capture/crm/connect-settings';
import { DealConnector } from '../../capture/crm/deal-connector';
import { defineSource } from '../source';

export const salesforce = defineSource<ConnectorConfigOf<'salesforce'>>({
  info: salesforceSource,
  connector: (config, deps) => new DealConnector(connectionFromSettings(config), deps),
  connect: {
    flags: [
      ...CRM_COMMON_FLAGS,
      { flags: '--login-url <url>', description: 'Salesforce login host (default https://login.salesforce.com)' },
      { flags: '--username <user>', description: 'Salesforce JWT bearer flow: the integration user' },
      {
        flags: '--private-key <key>',
        description: "Salesforce JWT bearer flow: the connected app's RSA private key (@file), stored encrypted",
      },
      { flags: '--multi-currency', description: 'Salesforce: the org is multi-currency (select CurrencyIsoCode)' },
    ],
    settings: (o, { prev }) => crmConnectSettings('salesforce', o, prev),
  },
});
