// HubSpot: the source's pure half (id, name, kind, auth, stored settings). Its mapper is
// map-hubspot.ts; its deal source, webhook and connect steps are main/sources/hubspot/.
import { z } from 'zod';
import { connectorSettings, settingsUrl, type SourceInfo } from '../source-info';
import { CRM_SETTINGS, crmField } from '../crm-settings';
import { HubspotOptionsSchema } from './map-hubspot';

/** HubSpot's own settings (main/capture/crm/config.ts builds the connection from the same fields). */
export const HUBSPOT_FIELDS = {
  baseUrl: settingsUrl.default('https://api.hubapi.com'),
  /** private-app token (no expiry) or OAuth (30-minute access tokens, refreshed). API keys (hapikey) were retired in 2022. */
  auth: z.enum(['private_app', 'oauth']),
  clientId: z.string().min(1).optional(),
  portalId: z.string().regex(/^\d+$/).optional(),
  /** Mapper options: wonStages (stage ids), buyerFields (company properties), currency, paidField, allowNoLineItems… */
  map: HubspotOptionsSchema.omit({ pipelines: true, now: true }).partial().default({}),
  /** Deal properties written back: the IRN, the clearance state and (optional) the invoice number. */
  writebackProperties: z
    .object({ irn: crmField.default('taxpoynt_irn'), status: crmField.default('taxpoynt_status'), number: crmField.optional() })
    .default({ irn: 'taxpoynt_irn', status: 'taxpoynt_status' }),
  /** The exact public URL HubSpot delivers webhooks to (v3 signs the full URI). */
  webhookUrl: settingsUrl.optional(),
  pageSize: z.number().int().min(1).max(200).default(100),
  ...CRM_SETTINGS,
};

export const HubspotSettingsSchema = connectorSettings('hubspot', HUBSPOT_FIELDS);

export const hubspotSource = {
  id: 'hubspot',
  name: 'HubSpot',
  kind: 'crm',
  auth: 'oauth-or-token',
  settings: HubspotSettingsSchema,
} as const satisfies SourceInfo<'hubspot'>;
