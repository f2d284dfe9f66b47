// Salesforce end to end over loopback: web-server and JWT bearer flows (instance_url from the token
// answer), SOQL by SystemModstamp with escaped values, nextRecordsUrl paging (also inside a deal's
// line items), INVALID_SESSION_ID renewal, REQUEST_LIMIT_EXCEEDED backoff, one invoice per opportunity.
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSalesforce } from '../../fakes/salesforce-api';
import { harness, invoiceCount, type Harness } from '../../capture/connectors/harness';
import { parseCrmConnection, crmSecret, type SalesforceConnection } from '../../../main/capture/crm/config';
import { createDealPoller, createDealSource } from '../../../main/capture/crm/create-source';
import { salesforceExchangeCode, SalesforceSource } from '../../../main/sources/salesforce/salesforce-source';
import { writeTokens } from '../../../main/capture/tokens';
import { CrmDeals } from '../../../main/ledger/crm-deals';
import { soqlString } from '../../../shared/sources/salesforce/soql';
import { HAVE_FIXTURES, NG_BUYER, real } from '../mapping/support';

const ACCOUNT = {
  Name: 'Dangote Cement Plc',
  TIN__c: NG_BUYER.tin,
  Email__c: NG_BUYER.email,
  BillingStreet: NG_BUYER.street,
  BillingCity: NG_BUYER.city,
  BillingPostalCode: NG_BUYER.postalZone,
  BillingState: NG_BUYER.state,
  LGA__c: NG_BUYER.lga,
  BillingCountry: 'NG',
};

let fake: FakeSalesforce;
let h: Harness;

function seed(f: FakeSalesforce): void {
  const opp = real('salesforce/01-opportunity-with-lineitems-subquery.json').records[0];
  f.putOpportunity(
    {
      Id: opp.Id,
      Name: opp.Name,
      CloseDate: opp.CloseDate,
      Amount: 2340,
      IsWon: true,
      IsClosed: true,
      StageName: 'Closed Won',
      Account: ACCOUNT,
      OpportunityLineItems: [
        {
          Id: opp.OpportunityLineItems.records[0].Id,
          Name: opp.OpportunityLineItems.records[0].PricebookEntry.Name,
          ProductCode: 'MP-1',
          Quantity: 1,
          UnitPrice: 1300,
          Discount: 10,
          TotalPrice: 1170,
        },
        { Id: '00k3F000007kBoEQAU', Name: 'Installation', Quantity: 2, UnitPrice: 585, TotalPrice: 1170 },
      ],
    },
    Date.parse('2026-11-20T09:00:00Z'),
  );
  f.putOpportunity(
    {
      Id: '006Dn000007gWlNIAU',
      Name: "O'Brien & Sons \\ Ltd",
      CloseDate: '2026-11-19',
      Amount: 500,
      IsWon: true,
      IsClosed: true,
      StageName: 'Closed Won',
      Account: { ...ACCOUNT, Name: 'No TIN Ltd', TIN__c: null },
      OpportunityLineItems: [{ Id: '00kX1', Name: 'Survey', Quantity: 1, UnitPrice: 500, TotalPrice: 500 }],
    },
    Date.parse('2026-11-20T09:30:00Z'),
  );
  f.putOpportunity(
    {
      Id: '006OPEN000000001',
      Name: 'Pipeline',
      CloseDate: '2026-12-31',
      Amount: 10,
      IsWon: false,
      IsClosed: false,
      StageName: 'Prospecting',
      Account: ACCOUNT,
      OpportunityLineItems: [],
    },
    Date.parse('2026-11-20T10:00:00Z'),
  );
}

async function connectWebServer(over: Record<string, unknown> = {}): Promise<SalesforceConnection> {
  const config = parseCrmConnection({
    source: 'salesforce',
    loginUrl: fake.url,
    auth: 'web_server',
    clientId: fake.clientId,
    writeback: true,
    ...over,
  }) as SalesforceConnection;
  h.secrets.set(crmSecret('salesforce', 'client_secret'), fake.clientSecret);
  writeTokens(
    h.secrets,
    'salesforce',
    await salesforceExchangeCode(h.deps.http, h.secrets, {
      config,
      clientSecret: fake.clientSecret,
      code: fake.authorizationCode(),
      redirectUri: 'http://localhost/cb',
      now: h.clock.now(),
    }),
  );
  return config;
}

beforeEach(async () => {
  fake = new FakeSalesforce();
  await fake.start();
  h = harness();
  fake.now = () => h.clock.now();
  if (HAVE_FIXTURES) seed(fake);
});
afterEach(async () => {
  h.close();
  await fake.stop();
});

