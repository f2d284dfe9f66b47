// The CRM deal mappers by source (the `ingest --source` values and the pollers' lookup).
import type { CrmSource, DealOutcome } from './outcome';
import { mapHubspot } from '../../sources/hubspot/map-hubspot';
import { mapSalesforce } from '../../sources/salesforce/map-salesforce';
import { mapPipedrive } from '../../sources/pipedrive/map-pipedrive';

export type DealMapper = (payload: unknown, options?: Record<string, unknown>) => DealOutcome[];

export const DEAL_MAPPERS: Record<CrmSource, DealMapper> = {
  hubspot: (p, o) => mapHubspot(p, o as Parameters<typeof mapHubspot>[1]),
  salesforce: (p, o) => mapSalesforce(p, o as Parameters<typeof mapSalesforce>[1]),
  pipedrive: (p, o) => mapPipedrive(p, o as Parameters<typeof mapPipedrive>[1]),
};
