// One DealSource per configured CRM, and its DealPoller on a ledger.
import type { ConnectorDeps } from '../connector';
import type { Ledger } from '../../ledger/ledger';
import { ReviewQueue } from '../../ledger/review-queue';
import { CrmDeals } from '../../ledger/crm-deals';
import { HubspotSource } from '../../sources/hubspot/hubspot-source';
import { SalesforceSource } from '../../sources/salesforce/salesforce-source';
import { PipedriveSource } from '../../sources/pipedrive/pipedrive-source';
import type { CrmConnection } from './config';
import { DealPoller, type DealSource } from './deal-poller';

export function createDealSource(config: CrmConnection, deps: ConnectorDeps): DealSource {
  switch (config.source) {
    case 'hubspot':
      return new HubspotSource(config, deps);
    case 'salesforce':
      return new SalesforceSource(config, deps);
    case 'pipedrive':
      return new PipedriveSource(config, deps);
  }
}

export function createDealPoller(
  ledger: Ledger,
  config: CrmConnection,
  deps: ConnectorDeps,
  source = createDealSource(config, deps),
): DealPoller {
  return new DealPoller(ledger.db, ledger, new ReviewQueue(ledger.db), new CrmDeals(ledger.db), source, {
    writeback: config.writeback,
    recheckReviews: config.recheckReviews,
    invoice: (irn) => {
      const inv = ledger.findByIrn(irn);
      return inv ? { invoiceNumber: inv.invoice_number, reportStatus: inv.status } : undefined;
    },
  });
}