describe.skipIf(!HAVE_FIXTURES)('Salesforce connector', () => {
  it('a won opportunity becomes one invoice; paging follows nextRecordsUrl relative to instance_url; missing TIN is a review; written back', async () => {
    const config = await connectWebServer();
    expect(h.secrets.get(crmSecret('salesforce', 'instance_url'))).toBe(fake.url);
    fake.pageSize = 1;
    fake.childPageSize = 1; // the two line items come on two child pages
    const poller = createDealPoller(h.ledger, config, h.deps);
    const r = await poller.runOnce();
    expect(r).toMatchObject({ pages: 3, issued: 1, reviews: 1 });
    expect(fake.requests.filter((x) => /\/query\/01g/.test(x.path)).length).toBeGreaterThanOrEqual(3);
    expect(fake.queries[0]).toMatch(
      /FROM Opportunity WHERE SystemModstamp >= 1970-01-01T00:00:00.000Z ORDER BY SystemModstamp ASC, Id ASC$/,
    );
    const deals = new CrmDeals(h.db);
    const inv = h.ledger.findByIrn(deals.get('salesforce', '0063F00000RdvMKQAZ')!.irn!)!;
    expect(inv).toMatchObject({ type: '381', b2b: true, net_kobo: 234000, tax_kobo: 17550, payable_kobo: 251550 });
    expect(deals.get('salesforce', '006Dn000007gWlNIAU')).toMatchObject({ state: 'review', missing: ['tin'] });
    expect(fake.patches).toEqual([
      { id: '0063F00000RdvMKQAZ', body: { TaxPoynt_IRN__c: inv.irn, TaxPoynt_Status__c: 'awaiting_clearance' } },
    ]);
    // Again, and again: no second invoice.
    await poller.runOnce();
    await poller.runOnce();
    expect(invoiceCount(h, 'salesforce')).toBe(1);
    expect(
      fake.queries.filter((q) => /WHERE SystemModstamp >= 2026-11-\d\dT\d\d:\d\d:\d\d\.\d{3}Z ORDER BY/.test(q)).length,
    ).toBeGreaterThanOrEqual(2);
    // The review re-check reads the opportunity by Id with an escaped literal.
    expect(fake.queries.some((q) => q.includes(`WHERE Id = ${soqlString('006Dn000007gWlNIAU')}`))).toBe(true);
  });

  it('every value put into SOQL is escaped: a hostile id cannot change the query', async () => {
    const config = await connectWebServer();
    const source = new SalesforceSource(config, h.deps);
    expect(soqlString("x' OR Name != '")).toBe("'x\\' OR Name != \\''");
    expect(await source.fetchDeal("x' OR Name != '")).toBeUndefined(); // parsed as one literal: no opportunity has that id
    expect(fake.queries.at(-1)).toContain("WHERE Id = 'x\\' OR Name != \\''");
    expect(() => source.soql('IsWon = true')).not.toThrow();
    const hostile = new SalesforceSource(
      parseCrmConnection({ ...config, map: { buyerFields: { tin: 'TIN__c FROM User --' } } }) as SalesforceConnection,
      h.deps,
    );
    expect(() => hostile.soql('IsWon = true')).toThrow(/is not a Salesforce field name/);
  });

  it('JWT bearer flow (RS256 signed with node:crypto); an expired session (401 INVALID_SESSION_ID) is renewed once', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    fake.jwtPublicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const config = parseCrmConnection({
      source: 'salesforce',
      loginUrl: fake.url,
      auth: 'jwt',
      clientId: fake.clientId,
      username: fake.jwtUsername,
    }) as SalesforceConnection;
    h.secrets.set(crmSecret('salesforce', 'jwt_private_key'), privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const poller = createDealPoller(h.ledger, config, h.deps);
    expect((await poller.runOnce()).issued).toBe(1);
    const grants = () => fake.requests.filter((r) => r.path === '/services/oauth2/token').map((r) => r.form.get('grant_type'));
    expect(grants()).toEqual(['urn:ietf:params:oauth:grant-type:jwt-bearer']);
    for (const t of fake.sessions.keys()) fake.sessions.set(t, 0); // the org ended the session
    await poller.runOnce();
    expect(grants()).toHaveLength(2);
    expect(fake.requests.some((r) => r.path !== '/services/oauth2/token' && r.headers.authorization === undefined)).toBe(false);
    // A wrong key is refused with Salesforce's words.
    h.secrets.set(
      crmSecret('salesforce', 'jwt_private_key'),
      generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    );
    writeTokens(h.secrets, 'salesforce', { accessToken: 'expired' });
    expect(await createDealSource(config, h.deps).testConnection()).toMatchObject({
      ok: false,
      problem: 'bad_credentials',
      message: expect.stringContaining('invalid assertion'),
    });
  });

  it('403 REQUEST_LIMIT_EXCEEDED is a rate limit (backoff, usage from Sforce-Limit-Info), not a scope problem; unknown fields are named', async () => {
    const config = await connectWebServer();
    fake.apiUsed = fake.apiLimit;
    const err = (await createDealPoller(h.ledger, config, h.deps)
      .runOnce()
      .catch((e: unknown) => e)) as Error & { problem: string };
    expect(err).toMatchObject({
      problem: 'rate_limited',
      message: expect.stringContaining('REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.'),
    });
    expect(err.message).toContain('usage api-usage=15000/15000');
    expect(h.clock.waits.length).toBeGreaterThan(0);
    fake.apiUsed = 0;
    const bad = await createDealSource(
      parseCrmConnection({ ...config, map: { buyerFields: { tin: 'VAT_Number__c' } } }),
      h.deps,
    ).testConnection();
    expect(bad).toMatchObject({
      ok: false,
      problem: 'unknown_field',
      message: expect.stringContaining("No such column 'VAT_Number__c' on entity 'Account'"),
    });
    expect(await createDealSource(config, h.deps).testConnection()).toMatchObject({ ok: true });
  });
});
