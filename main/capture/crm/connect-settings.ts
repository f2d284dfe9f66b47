// `connect <crm>` flags → a CRM connection over the stored one: the mapper options (won stages,
// buyer fields, paid field, VAT), write-back targets and each CRM's own fields. Shared by the CLI
// and the CRM descriptors (main/sources/<crm>/source.ts).
import { InvalidInput } from '../../../shared/domain/sale';
import type { CrmSource } from '../../../shared/capture/crm/outcome';
import { parseJson, readInput } from '../../cli/context';
import { parseCrmConnection, type CrmConnection } from './config';

/** The `connect` flags a CRM reads (commander camelCase); secrets already resolved. */
export interface CrmConnectOpts {
  auth?: string;
  baseUrl?: string;
  loginUrl?: string;
  oauthUrl?: string;
  clientId?: string;
  clientSecret?: string;
  accessToken?: string;
  refreshToken?: string;
  authorize?: boolean;
  code?: string;
  redirectUri?: string;
  username?: string;
  privateKey?: string;
  portalId?: string;
  wonStage?: string[];
  buyerField?: string[];
  tinField?: string;
  paidField?: string;
  currency?: string;
  vatRate?: string;
  allowNoLineItems?: boolean;
  multiCurrency?: boolean;
  writeback?: boolean;
  writebackField?: string[];
  webhookUrl?: string;
  webhookSecret?: string;
  pollInterval?: string;
  mapOptions?: string;
  disable?: boolean;
  test?: boolean;
}

const pairs = (list: string[] | undefined, flag: string): Record<string, string> =>
  Object.fromEntries(
    (list ?? []).map((p) => {
      const i = p.indexOf('=');
      if (i < 1) throw new InvalidInput(`${flag}: "${p}" must be key=value`);
      return [p.slice(0, i), p.slice(i + 1)];
    }),
  );

/** The connection from `connect <crm>` flags over the stored settings (a bad flag is named). */
export function buildConnection(source: CrmSource, o: CrmConnectOpts, stored: unknown): CrmConnection {
  const prev = (stored && typeof stored === 'object' ? stored : {}) as Record<string, unknown>;
  let map = { ...(prev.map as Record<string, unknown> | undefined) };
  if (o.mapOptions) map = { ...map, ...(parseJson(readInput(o.mapOptions, '--map-options'), o.mapOptions) as Record<string, unknown>) };
  const buyer = {
    ...(map.buyerFields as Record<string, string> | undefined),
    ...pairs(o.buyerField, '--buyer-field'),
    ...(o.tinField ? { tin: o.tinField } : {}),
  };
  map = {
    ...map,
    ...(Object.keys(buyer).length ? { buyerFields: buyer } : {}),
    ...(o.currency ? { currency: o.currency } : {}),
    ...(o.vatRate ? { defaultVatRate: o.vatRate } : {}),
    ...(o.allowNoLineItems ? { allowNoLineItems: true } : {}),
    ...(o.wonStage?.length ? { wonStages: o.wonStage } : {}),
    ...(o.paidField ? { paidField: o.paidField } : {}),
  };
  const pick = (k: string, v: unknown) => (v !== undefined ? { [k]: v } : prev[k] !== undefined ? { [k]: prev[k] } : {});
  const wb = pairs(o.writebackField, '--writeback-field');
  const interval = o.pollInterval !== undefined ? Number(o.pollInterval) : undefined;
  if (interval !== undefined && !Number.isFinite(interval)) throw new InvalidInput(`--poll-interval: "${o.pollInterval}" is not a number`);
  const common = { map, ...pick('pollIntervalS', interval), ...pick('writeback', o.writeback), enabled: !o.disable };
  const input: Record<string, unknown> = { source, ...pick('auth', o.auth), ...pick('clientId', o.clientId), ...common };
  if (source === 'hubspot')
    Object.assign(
      input,
      pick('baseUrl', o.baseUrl),
      pick('portalId', o.portalId),
      pick('webhookUrl', o.webhookUrl),
      Object.keys(wb).length ? { writebackProperties: wb } : pick('writebackProperties', undefined),
    );
  if (source === 'salesforce')
    Object.assign(
      input,
      pick('loginUrl', o.loginUrl ?? o.baseUrl),
      pick('username', o.username),
      pick('multiCurrency', o.multiCurrency),
      Object.keys(wb).length ? { writebackFields: wb } : pick('writebackFields', undefined),
    );
  if (source === 'pipedrive')
    Object.assign(
      input,
      pick('baseUrl', o.baseUrl),
      pick('oauthUrl', o.oauthUrl),
      Object.keys(wb).length ? { writebackFields: wb } : pick('writebackFields', undefined),
    );
  if (!input.auth)
    throw new InvalidInput(
      `--auth is required for ${source} (${{ hubspot: 'private_app | oauth', salesforce: 'web_server | jwt', pipedrive: 'api_token | oauth' }[source]})`,
    );
  return parseCrmConnection(input);
}

/** `connect` flags every CRM reads (each CRM's descriptor adds its own). */
export const CRM_COMMON_FLAGS = [
  { flags: '--auth <kind>', description: 'CRM auth: hubspot private_app|oauth, salesforce web_server|jwt, pipedrive api_token|oauth' },
  {
    flags: '--buyer-field <key=field>',
    description: 'CRM buyer field mapping: tin|email|street|city|postalZone|state|lga|country|government=<property> (repeat)',
    repeatable: true,
  },
  { flags: '--paid-field <field>', description: 'CRM: the deal property/field that marks the deal paid (payment status → PAID)' },
  { flags: '--vat-rate <percent>', description: 'CRM: VAT for lines the CRM gives no tax for (Salesforce default 7.5, exclusive)' },
  { flags: '--allow-no-line-items', description: 'CRM: invoice a won deal without line items from its amount, as one line' },
  { flags: '--writeback', description: 'CRM: write the IRN, invoice number and clearance state back onto the deal' },
  {
    flags: '--writeback-field <key=field>',
    description: 'CRM write-back target: irn=<property/field/custom-field key>, status=<…>, number=<…> (repeat)',
    repeatable: true,
  },
] as const;

/** A descriptor's `connect.settings`: the connection built from the flags, as settings fields (no vendor/common fields). */
export function crmConnectSettings(source: CrmSource, o: CrmConnectOpts, prev: Record<string, unknown>): Record<string, unknown> {
  const {
    source: _s,
    pollIntervalS: _p,
    enabled: _e,
    ...rest
  } = buildConnection(source, o, Object.keys(prev).length ? withoutVendor(prev) : undefined);
  return rest;
}

function withoutVendor(prev: Record<string, unknown>): Record<string, unknown> {
  const { vendor, mapOptions: _m, ...rest } = prev;
  return { ...rest, source: vendor };
}
