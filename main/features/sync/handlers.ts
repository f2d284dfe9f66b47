// Background status and the FIRS reporting queue: status, retry, problems, requeue; the
// onboarding self-check against the platform ("Check with FIRS").
import { handlers } from '../handler';
import { parseDetails, requireBusiness, requireInvoice } from '../common';
import { FirsClient } from '../../firs/firs-client';
import { firsCheck } from '../../firs/firs-check';

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
      collision: p.collision,
    })),
  }),

  'sync.requeue': (req, { services }) => {
    requireInvoice(services, req.irn);
    return { requeued: services.requeue(req.irn) };
  },

  'firs.check': async (_req, { services }) => {
    const business = requireBusiness(services);
    const cfg = services.firsConfig();
    if (!cfg)
      return {
        ok: false,
        baseUrl: '',
        steps: [
          {
            name: 'FIRS connection',
            ok: false,
            problems: [{ message: 'FIRS is not configured: enter the base URL, API key and API secret in Settings' }],
          },
        ],
      };
    return firsCheck(new FirsClient({ ...cfg, timeoutMs: 15_000 }), business, cfg.baseUrl);
  },
});
