// The Deals screen's channels (shared/ipc/contract.ts deals.*): list, re-try, credit, keep, stages.
import { handlers } from '../handler';
import { creditDeal, crmStages, keepDeal, listDeals, retryDeal } from './service';

export const dealsHandlers = handlers({
  'deals.list': (req, { services }) => ({ deals: listDeals(services, req) }),
  'deals.retry': (req, { services }) => retryDeal(services, req.source, req.dealId),
  'deals.credit': (req, { services }) => creditDeal(services, req.source, req.dealId),
  'deals.keep': (req, { services }) => keepDeal(services, req.source, req.dealId),
  'deals.stages': (req, { services }) => crmStages(services, req.source),
});
