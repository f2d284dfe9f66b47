// The till's writes: a manual sale, a refund (credit note) of an issued invoice.
import { handlers } from '../handler';
import { caller, enforce, requireBusiness, requireInvoice } from '../common';
import { mayCredit } from '../../app/access-policy';
import { refund } from './refund-service';

export const salesHandlers = handlers({
  'sales.createManual': (req, { services }) => {
    requireBusiness(services);
    // In the demo store every sale is a demo sale: labelled DEMO, never reported.
    const sale = services.isDemo ? { ...req.sale, source: 'demo' as const } : req.sale;
    const r = services.ledger.issue(sale);
    services.pushNewInvoices();
    return { duplicate: r.duplicate, invoice: services.dayView.summary(r.invoice.counter)! };
  },

  'invoices.refund': (req, { services, session }) => {
    const original = requireInvoice(services, req.irn);
    const r = refund(services.data, original, req, {
      demo: services.isDemo,
      now: services.now(),
      authorize: (creditKobo) =>
        enforce(mayCredit(caller(services, session), original, creditKobo, services.settings.get('access')!.refundLimitKobo)),
    });
    services.pushNewInvoices();
    return { duplicate: r.duplicate, invoice: services.dayView.summary(r.invoice.counter)! };
  },
});
