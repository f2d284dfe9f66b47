import type { Migration } from './index';
import { backfillReportTotals } from '../report-totals';

// Running report totals (issue 15): the day summary and the Z report added up as each sale is
// issued, in its own transaction (main/ledger/report-totals.ts says what the rows hold), instead of
// parsing every invoice of the day on each read. The invoices already in the ledger are added up
// once here, in TypeScript (the totals come from the canonical sale by the same computeTotals as
// at issue); a day that cannot be is listed in report_totals_gaps and keeps its old reading.
export const reportTotals: Migration = {
  id: '021-report-totals',
  sql: `
  CREATE TABLE report_totals (
    issue_date    TEXT NOT NULL,
    after_z       INTEGER NOT NULL CHECK (after_z >= 0),
    demo          INTEGER NOT NULL CHECK (demo IN (0, 1)),
    dim           TEXT NOT NULL CHECK (dim IN ('doc', 'vat', 'pay', 'hour')),
    key           TEXT NOT NULL,
    n             INTEGER NOT NULL,
    a             INTEGER NOT NULL,
    b             INTEGER NOT NULL,
    c             INTEGER NOT NULL,
    d             INTEGER NOT NULL,
    first_counter INTEGER NOT NULL,
    last_counter  INTEGER NOT NULL,
    PRIMARY KEY (issue_date, after_z, demo, dim, key)
  ) STRICT, WITHOUT ROWID;
  -- A Z period's "issued after the previous close": a range of after_z, then of dates.
  CREATE INDEX report_totals_by_z ON report_totals (after_z, issue_date);

  CREATE TABLE report_totals_gaps (issue_date TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;
  `,
  run: backfillReportTotals,
};
