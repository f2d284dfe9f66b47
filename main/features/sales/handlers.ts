// The till's writes: a manual sale, a refund (credit note) of an issued invoice.
import { handlers } from '../handler';
import { AppError } from '../handler';
import { caller, enforce, issuingCashier, requireBusiness, requireInvoice } from '../common';
import { discountApprovalReason } from '../../../shared/domain/discount';
import { tillSettings } from '../till/service';
import { mayCredit } from '../../app/access-policy';
import { refund } from './refund-service';
import { checkMaySell } from '../shifts/service';
import type { AppServices } from '../../app/services';
import type { InvoiceSummary } from '../../../shared/ipc/contract';

export const salesHandlers = handlers({
  'sales.createManual': (req, { services, session }) => {
    const business = requireBusiness(services);
    // The cashier comes from this session's sign-in, never from the request (a till cannot name someone else).
    const { cashier: _claimed, ...entered } = req.sale;
    const cashier = issuingCashier(services, session);
    checkMaySell({ data: services.data, terminal: business.terminal, cashier: cashier ?? null });
    const own = cashier === undefined ? entered : { ...entered, cashier };
    // In the demo store every sale is a demo sale: labelled DEMO, never reported.
    const sale = services.isDemo ? { ...own, source: 'demo' as const } : own;
    // A discount above the till's limit needs the manager: an unlocked session, or the PIN given
    // for this sale alone (checked on the same wrong-PIN throttle; it unlocks nothing).
    const tooMuch = discountApprovalReason(sale, tillSettings(services.data).discount_approval_above_pct);
    if (tooMuch && !session.isUnlocked()) {
      if (req.managerPin === undefined) throw new AppError('locked', tooMuch);
      const ok = services.pin.check(req.managerPin);
      if (!ok.ok)
        throw new AppError(
          'locked',
          `managerPin: ${ok.retryAfterS ? `too many wrong PINs: try again in ${ok.retryAfterS} s` : ok.message}`,
        );
    }
    const r = services.ledger.issue(sale);
    return { duplicate: r.duplicate, invoice: pushedSummary(services, r.invoice.counter) };
  },

  'invoices.refund': (req, { services, session }) => {
    const original = requireInvoice(services, req.irn);
    const cashier = issuingCashier(services, session);
    checkMaySell({ data: services.data, terminal: requireBusiness(services).terminal, cashier: cashier ?? null });
    const r = refund(services.data, original, req, {
      cashier,
      demo: services.isDemo,
      now: services.now(),
      authorize: (creditKobo) =>
        enforce(mayCredit(caller(services, session), original, creditKobo, services.settings.get('access')!.refundLimitKobo)),
    });
    return { duplicate: r.duplicate, invoice: pushedSummary(services, r.invoice.counter) };
  },
});

/**
 * Pushes the new invoices to every window and answers with this one's list row: the row just read
 * for the push, not read a second time (a duplicate sale was pushed before: read it then).
 */
function pushedSummary(services: AppServices, counter: number): InvoiceSummary {
  return services.pushNewInvoices().find((s) => s.counter === counter) ?? services.dayView.summary(counter)!;
}
