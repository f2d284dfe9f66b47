// Pipedrive: the source's pure half. Its mapper is map-pipedrive.ts; its deal source, webhook
// (Basic auth) and connect steps are main/sources/pipedrive/.
import { z } from 'zod';
import { connectorSettings, settingsUrl, type SourceInfo } from '../source-info';
import { CRM_SETTINGS, crmField } from '../crm-settings';
import { PipedriveOptionsSchema } from './map-pipedrive';

export const PIPEDRIVE_FIELDS = {
  /** API token (x-api-token) or OAuth (1-hour tokens; calls go to the returned api_domain). */
  auth: z.enum(['api_token', 'oauth']),
  /** API base for API-token connections (https://<company>.pipedrive.com); OAuth uses the stored api_domain. */
  baseUrl: settingsUrl.default('https://api.pipedrive.com'),
  oauthUrl: settingsUrl.default('https://oauth.pipedrive.com'),
  clientId: z.string().min(1).optional(),
  map: PipedriveOptionsSchema.omit({ now: true }).partial().default({}),
  /** Deal custom-field keys (40-char hashes) written back: the IRN, the clearance state, the invoice number. */
  writebackFields: z.object({ irn: crmField, status: crmField.optional(), number: crmField.optional() }).optional(),
  pageSize: z.number().int().min(1).max(500).default(100),
  ...CRM_SETTINGS,
};

export const PipedriveSettingsSchema = connectorSettings('pipedrive', PIPEDRIVE_FIELDS);

export const pipedriveSource = {
  id: 'pipedrive',
  name: 'Pipedrive',
  kind: 'crm',
  auth: 'oauth-or-token',
  settings: PipedriveSettingsSchema,
} as const satisfies SourceInfo<'pipedrive'>;
