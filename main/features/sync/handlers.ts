// Background status and the FIRS reporting queue: status, retry, problems, requeue.
import { handlers } from '../handler';
import { parseDetails, requireInvoice } from '../common';

export const syncHandlers = handlers({
  'status.get': (_req, { services }) => services.status(),

  'sync.status': (_req, { services }) => services.syncStatus(),

  'sync.retryNow': (_req, { services }) => {
    services.retryNow();
    return services.syncStatus();
  },

  'sync.problems': (_req, { services }) => ({
    items: services.jobs.problems().map((p) => ({
      irn: p.irn,
      invoice_number: p.invoice_number,
      status: p.status,
      attempts: p.attempts,
      last_error: p.message,
      details: parseDetails(p.details),
      updated_at: p.updated_at,
    })),
  }),

  'sync.requeue': (req, { services }) => {
    requireInvoice(services, req.irn);
    return { requeued: services.requeue(req.irn) };
  },
});
