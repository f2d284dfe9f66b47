// Look-ups several features need, with the errors the renderer shows.
import type { Business } from '../../shared/domain/business';
import { toLagos } from '../../shared/domain/lagos-time';
import type { IssuedInvoice } from '../ledger/ledger';
import type { AppServices } from '../app/services';
import { AppError, type ManagerSession } from './handler';
import { mayViewInvoice, type Caller, type Decision } from '../app/access-policy';

export function requireInvoice(s: AppServices, irn: string): IssuedInvoice {
  const inv = s.ledger.findByIrn(irn);
  if (!inv) throw new AppError('not_found', `irn: no invoice ${irn} on this terminal`);
  return inv;
}

/** Who is calling, for the access policy (main/app/access-policy.ts). */
export function caller(s: AppServices, session: ManagerSession): Caller {
  return { manager: session.isUnlocked(), today: today(s) };
}

/** A refused access decision as the renderer's 403 `locked` error, naming why. */
export function enforce(d: Decision): void {
  if (!d.allowed) throw new AppError('locked', d.reason);
}

/** An invoice the caller may see (a cashier: today's only). */
export function visibleInvoice(s: AppServices, session: ManagerSession, irn: string): IssuedInvoice {
  const inv = requireInvoice(s, irn);
  enforce(mayViewInvoice(caller(s, session), inv));
  return inv;
}

/** The signed-in cashier of this session if they are still one of the shop's cashiers (removed: signed out). */
export function tillCashier(s: AppServices, session: ManagerSession): string | undefined {
  const name = session.cashier;
  if (name === undefined) return undefined;
  if (s.pin.cashiers().includes(name)) return name;
  session.signOutCashier();
  return undefined;
}

/** What an issued sale records as its cashier, when the manager acts without a cashier signed in. */
export const MANAGER_AS_CASHIER = 'Manager';

/**
 * Who issues this sale or credit note. A shop with cashier PINs needs someone signed in at the till
 * (or the manager unlocked); a single-till shop (no cashiers) records nobody, as before.
 */
export function issuingCashier(s: AppServices, session: ManagerSession): string | undefined {
  const cashier = tillCashier(s, session);
  if (cashier !== undefined) return cashier;
  if (s.pin.cashiers().length === 0) return undefined;
  if (session.isUnlocked()) return MANAGER_AS_CASHIER;
  throw new AppError('locked', 'nobody is signed in at this till: choose your name and enter your cashier PIN first');
}

export function requireBusiness(s: AppServices): Business {
  const b = s.ledger.getBusiness();
  if (!b) throw new AppError('not_setup', 'this terminal is not set up yet: run the setup wizard or try the demo store');
  return b;
}

/** Today's Lagos date on the app's clock. */
export function today(s: AppServices): string {
  return toLagos(s.now()).date;
}

/** A stored JSON text (attempt details) as data, or the text itself if it is not JSON. */
export function parseDetails(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
