// The three CRMs of the issue 17 acceptance, each on its loopback fake: a won deal with two products
// (10 % off the second, 7.5 % VAT: net 14 500.00, VAT 1 087.50, payable 15 587.50), a won deal whose
// buyer has no TIN, and the hooks to reopen the deal, mark it paid, read what was written back and
// deliver a webhook as the CRM does. Used by the poller-level and the app-services acceptance tests.
import type { SecretStore } from '../../../main/app/secret-store';
import type { HttpClient } from '../../../main/capture/http';
import { FakeHubspot } from '../../fakes/hubspot-api';
import { FakeSalesforce } from '../../fakes/salesforce-api';
import { FakePipedrive } from '../../fakes/pipedrive-api';
import { writeTokens } from '../../../main/capture/tokens';
import { parseCrmConnection, crmSecret } from '../../../main/capture/crm/config';
import { salesforceExchangeCode } from '../../../main/sources/salesforce/salesforce-source';
import type { CrmSource } from '../../../shared/capture/crm/outcome';
import { NG_BUYER } from '../mapping/support';

/** Pipedrive deal custom-field keys (40-character hashes, as Pipedrive makes them). */
const PD_PAID = 'aa11bb22cc33dd44ee55ff66aa77bb88cc99dd00';
const PD_IRN = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0';
const PD_STATUS = 'b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0';
const PD_NUMBER = 'c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0';

export const ORG = {
  Name: 'Dangote Cement Plc',
  TIN__c: NG_BUYER.tin,
  Email__c: NG_BUYER.email,
  BillingStreet: NG_BUYER.street,
  BillingCity: NG_BUYER.city,
  BillingPostalCode: NG_BUYER.postalZone,
  BillingState: NG_BUYER.state,
  LGA__c: NG_BUYER.lga,
};
export const HS_COMPANY = {
  name: 'Dangote Cement Plc',
  tin: NG_BUYER.tin,
  email: NG_BUYER.email,
  address: NG_BUYER.street,
  city: NG_BUYER.city,
  zip: NG_BUYER.postalZone,
  state: NG_BUYER.state,
  lga: NG_BUYER.lga,
};

// Two products, 10 % off the second, 7.5 % VAT: net 10000 + 4500 = 14500.00, VAT 1087.50, payable 15587.50.
export interface StartedCrm {
  /** Connection settings as the deal source takes them (`source`). */
  config: Record<string, unknown>;
  stop: () => Promise<void>;
  won: string;
  noTin: string;
  reopen: () => void;
  /** Marks the won deal paid in the CRM (the `paidField` of PAID_FIELD). */
  markPaid: () => void;
  /** The last write-back the CRM received for the won deal (IRN, clearance state, invoice number). */
  lastWriteback: () => { irn: unknown; status: unknown; number: unknown } | undefined;
  /** A delivery that must be refused: HubSpot's signature older than 5 minutes or tampered, Pipedrive's wrong password. */
  deliverForged?: (url: string, how: 'stale' | 'tampered') => Promise<{ status: number; body: string }>;
  /** Gives the no-TIN deal's buyer its TIN in the CRM. */
  fixNoTin: () => void;
  /** A webhook delivery as the CRM makes it (HubSpot signed v3, Pipedrive Basic auth); absent for Salesforce. */
  deliver?: (url: string, eventId: string) => Promise<{ status: number; body: string }>;
}

/** What a CRM fixture needs: where its tokens go, the clock its fake runs on, an HTTP client. */
export interface CrmEnv {
  secrets: SecretStore;
  clock: { now(): number };
  deps: { http: HttpClient };
}

export interface Crm {
  source: CrmSource;
  start(h: CrmEnv): Promise<StartedCrm>;
}

