// Salesforce: the source's pure half. Its mapper is map-salesforce.ts; its deal source and
// connect steps (web-server and JWT bearer flows) are main/sources/salesforce/.
import { z } from 'zod';
import { connectorSettings, settingsUrl, type SourceInfo } from '../source-info';
import { CRM_SETTINGS, crmField } from '../crm-settings';
import { SalesforceOptionsSchema } from './map-salesforce';

export const SALESFORCE_FIELDS = {
  /** Where tokens are asked for: login.salesforce.com, test.salesforce.com or a My Domain. API calls go to the returned instance_url. */
  loginUrl: settingsUrl.default('https://login.salesforce.com'),
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
  /** Opportunity fields written back: the IRN, the clearance state and (optional) the invoice number. */
  writebackFields: z
    .object({ irn: crmField.default('TaxPoynt_IRN__c'), status: crmField.default('TaxPoynt_Status__c'), number: crmField.optional() })
    .default({ irn: 'TaxPoynt_IRN__c', status: 'TaxPoynt_Status__c' }),
  ...CRM_SETTINGS,
};

export const SalesforceSettingsSchema = connectorSettings('salesforce', SALESFORCE_FIELDS);

export const salesforceSource = {
  id: 'salesforce',
  name: 'Salesforce',
  kind: 'crm',
  auth: 'oauth',
  settings: SalesforceSettingsSchema,
} as const satisfies SourceInfo<'salesforce'>;
