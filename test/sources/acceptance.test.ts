// Issue 17 acceptance, per CRM: a won deal with two products, a discount and VAT becomes ONE B2B
// invoice (381, B2B, PENDING) signed by the fake FIRS/NRS server however many times it is polled;
// its amount equals the deal's; a deal without a TIN waits in review with that reason; a reopened
// deal asks for a credit note. Loopback CRM fakes, the real report worker, a real ledger file.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { harness, type Harness } from '../capture/connectors/harness';
import { FakeHubspot } from '../fakes/hubspot-api';
import { FakeSalesforce } from '../fakes/salesforce-api';
import { FakePipedrive } from '../fakes/pipedrive-api';
import { type FakeFirs, startFakeFirs } from '../fakes/firs-server';
import { SyncService } from '../../main/sync/sync-service';
import { writeTokens } from '../../main/capture/tokens';
import { CrmDeals } from '../../main/ledger/crm-deals';
import { parseCrmConnection, crmSecret } from '../../main/capture/crm/config';
import { createDealPoller } from '../../main/capture/crm/create-source';
import { salesforceExchangeCode } from '../../main/sources/salesforce/salesforce-source';
import type { CrmSource } from '../../shared/capture/crm/outcome';
import { FAST_BACKOFF, quiet, waitFor } from '../sync/helpers';
import { NG_BUYER } from './mapping/support';

const ORG = {
  Name: 'Dangote Cement Plc',
  TIN__c: NG_BUYER.tin,
  Email__c: NG_BUYER.email,
  BillingStreet: NG_BUYER.street,
  BillingCity: NG_BUYER.city,
  BillingPostalCode: NG_BUYER.postalZone,
  BillingState: NG_BUYER.state,
  LGA__c: NG_BUYER.lga,
};
const HS_COMPANY = {
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
interface Crm {
  source: CrmSource;
  start(h: Harness): Promise<{ config: unknown; stop: () => Promise<void>; won: string; noTin: string; reopen: () => void }>;
}

const CRMS: Crm[] = [
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
      return {
        config: { source: 'hubspot', baseUrl: f.url, auth: 'private_app' },
        stop: () => f.stop(),
        won: '900',
        noTin: '901',
        reopen: () => f.putDeal('900', { ...f.deals.get('900')!.properties, dealstage: 'appointmentscheduled' }),
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
      const config = parseCrmConnection({ source: 'salesforce', loginUrl: f.url, auth: 'web_server', clientId: f.clientId });
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
        config,
        stop: () => f.stop(),
        won: '006WON',
        noTin: '006NOTIN',
        reopen: () => f.putOpportunity({ ...f.opportunities.get('006WON')!, IsWon: false, IsClosed: false, StageName: 'Negotiation' }),
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
      writeTokens(h.secrets, 'pipedrive', { accessToken: f.apiToken });
      return {
        config: { source: 'pipedrive', auth: 'api_token', baseUrl: f.url },
        stop: () => f.stop(),
        won: '70',
        noTin: '71',
        reopen: () => f.putDeal({ ...f.deals.get(70)!, status: 'open' }),
      };
    },
  },
];

let h: Harness;
let firs: FakeFirs;
beforeEach(async () => {
  h = harness();
  firs = await startFakeFirs();
});
afterEach(async () => {
  await firs.close();
  h.close();
});

describe('issue 17 acceptance', () => {
  for (const crm of CRMS) {
    it(`${crm.source}: one cleared B2B invoice per won deal, amount = deal, no TIN → review, reopened → credit-note question`, async () => {
      const c = await crm.start(h);
      try {
        const poller = createDealPoller(h.ledger, parseCrmConnection(c.config), h.deps);
        for (let i = 0; i < 3; i++) await poller.runOnce();
        const deals = new CrmDeals(h.db);
        const won = deals.get(crm.source, c.won)!;
        expect(won.state).toBe('invoiced');
        expect(h.db.prepare('SELECT COUNT(*) AS n FROM invoices WHERE source = ?').get(crm.source)).toEqual({ n: 1 });
        const inv = h.ledger.findByIrn(won.irn!)!;
        expect(inv).toMatchObject({ type: '381', b2b: true, net_kobo: 1450000, tax_kobo: 108750, payable_kobo: 1558750 });
        expect(deals.get(crm.source, c.noTin)).toMatchObject({
          state: 'review',
          missing: ['tin'],
          reason: expect.stringMatching(/tin .* is empty/),
        });

        const sync = new SyncService({
          db: h.db,
          ledger: h.ledger,
          firs: { baseUrl: firs.url, apiKey: firs.apiKey, apiSecret: firs.apiSecret, timeoutMs: 2_000 },
          backoff: FAST_BACKOFF,
          pollMs: 20,
          probeMs: 30,
          leaseMs: 10_000,
          authPauseMs: 60_000,
          ratePerSec: 1_000,
          burst: 100,
          log: quiet,
        });
        sync.start();
        await waitFor(() => sync.status().queueDepth === 0, 'report queue drained');
        await sync.close();
        expect(firs.signed.get(inv.irn)?.count).toBe(1);
        expect(firs.signed.get(inv.irn)?.body).toMatchObject({
          invoice_type_code: '381',
          invoice_kind: 'B2B',
          payment_status: 'PENDING',
          legal_monetary_total: { payable_amount: 15587.5 },
        });

        c.reopen();
        await poller.runOnce();
        expect(deals.get(crm.source, c.won)).toMatchObject({
          state: 'credit_review',
          reason: expect.stringMatching(/reopened in the CRM after it was invoiced as/),
        });
        expect(h.db.prepare('SELECT COUNT(*) AS n FROM invoices WHERE source = ?').get(crm.source)).toEqual({ n: 1 });
      } finally {
        await c.stop();
      }
    });
  }
});
