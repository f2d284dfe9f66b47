// Who may do what at the till. A cashier works today's sales; the manager (PIN-unlocked session)
// also sees other days and credits sales from another day or above the configured amount. Pure
// rules over plain facts, so handlers (wherever they live) make one call each.
import { formatNaira, type Kobo } from '../../shared/domain/money';

export type Decision = { allowed: true } | { allowed: false; reason: string };

const ALLOW: Decision = { allowed: true };

export interface Caller {
  /** The manager PIN has unlocked this window/browser session. */
  manager: boolean;
  /** Today's Lagos calendar day. */
  today: string;
}

/** invoices.get, receipt.preview, receipt.reprint: a cashier sees today's invoices only. */
export function mayViewInvoice(caller: Caller, invoice: { irn: string; issue_date: string }): Decision {
  if (caller.manager || invoice.issue_date === caller.today) return ALLOW;
  return {
    allowed: false,
    reason: `irn: ${invoice.irn} is from ${invoice.issue_date}; invoices of other days than today (${caller.today}) need the manager PIN`,
  };
}

/** invoices.refund: another day's sale, or a credit above the limit, needs the manager. */
export function mayCredit(
  caller: Caller,
  original: { irn: string; issue_date: string },
  creditKobo: Kobo,
  limitKobo: Kobo | null,
): Decision {
  if (caller.manager) return ALLOW;
  if (original.issue_date !== caller.today) {
    return {
      allowed: false,
      reason: `irn: ${original.irn} was sold on ${original.issue_date}; crediting a sale from another day needs the manager PIN`,
    };
  }
  if (limitKobo !== null && creditKobo > limitKobo) {
    return {
      allowed: false,
      reason: `lines: a credit of ${formatNaira(creditKobo)} is above the cashier limit of ${formatNaira(limitKobo)}; it needs the manager PIN`,
    };
  }
  return ALLOW;
}
