// Reading invoices: a day's list (other days than today only for the manager), one in full.
import { AppError, handlers } from '../handler';
import { requireInvoice, today } from '../common';
import { invoiceDetail } from './service';

export const invoiceHandlers = handlers({
  'invoices.listByDay': (req, { services, session }) => {
    if (req.date !== today(services) && !session.isUnlocked()) {
      throw new AppError(
        'locked',
        `date: other days than today (${today(services)}) are in the manager's day view: unlock with the manager PIN`,
      );
    }
    return services.dayView.list(req);
  },

  'invoices.get': (req, { services }) => invoiceDetail(services.data, requireInvoice(services, req.irn)),
});
