import type { Migration } from './index';

// invoices_by_date (issue_date) is a prefix of invoices_day (issue_date, counter, …, migration 022):
// every query by date can use the covering one, and each sale wrote a page of both (issue 15:
// pages written per sale's commit).
export const dropDateIndex: Migration = {
  id: '025-drop-date-index',
  sql: `
  DROP INDEX IF EXISTS invoices_by_date;
  `,
};
