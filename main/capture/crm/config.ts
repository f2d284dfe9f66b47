// Each CRM connection's settings (non-secret), validated at the boundary. They are stored as
// connector settings (capture_connector, `vendor` = the CRM) with the fields of the source's
// descriptor (shared/sources/<crm>/source.ts); the deal sources take them as a CrmConnection
// (`source` = the CRM, its own poll-interval default). Secrets — tokens, client secrets, JWT keys,
// webhook secrets — live only in the SecretStore under capture.<source>.<name>.
import { z } from 'zod';
import { InvalidInput } from '../../../shared/domain/sale';
import { HUBSPOT_FIELDS } from '../../../shared/sources/hubspot/source';
import { SALESFORCE_FIELDS } from '../../../shared/sources/salesforce/source';
import { PIPEDRIVE_FIELDS } from '../../../shared/sources/pipedrive/source';
import type { CrmSource } from '../../../shared/capture/crm/outcome';
import type { BaseConnectorConfig } from '../../sources/source';

const common = {
  pollIntervalS: z.number().int().min(5).max(86_400).default(300),
  enabled: z.boolean().default(true),
};

export const HubspotConnectionSchema = z.object({ source: z.literal('hubspot'), ...HUBSPOT_FIELDS, ...common }).strict();
export const SalesforceConnectionSchema = z.object({ source: z.literal('salesforce'), ...SALESFORCE_FIELDS, ...common }).strict();
export const PipedriveConnectionSchema = z.object({ source: z.literal('pipedrive'), ...PIPEDRIVE_FIELDS, ...common }).strict();

export const CrmConnectionSchema = z.discriminatedUnion('source', [
  HubspotConnectionSchema,
  SalesforceConnectionSchema,
  PipedriveConnectionSchema,
]);
export type CrmConnection = z.output<typeof CrmConnectionSchema>;
export type HubspotConnection = Extract<CrmConnection, { source: 'hubspot' }>;
export type SalesforceConnection = Extract<CrmConnection, { source: 'salesforce' }>;
export type PipedriveConnection = Extract<CrmConnection, { source: 'pipedrive' }>;

export function parseCrmConnection(input: unknown): CrmConnection {
  const r = CrmConnectionSchema.safeParse(input);
  if (!r.success) throw new InvalidInput(r.error.issues.map((i) => `${i.path.join('.') || 'connection'}: ${i.message}`).join('; '));
  return r.data;
}

/** Stored connector settings (`vendor`) → the connection the deal source takes (`source`). */
export function connectionFromSettings(settings: BaseConnectorConfig | Record<string, unknown>): CrmConnection {
  const { vendor, mapOptions: _unused, ...rest } = settings as Record<string, unknown>;
  return parseCrmConnection({ ...rest, source: vendor });
}

/** A connection → connector settings as stored (validated again by the descriptor's schema on save). */
export function settingsFromConnection(c: CrmConnection): BaseConnectorConfig & Record<string, unknown> {
  const { source, ...rest } = c;
  return { ...rest, vendor: source };
}

export const crmSecret = (source: CrmSource, what: string): string => `capture.${source}.${what}`;
