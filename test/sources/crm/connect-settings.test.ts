// `connect <crm>` flags → the stored CRM connection (main/capture/crm/connect-settings.ts): each bad
// flag is named, flags layer over what is stored (nothing stored is dropped by an unrelated flag),
// and each CRM keeps only its own fields.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildConnection, crmConnectSettings } from '../../../main/capture/crm/connect-settings';
import { InvalidInput } from '../../../shared/domain/sale';
import { tempDir } from '../../support/fixture';

const errorOf = (fn: () => unknown): Error => {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
};

describe('connect <crm>: bad flags are named', () => {
  it('--auth is required, with the kinds each CRM takes', () => {
    expect(errorOf(() => buildConnection('hubspot', {}, undefined)).message).toBe('--auth is required for hubspot (private_app | oauth)');
    expect(errorOf(() => buildConnection('salesforce', { clientId: 'c' }, undefined)).message).toBe(
      '--auth is required for salesforce (web_server | jwt)',
    );
    expect(errorOf(() => buildConnection('pipedrive', {}, null)).message).toBe('--auth is required for pipedrive (api_token | oauth)');
  });

  it('key=value flags without a key or "="', () => {
    const e = errorOf(() => buildConnection('hubspot', { auth: 'private_app', buyerField: ['tin'] }, undefined));
    expect(e).toBeInstanceOf(InvalidInput);
    expect(e.message).toBe('--buyer-field: "tin" must be key=value');
    expect(errorOf(() => buildConnection('hubspot', { auth: 'private_app', writebackField: ['=x'] }, undefined)).message).toBe(
      '--writeback-field: "=x" must be key=value',
    );
  });

  it('a poll interval that is not a number, or out of range', () => {
    expect(errorOf(() => buildConnection('pipedrive', { auth: 'api_token', pollInterval: 'often' }, undefined)).message).toBe(
      '--poll-interval: "often" is not a number',
    );
    expect(errorOf(() => buildConnection('pipedrive', { auth: 'api_token', pollInterval: '1' }, undefined)).message).toMatch(
      /^pollIntervalS: /,
    );
  });

  it('an unknown auth kind or a field of another CRM is a validation error naming it', () => {
    expect(errorOf(() => buildConnection('hubspot', { auth: 'api_key' }, undefined)).message).toMatch(/^auth: /);
    expect(errorOf(() => buildConnection('salesforce', { auth: 'jwt' }, undefined)).message).toMatch(/^clientId: /);
    // Pipedrive has no won stages (a deal's status is won): the flag is refused by name.
    expect(errorOf(() => buildConnection('pipedrive', { auth: 'api_token', wonStage: ['5'] }, undefined)).message).toBe(
      'map: Unrecognized key: "wonStages"',
    );
    // A HubSpot portal id stored before is not carried onto a Pipedrive connection.
    expect(buildConnection('pipedrive', { auth: 'api_token' }, { portalId: '42' })).not.toHaveProperty('portalId');
  });

  it('--map-options: an unreadable file or bad JSON is named', () => {
    const dir = tempDir();
    expect(errorOf(() => buildConnection('hubspot', { auth: 'oauth', mapOptions: join(dir, 'missing.json') }, undefined)).message).toMatch(
      /^--map-options: cannot read .*missing\.json \(ENOENT\)/,
    );
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"wonStages": [');
    expect(errorOf(() => buildConnection('hubspot', { auth: 'oauth', mapOptions: bad }, undefined)).message).toMatch(
      /bad\.json: not valid JSON/,
    );
  });
});

describe('connect <crm>: flags over the stored connection', () => {
  it('HubSpot: mapper flags, write-back targets and the webhook URL; the rest keeps its defaults', () => {
    const dir = tempDir();
    const mapFile = join(dir, 'map.json');
    writeFileSync(mapFile, JSON.stringify({ buyerFields: { email: 'billing_email' }, currency: 'USD' }));
    const c = buildConnection(
      'hubspot',
      {
        auth: 'oauth',
        clientId: 'cid',
        portalId: '123',
        webhookUrl: 'https://pos.example.ng/webhooks/hubspot',
        mapOptions: mapFile,
        buyerField: ['city=hq_city'],
        tinField: 'tax_id',
        currency: 'NGN',
        vatRate: '7.5',
        allowNoLineItems: true,
        wonStage: ['closedwon', 'contractsigned'],
        paidField: 'paid',
        writeback: true,
        writebackField: ['irn=fiscal_irn'],
        pollInterval: '60',
      },
      undefined,
    );
    expect(c).toMatchObject({
      source: 'hubspot',
      auth: 'oauth',
      clientId: 'cid',
      portalId: '123',
      webhookUrl: 'https://pos.example.ng/webhooks/hubspot',
      pollIntervalS: 60,
      writeback: true,
      enabled: true,
      writebackProperties: { irn: 'fiscal_irn', status: 'taxpoynt_status' },
      map: {
        buyerFields: { email: 'billing_email', city: 'hq_city', tin: 'tax_id' },
        currency: 'NGN', // the flag wins over the file
        defaultVatRate: '7.5',
        allowNoLineItems: true,
        wonStages: ['closedwon', 'contractsigned'],
        paidField: 'paid',
      },
    });
  });

  it('a later connect with one flag keeps everything stored; --disable turns it off', () => {
    const first = buildConnection(
      'pipedrive',
      { auth: 'api_token', baseUrl: 'https://acme.pipedrive.com', vatRate: '7.5', writebackField: ['irn=abc123'], pollInterval: '120' },
      undefined,
    );
    const second = buildConnection('pipedrive', { paidField: 'paid_key', disable: true }, first);
    expect(second).toMatchObject({
      source: 'pipedrive',
      auth: 'api_token',
      baseUrl: 'https://acme.pipedrive.com',
      pollIntervalS: 120,
      writebackFields: { irn: 'abc123' },
      enabled: false,
      map: { defaultVatRate: '7.5', paidField: 'paid_key' },
    });
  });

  it('Salesforce: --base-url stands for the login URL; JWT username and multi-currency are kept', () => {
    const c = buildConnection(
      'salesforce',
      {
        auth: 'jwt',
        clientId: 'cid',
        baseUrl: 'https://test.salesforce.com',
        username: 'int@acme.ng',
        multiCurrency: true,
        writebackField: ['number=Inv__c'],
      },
      undefined,
    );
    expect(c).toMatchObject({
      loginUrl: 'https://test.salesforce.com',
      username: 'int@acme.ng',
      multiCurrency: true,
      writebackFields: { irn: 'TaxPoynt_IRN__c', status: 'TaxPoynt_Status__c', number: 'Inv__c' },
    });
  });

  it('crmConnectSettings: the stored settings (vendor) in, the settings fields out without vendor or common fields', () => {
    const stored = {
      vendor: 'pipedrive',
      auth: 'oauth',
      clientId: 'cid',
      mapOptions: { ignored: true },
      pollIntervalS: 300,
      enabled: true,
    };
    const s = crmConnectSettings('pipedrive', { oauthUrl: 'https://oauth.example.test' }, stored);
    expect(s).toMatchObject({ auth: 'oauth', clientId: 'cid', oauthUrl: 'https://oauth.example.test' });
    expect(s).not.toHaveProperty('source');
    expect(s).not.toHaveProperty('vendor');
    expect(s).not.toHaveProperty('pollIntervalS');
    expect(s).not.toHaveProperty('enabled');
    expect(crmConnectSettings('hubspot', { auth: 'private_app' }, {})).toMatchObject({
      auth: 'private_app',
      baseUrl: 'https://api.hubapi.com',
    });
  });
});
