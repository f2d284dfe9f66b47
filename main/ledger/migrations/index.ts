// The ledger's schema, as an ordered list of named migrations. Each is applied once, inside one
// transaction with its record in schema_migrations. Never edit a shipped migration: add a new one.
//
// File names follow the apply order. A migration's *id* is what schema_migrations records on
// every shipped ledger, so ids never change: several (003-print-jobs in 006-print-jobs.ts, …)
// keep the number they were first given. test/ledger/migrations/ upgrades a ledger step by step.
import type { Db } from '../database';
import { foundation } from './001-foundation';
import { outboxLease } from './002-outbox-lease';
import { captureReview } from './003-capture-review';
import { syncReport } from './004-sync-report';
import { capturePoll } from './005-capture-poll';
import { printJobs } from './006-print-jobs';
import { appIndexes } from './007-app-indexes';
import { syncCloudQueue } from './008-sync-cloud-queue';
import { zReports } from './009-z-reports';
import { clearance } from './010-clearance';
import { registerLink } from './011-register-link';
import { crmDeals } from './012-crm-deals';
import { pinThrottle } from './015-pin-throttle';
import { reportQueueIndexes } from './016-report-queue-indexes';
import { crmRegistryPayments } from './018-crm-registry-payments';
import { catalogue } from './019-catalogue';
import { customers } from './020-customers';
import { reportTotals } from './021-report-totals';
import { compactInvoices } from './022-compact-invoices';
import { shifts } from './023-shifts';
import { customerArchive } from './024-customer-archive';
import { dropDateIndex } from './025-drop-date-index';

export interface Migration {
  readonly id: string;
  readonly sql: string;
  /** A data step SQL alone cannot do (e.g. compressing rows), run after `sql` in the same transaction. */
  readonly run?: (db: Db) => void;
  /** Leaves much free space inside pages: the file is VACUUMed once after the step commits. */
  readonly compacts?: boolean;
}

export const MIGRATIONS: readonly Migration[] = [
  foundation,
  outboxLease,
  captureReview,
  syncReport,
  capturePoll,
  printJobs,
  appIndexes,
  syncCloudQueue,
  zReports,
  clearance,
  registerLink,
  crmDeals,
  pinThrottle,
  reportQueueIndexes,
  crmRegistryPayments,
  catalogue,
  customers,
  reportTotals,
  compactInvoices,
  shifts,
  customerArchive,
  dropDateIndex,
];
