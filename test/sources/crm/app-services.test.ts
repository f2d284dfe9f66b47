// Issue 17 acceptance through the app's own services (what `serve` and Electron start): each CRM
// is stored as a registry connector (settings.update → capture_connector, tokens encrypted), the
// capture service polls it in the background, the webhook receiver takes its deliveries (HubSpot
// v3-signed, Pipedrive Basic auth), and the sync clears the invoice on the fake FIRS server. One
// B2B invoice however often polled or delivered, amount = deal, no TIN → review, the clearance
// state written back as it moves, "paid" in the CRM → one PAID payment-status update, reopened →
// credit-note question.
import { afterEach, describe, expect, it } from 'vitest';
import { AppServices } from '../../../main/app/services';
import { ManagerSession } from '../../../main/app/handlers';
import { dispatch } from '../../../main/app/dispatch';
import type { CaptureService } from '../../../main/capture/capture-service';
import { ConnectorSettings } from '../../../main/capture/config';
import { settingsFromConnection, parseCrmConnection } from '../../../main/capture/crm/config';
import { HttpClient } from '../../../main/capture/http';
import { startFakeFirs } from '../../fakes/firs-server';
import { BUSINESS, keyPair, tempDir } from '../../support/fixture';
import { waitFor } from '../../sync/helpers';
import { CRMS } from './acceptance-crms';

const PIN = '246810';
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()!();
});

