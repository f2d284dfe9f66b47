// The data interface: every feature's questions and writes to the ledger file, as named modules
// over one connection (after Signal Desktop's ts/sql/Interface.ts). Nothing outside main/ledger/
// writes SQL or holds the raw connection for queries; features take the module they need.
//
// Adding a feature's data: write main/ledger/<feature>.ts — a class taking the `Db` (SQL
// statements through `prepared`, rows through `one`/`many` with a zod schema from ./rows) —
// and add one line to `Data` and one to `openData` below. A new table comes with a migration
// (main/ledger/migrations/) and its test (test/ledger/migrations/).
import type { Db } from './database';
import { Ledger } from './ledger';
import { ReportJobs } from './report-jobs';
import { PrintJobs } from './print-jobs';
import { ReviewQueue } from './review-queue';
import { InvoiceQueries, OutboxQueries } from './invoice-queries';
import { DayView, reportInvoicePage, reportInvoices } from './day-view';
import { ZReports } from './z-reports';
import { SettingsStore } from './settings-store';
import { CaptureStore } from './capture-store';
import { CloudStore } from './cloud-store';
import { CodeListStore } from './code-list-store';
import { RegisterLinkStore } from './register-link-store';
import { Catalogue, Customers } from './catalogue';
import { CrmDeals } from './crm-deals';
import { PaymentOutbox } from './payment-outbox';
import { Shifts } from './shifts';
import { ReportTotalsStore } from './report-totals';

export interface Data {
  /** Issuing, lookup and verification of the invoice chain. */
  readonly ledger: Ledger;
  readonly invoices: InvoiceQueries;
  readonly outbox: OutboxQueries;
  /** FIRS report jobs (the outbox's 'report' kind) and their attempt journal. */
  readonly reportJobs: ReportJobs;
  readonly printJobs: PrintJobs;
  readonly reviewQueue: ReviewQueue;
  /** The manager's day view (search, filter, page) and the invoices of a day for reports. */
  readonly dayView: DayView;
  readonly reports: {
    dayInvoices: (date: string, upTo?: number) => ReturnType<typeof reportInvoices>;
    /** An export's chunk: see reportInvoicePage. */
    invoicePage: (date: string, after: number, limit: number, each: Parameters<typeof reportInvoicePage>[4]) => number | null;
  };
  /** The day summary's and Z reports' running totals (kept by the ledger as it issues). */
  readonly reportTotals: ReportTotalsStore;
  readonly zReports: ZReports;
  readonly settings: SettingsStore;
  readonly capture: CaptureStore;
  readonly cloud: CloudStore;
  readonly codeLists: CodeListStore;
  /** Register links: the raw byte journal, cursors and captures (issue 16). */
  readonly registerLink: RegisterLinkStore;
  /** The till's product catalogue and B2B buyers (issue 14). */
  readonly catalogue: Catalogue;
  readonly customers: Customers;
  /** CRM deals: what became of each won deal (issue 17), and the payment-status updates queued for them. */
  readonly crmDeals: CrmDeals;
  readonly paymentOutbox: PaymentOutbox;
  /** Till shifts: float, cash in/out, close with counted amounts (issue 14). */
  readonly shifts: Shifts;
}

export function openData(db: Db, now: () => Date = () => new Date()): Data {
  const ms = () => now().getTime();
  return {
    ledger: new Ledger(db, now),
    invoices: new InvoiceQueries(db),
    outbox: new OutboxQueries(db),
    reportJobs: new ReportJobs(db, ms),
    printJobs: new PrintJobs(db),
    reviewQueue: new ReviewQueue(db, ms),
    dayView: new DayView(db),
    reports: {
      dayInvoices: (date, upTo) => reportInvoices(db, date, upTo),
      invoicePage: (date, after, limit, each) => reportInvoicePage(db, date, after, limit, each),
    },
    reportTotals: new ReportTotalsStore(db),
    zReports: new ZReports(db),
    settings: new SettingsStore(db),
    capture: new CaptureStore(db, ms),
    cloud: new CloudStore(db),
    codeLists: new CodeListStore(db),
    registerLink: new RegisterLinkStore(db, ms),
    catalogue: new Catalogue(db, ms),
    customers: new Customers(db, ms),
    crmDeals: new CrmDeals(db, ms),
    paymentOutbox: new PaymentOutbox(db, ms),
    shifts: new Shifts(db),
  };
}
