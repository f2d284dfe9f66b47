// The ledger's schema, as an ordered list of named migrations. Each is applied once, inside one
// transaction with its record in schema_migrations. Named (not numbered) so that independent
// features can add theirs without colliding. Never edit a shipped migration: add a new one.
import { foundation } from './001-foundation';
import { outboxLease } from './002-outbox-lease';
import { printJobs } from './003-print-jobs';
import { syncReport } from './004-sync-report';
import { syncCloudQueue } from './004-sync-cloud-queue';
import { captureReview } from './006-capture-review';
import { capturePoll } from './007-capture-poll';
import { appIndexes } from './009-app-indexes';
import { crmDeals } from './012-crm-deals';

export interface Migration {
  readonly id: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [foundation, outboxLease, captureReview, syncReport, capturePoll, printJobs, appIndexes, syncCloudQueue, crmDeals];
