// Each CRM connection's settings (non-secret), validated at the boundary and kept in the ledger
// (crm_connection). Secrets — tokens, client secrets, JWT keys, webhook secrets — live only in the
// SecretStore under capture.<source>.<name>.
import { z } from 'zod';
import { InvalidInput } from '../../../shared/domain/sale';
import { HubspotOptionsSchema } from '../../../shared/sources/hubspot/map-hubspot';
import { SalesforceOptionsSchema } from '../../../shared/sources/salesforce/map-salesforce';
import { PipedriveOptionsSchema } from '../../../shared/sources/pipedrive/map-pipedrive';
import type { CrmSource } from '../../../shared/capture/crm/outcome';

const url = z
  .string()
  .regex(/^https?:\/\/[^\s/]+(:\d+)?(\/[^\s]*)?$/, 'must be an http(s) URL')
  .transform((u) => u.replace(/\/+$/, ''));
const common = {
  pollIntervalS: z.number().int().min(5).max(86_400).default(300),
  /** Write the invoice number/IRN and clearance state back to the CRM. */
  writeback: z.boolean().default(false),
  /** Deals in review (missing buyer data) re-read per poll, so a fixed CRM record is picked up. */
  recheckReviews: z.number().int().min(0).max(500).default(25),
  enabled: z.boolean().default(true),
};

export const HubspotConnectionSchema = z
  .object({
    source: z.literal('hubspot'),
    baseUrl: url.default('https://api.hubapi.com'),
    /** private-app token (no expiry) or OAuth (30-minute access tokens, refreshed). API keys (hapikey) were retired in 2022. */
    auth: z.enum(['private_app', 'oauth']),
    clientId: z.string().min(1).optional(),
    portalId: z.string().regex(/^\d+$/).optional(),
    /** Mapper options: wonStages (stage ids), buyerFields (company properties), currency, allowNoLineItems… */
    map: HubspotOptionsSchema.omit({ pipelines: true, now: true }).partial().default({}),
    /** Deal properties written back: the IRN and the clearance state. */
    writebackProperties: z
      .object({ irn: z.string().min(1).default('taxpoynt_irn'), status: z.string().min(1).default('taxpoynt_status') })
      .default({ irn: 'taxpoynt_irn', status: 'taxpoynt_status' }),
    /** The exact public URL HubSpot delivers webhooks to (v3 signs the full URI). */
    webhookUrl: url.optional(),
    pageSize: z.number().int().min(1).max(200).default(100),
    ...common,
  })
  .strict();

export const SalesforceConnectionSchema = z
  .object({
    source: z.literal('salesforce'),
    /** Where tokens are asked for: login.salesforce.com, test.salesforce.com or a My Domain. API calls go to the returned instance_url. */
    loginUrl: url.default('https://login.salesforce.com'),
    auth: z.enum(['web_server', 'jwt']),
    clientId: z.string().min(1),
    /** JWT bearer flow: the Salesforce username the connected app acts as. */
    username: z.string().min(1).optional(),
    apiVersion: z
      .string()
      .regex(/^\d{2,3}\.0$/, 'must be like 60.0')
      .default('60.0'),
    /** Multi-currency orgs only: select CurrencyIsoCode (a single-currency org has no such field). */
    multiCurrency: z.boolean().default(false),
    /** Salesforce token responses carry no expiry: the org's session timeout, to refresh before it. */
    sessionMinutes: z
      .number()
      .int()
      .min(15)
      .max(24 * 60)
      .default(120),
    map: SalesforceOptionsSchema.omit({ now: true }).partial().default({}),
    writebackFields: z
      .object({ irn: z.string().min(1).default('TaxPoynt_IRN__c'), status: z.string().min(1).default('TaxPoynt_Status__c') })
      .default({ irn: 'TaxPoynt_IRN__c', status: 'TaxPoynt_Status__c' }),
    ...common,
  })
  .strict();

export const PipedriveConnectionSchema = z
  .object({
    source: z.literal('pipedrive'),
    /** API token (x-api-token) or OAuth (1-hour tokens; calls go to the returned api_domain). */
    auth: z.enum(['api_token', 'oauth']),
    /** API base for API-token connections (https://<company>.pipedrive.com); OAuth uses the stored api_domain. */
    baseUrl: url.default('https://api.pipedrive.com'),
    oauthUrl: url.default('https://oauth.pipedrive.com'),
    clientId: z.string().min(1).optional(),
    map: PipedriveOptionsSchema.omit({ now: true }).partial().default({}),
    /** Deal custom-field keys (40-char hashes) written back. */
    writebackFields: z.object({ irn: z.string().min(1), status: z.string().min(1).optional() }).optional(),
    pageSize: z.number().int().min(1).max(500).default(100),
    ...common,
  })
  .strict();

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

export const crmSecret = (source: CrmSource, what: string): string => `capture.${source}.${what}`;
