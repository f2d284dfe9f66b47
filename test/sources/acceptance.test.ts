// Issue 17 acceptance, per CRM: a won deal with two products, a discount and VAT becomes ONE B2B
// invoice (381, B2B, PENDING) signed by the fake FIRS/NRS server however many times it is polled;
// its amount equals the deal's; a deal without a TIN waits in review with that reason; a reopened
// deal asks for a credit note. Loopback CRM fakes, the real report worker, a real ledger file.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { harness, type Harness } from '../capture/connectors/harness';
import { type FakeFirs, startFakeFirs } from '../fakes/firs-server';
import { SyncService } from '../../main/sync/sync-service';
import { CrmDeals } from '../../main/ledger/crm-deals';
import { parseCrmConnection } from '../../main/capture/crm/config';
import { createDealPoller } from '../../main/capture/crm/create-source';
import { FAST_BACKOFF, quiet, waitFor } from '../sync/helpers';
import { CRMS } from './crm/acceptance-crms';

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
