// Look-ups several features need, with the errors the renderer shows.
import type { Business } from '../../shared/domain/business';
import { toLagos } from '../../shared/domain/lagos-time';
import type { IssuedInvoice } from '../ledger/ledger';
import type { AppServices } from '../app/services';
import { AppError } from './handler';

export function requireInvoice(s: AppServices, irn: string): IssuedInvoice {
  const inv = s.ledger.findByIrn(irn);
  if (!inv) throw new AppError('not_found', `irn: no invoice ${irn} on this terminal`);
  return inv;
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