describe('CRMs in the app services (background polling, webhook receiver, sync)', () => {
  for (const crm of CRMS) {
    it(`${crm.source}: one cleared invoice however often polled/delivered; review without TIN; clearance written back; paid once; reopened → credit note`, async () => {
      const firs = await startFakeFirs();
      stops.push(() => firs.close());
      const services = new AppServices({ dataDir: tempDir(), mode: 'browser', demoFeedMs: 0, watchMs: 50, log: () => {} });
      stops.push(() => services.stop());
      await services.configure(BUSINESS, keyPair().keysFileJson, PIN);
      const session = new ManagerSession();
      const ok = async (channel: string, payload: unknown = {}) => {
        const r = await dispatch(channel, payload, { services, session }, { checkResponses: true });
        if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
        return r.result as any;
      };
      await ok('manager.unlock', { pin: PIN });
      await ok('settings.update', { firs: { baseUrl: firs.url, apiKey: firs.apiKey, apiSecret: firs.apiSecret } });

      const c = await crm.start({ secrets: services.secrets, clock: { now: () => Date.now() }, deps: { http: new HttpClient(5000) } });
      stops.push(() => c.stop());
      // Stored through the settings channel like any connector: validated by the descriptor's schema.
      const { vendor: _v, ...config } = settingsFromConnection(parseCrmConnection({ ...c.config, writeback: true }));
      const view = await ok('settings.update', { pos: { vendor: crm.source, config } });
      expect(view.pos.find((p: any) => p.vendor === crm.source)).toMatchObject({
        enabled: true,
        credentialsSet: true,
        config: { writeback: true },
      });
      expect(await ok('settings.testConnection', { target: crm.source })).toMatchObject({ ok: true });
      new ConnectorSettings(services.data).saveWebhooks({ enabled: true, port: 0 });

      services.start();
      const capture = services.capture as unknown as CaptureService;
      const deals = services.data.crmDeals;
      // The first background poll runs at start: the won deal is invoiced, the one without a TIN waits.
      await waitFor(() => deals.get(crm.source, c.won)?.state === 'invoiced', `${crm.source} deal invoiced by the background poll`, 20_000);
      const irn = deals.get(crm.source, c.won)!.irn!;
      const inv = services.ledger.findByIrn(irn)!;
      expect(inv).toMatchObject({ type: '381', b2b: true, net_kobo: 1450000, tax_kobo: 108750, payable_kobo: 1558750 });
      expect(deals.get(crm.source, c.noTin)).toMatchObject({
        state: 'review',
        missing: ['tin'],
        reason: expect.stringMatching(/tin .* is empty/),
      });
      expect((await ok('status.get')).capture).toEqual(expect.arrayContaining([expect.objectContaining({ vendor: crm.source })]));

      // Cleared by the sync the app started; polled and delivered again: still one invoice.
      await waitFor(() => firs.signed.get(irn)?.count === 1, 'invoice cleared on the fake FIRS', 20_000);
      for (let i = 0; i < 2; i++) await capture.pollNow(crm.source);
      const listening = capture.status().webhooks.listening;
      expect(listening).not.toBeNull();
      if (c.deliver) {
        const url = `http://127.0.0.1:${listening!.port}/webhooks/${crm.source}`;
        const first = await c.deliver(url, '4101');
        expect(first.status).toBe(200);
        expect(JSON.parse(first.body).results[0]).toMatchObject({ duplicate: false, deals: [{ deal: c.won, outcome: 'none' }] });
        expect(JSON.parse((await c.deliver(url, '4101')).body)).toMatchObject({ ok: true, duplicate: true });
        // Forged or replayed deliveries are refused before anything is read.
        expect((await c.deliverForged!(url, 'tampered')).status).toBe(401);
        expect((await c.deliverForged!(url, 'stale')).status).toBe(401);
      }
      const count = () => services.ledger.db.prepare('SELECT COUNT(*) AS n FROM invoices WHERE source = ?').get(crm.source);
      expect(count()).toEqual({ n: 1 });
      expect(firs.signed.get(irn)?.count).toBe(1);
      expect(firs.signed.get(irn)?.body).toMatchObject({
        invoice_type_code: '381',
        invoice_kind: 'B2B',
        payment_status: 'PENDING',
        legal_monetary_total: { payable_amount: 15587.5 },
      });

      // The clearance state moved to cleared: the next poll writes it back with the IRN and number.
      await capture.pollNow(crm.source);
      expect(c.lastWriteback()).toEqual({ irn, status: 'cleared', number: inv.invoice_number });
      expect(deals.get(crm.source, c.won)).toMatchObject({ writeback: 'done', writebackState: 'cleared' });

      // Paid in the CRM: one PAID payment-status update, however often the deal is read again.
      c.markPaid();
      for (let i = 0; i < 3; i++) await capture.pollNow(crm.source);
      await waitFor(() => firs.payments.get(irn)?.payment_status === 'PAID', 'payment status PAID on the platform', 20_000);
      await capture.pollNow(crm.source);
      await new Promise((r) => setTimeout(r, 1_500)); // a sync pass or two
      expect(firs.requests.filter((r) => r.method === 'PATCH' && r.path.includes('/invoice/update/')).length).toBe(1);
      expect(firs.payments.get(irn)).toEqual({ payment_status: 'PAID', reference: `${crm.source}:${c.won}` });

      // Reopened in the CRM after invoicing: the manager is asked about a credit note; no second invoice.
      c.reopen();
      await capture.pollNow(crm.source);
      expect(deals.get(crm.source, c.won)).toMatchObject({
        state: 'credit_review',
        reason: expect.stringMatching(/reopened in the CRM after it was invoiced as/),
      });
      expect(count()).toEqual({ n: 1 });

      // Manager → Deals sees it with its invoice, clearance and payment; "keep" answers the question.
      const listed = (await ok('deals.list', { source: crm.source })).deals;
      expect(listed.find((d: any) => d.dealId === c.won)).toMatchObject({
        state: 'credit_review',
        irn,
        invoiceNumber: inv.invoice_number,
        clearance: 'cleared',
        paid: true,
        amountKobo: crm.source === 'pipedrive' ? 1558750 : 1450000,
      });
      expect(listed.find((d: any) => d.dealId === c.noTin)).toMatchObject({ state: 'review', missing: ['tin'] });
      expect(await ok('deals.keep', { source: crm.source, dealId: c.won })).toMatchObject({ state: 'invoiced', irn });
      const again = await dispatch('deals.keep', { source: crm.source, dealId: c.won }, { services, session }, { checkResponses: true });
      expect(again).toMatchObject({
        ok: false,
        error: { code: 'invalid_request', message: expect.stringMatching(/not waiting for a credit-note decision/) },
      });
    }, 90_000);
  }
});