export const CRMS: Crm[] = [
  {
    source: 'hubspot',
    async start(h) {
      const f = new FakeHubspot();
      await f.start();
      f.now = () => h.clock.now();
      f.pipelines = {
        results: [
          {
            id: 'default',
            label: 'Sales',
            stages: [
              { id: 'closedwon', label: 'Closed Won', metadata: { isClosed: 'true', probability: '1.0' } },
              { id: 'appointmentscheduled', label: 'Appointment', metadata: { isClosed: 'false', probability: '0.2' } },
            ],
          },
        ],
      };
      f.taxRates.set('75', { id: '75', name: 'VAT', percentageRate: 7.5, active: true });
      const lines = [
        { id: 'l1', properties: { name: 'Cement 50kg', price: '5000.00', quantity: '2', amount: '10000.00', hs_tax_rate_group_id: '75' } },
        {
          id: 'l2',
          properties: {
            name: 'Delivery',
            price: '5000.00',
            quantity: '1',
            hs_discount_percentage: '10',
            amount: '4500.00',
            hs_tax_rate_group_id: '75',
          },
        },
      ];
      f.putDeal(
        '900',
        { dealname: 'Cement', dealstage: 'closedwon', amount: '14500.00', closedate: '2026-11-20T10:00:00Z' },
        { lineItems: lines, company: { id: 'c1', properties: HS_COMPANY } },
      );
      f.putDeal(
        '901',
        { dealname: 'No TIN', dealstage: 'closedwon', amount: '14500.00', closedate: '2026-11-20T10:00:00Z' },
        { lineItems: lines.map((l) => ({ ...l, id: `${l.id}b` })), company: { id: 'c2', properties: { ...HS_COMPANY, tin: '' } } },
      );
      writeTokens(h.secrets, 'hubspot', { accessToken: f.privateAppToken() });
      h.secrets.set(crmSecret('hubspot', 'client_secret'), f.clientSecret);
      return {
        config: {
          source: 'hubspot',
          baseUrl: f.url,
          auth: 'private_app',
          map: { paidField: 'taxpoynt_paid' },
          writebackProperties: { irn: 'taxpoynt_irn', status: 'taxpoynt_status', number: 'taxpoynt_invoice_number' },
        },
        stop: () => f.stop(),
        won: '900',
        noTin: '901',
        reopen: () => f.putDeal('900', { ...f.deals.get('900')!.properties, dealstage: 'appointmentscheduled' }),
        markPaid: () => f.putDeal('900', { ...f.deals.get('900')!.properties, taxpoynt_paid: 'true' }),
        fixNoTin: () => f.updateCompany('c2', { tin: NG_BUYER.tin }),
        lastWriteback: () => {
          const p = f.patches.filter((x) => x.id === '900').at(-1)?.properties;
          return p && { irn: p.taxpoynt_irn, status: p.taxpoynt_status, number: p.taxpoynt_invoice_number };
        },
        deliverForged: (url, how) =>
          f.deliver(url, [{ eventId: 9, subscriptionType: 'deal.propertyChange', objectId: 900 }], {
            uri: url,
            timestamp: how === 'stale' ? h.clock.now() - 6 * 60_000 : h.clock.now(),
            tamper: how === 'tampered',
          }),
        deliver: (url, eventId) =>
          f.deliver(
            url,
            [
              {
                eventId: Number(eventId),
                subscriptionId: 1,
                portalId: 62515,
                appId: 54321,
                occurredAt: h.clock.now(),
                subscriptionType: 'deal.propertyChange',
                attemptNumber: 0,
                objectId: 900,
                propertyName: 'dealstage',
                propertyValue: 'closedwon',
                changeSource: 'CRM_UI',
              },
            ],
            { uri: url, timestamp: h.clock.now() },
          ),
      };
    },
  },
  {
    source: 'salesforce',
    async start(h) {
      const f = new FakeSalesforce();
      await f.start();
      f.now = () => h.clock.now();
      const lines = [
        { Id: 'a', Name: 'Cement 50kg', Quantity: 2, UnitPrice: 5000, TotalPrice: 10000 },
        { Id: 'b', Name: 'Delivery', Quantity: 1, UnitPrice: 5000, Discount: 10, TotalPrice: 4500 },
      ];
      f.putOpportunity({
        Id: '006WON',
        Name: 'Cement',
        Amount: 14500,
        CloseDate: '2026-11-20',
        IsWon: true,
        IsClosed: true,
        StageName: 'Closed Won',
        Account: ORG,
        OpportunityLineItems: lines,
      });
      f.putOpportunity({
        Id: '006NOTIN',
        Name: 'No TIN',
        Amount: 14500,
        CloseDate: '2026-11-20',
        IsWon: true,
        IsClosed: true,
        StageName: 'Closed Won',
        Account: { ...ORG, TIN__c: null },
        OpportunityLineItems: lines,
      });
      f.customFields.add('Paid__c').add('TaxPoynt_IRN__c').add('TaxPoynt_Status__c').add('TaxPoynt_Number__c');
      const config = parseCrmConnection({
        source: 'salesforce',
        loginUrl: f.url,
        auth: 'web_server',
        clientId: f.clientId,
        map: { paidField: 'Paid__c' },
        writebackFields: { irn: 'TaxPoynt_IRN__c', status: 'TaxPoynt_Status__c', number: 'TaxPoynt_Number__c' },
      });
      h.secrets.set(crmSecret('salesforce', 'client_secret'), f.clientSecret);
      writeTokens(
        h.secrets,
        'salesforce',
        await salesforceExchangeCode(h.deps.http, h.secrets, {
          config: config as never,
          clientSecret: f.clientSecret,
          code: f.authorizationCode(),
          redirectUri: 'http://localhost/cb',
          now: h.clock.now(),
        }),
      );
      return {
        config: config as unknown as Record<string, unknown>,
        stop: () => f.stop(),
        won: '006WON',
        noTin: '006NOTIN',
        reopen: () => f.putOpportunity({ ...f.opportunities.get('006WON')!, IsWon: false, IsClosed: false, StageName: 'Negotiation' }),
        markPaid: () => f.putOpportunity({ ...f.opportunities.get('006WON')!, Paid__c: true }),
        fixNoTin: () => f.putOpportunity({ ...f.opportunities.get('006NOTIN')!, Account: ORG }),
        lastWriteback: () => {
          const b = f.patches.filter((x) => x.id === '006WON').at(-1)?.body;
          return b && { irn: b.TaxPoynt_IRN__c, status: b.TaxPoynt_Status__c, number: b.TaxPoynt_Number__c };
        },
      };
    },
  },
  {
    source: 'pipedrive',
    async start(h) {
      const f = new FakePipedrive();
      await f.start();
      f.now = () => h.clock.now();
      const address = {
        street_number: '12',
        route: 'Marina',
        locality: 'Lagos',
        postal_code: NG_BUYER.postalZone,
        admin_area_level_1: NG_BUYER.state,
        admin_area_level_2: NG_BUYER.lga,
        country: 'NG',
      };
      f.organizations.set(1, { id: 1, name: 'Dangote Cement Plc', custom_fields: { tin: NG_BUYER.tin, email: NG_BUYER.email }, address });
      f.organizations.set(2, { id: 2, name: 'No TIN Ltd', custom_fields: { email: NG_BUYER.email }, address });
      const products = [
        {
          id: 1,
          name: 'Cement 50kg',
          quantity: 2,
          item_price: 5000,
          discount: 0,
          discount_type: 'percentage',
          tax: 7.5,
          tax_method: 'exclusive',
          currency: 'NGN',
          sum: 10750,
        },
        {
          id: 2,
          name: 'Delivery',
          quantity: 1,
          item_price: 5000,
          discount: 10,
          discount_type: 'percentage',
          tax: 7.5,
          tax_method: 'exclusive',
          currency: 'NGN',
          sum: 4837.5,
        },
      ];
      f.putDeal(
        { id: 70, title: 'Cement', status: 'won', value: 15587.5, currency: 'NGN', org_id: 1, won_time: '2026-11-20T10:00:00Z' },
        { products },
      );
      f.putDeal(
        { id: 71, title: 'No TIN', status: 'won', value: 15587.5, currency: 'NGN', org_id: 2, won_time: '2026-11-20T10:00:00Z' },
        { products },
      );
      f.organizationFields.push({ key: 'tin', name: 'TIN' }, { key: 'email', name: 'Invoice email' });
      writeTokens(h.secrets, 'pipedrive', { accessToken: f.apiToken });
      h.secrets.set(crmSecret('pipedrive', 'webhook_basic'), 'taxpoynt:s3cret-pass');
      return {
        config: {
          source: 'pipedrive',
          auth: 'api_token',
          baseUrl: f.url,
          map: { paidField: PD_PAID },
          writebackFields: { irn: PD_IRN, status: PD_STATUS, number: PD_NUMBER },
        },
        stop: () => f.stop(),
        won: '70',
        noTin: '71',
        reopen: () => f.putDeal({ ...f.deals.get(70)!, status: 'open' }),
        fixNoTin: () => f.organizations.set(2, { ...f.organizations.get(2)!, custom_fields: { tin: NG_BUYER.tin, email: NG_BUYER.email } }),
        markPaid: () =>
          f.putDeal({ ...f.deals.get(70)!, custom_fields: { ...(f.deals.get(70)!.custom_fields as object), [PD_PAID]: 'Paid' } }),
        lastWriteback: () => {
          const c = f.patches.filter((x) => x.id === 70).at(-1)?.body.custom_fields as Record<string, unknown> | undefined;
          return c && { irn: c[PD_IRN], status: c[PD_STATUS], number: c[PD_NUMBER] };
        },
        deliver: (url, eventId) => f.deliver(url, f.deals.get(70)!, { user: 'taxpoynt', password: 's3cret-pass', id: eventId }),
        deliverForged: (url) => f.deliver(url, f.deals.get(70)!, { user: 'taxpoynt', password: 'wrong-pass', id: 'evt-forged' }),
      };
    },
  },
];
