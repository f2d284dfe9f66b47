import type { Migration } from './index';

// Z reports (day closes) as an append-only record beside the chain, instead of a mutable JSON
// blob in settings. One row per closed period: its Z number (consecutive per ledger), the chain
// range it covers (first/last invoice counter in the report, and the chain head at the close:
// anything issued later belongs to a later period whatever its sale date), when it was closed,
// and the report exactly as computed at the close.
//
// Closes carried over from the old `app.dayCloses` setting were never frozen: their report_json
// is NULL and is sealed once, by the first read after the upgrade (the only UPDATE allowed).
export const zReports: Migration = {
  id: '009-z-reports',
  sql: `
  CREATE TABLE z_reports (
    z_number      INTEGER PRIMARY KEY CHECK (z_number >= 1),
    day           TEXT NOT NULL UNIQUE,
    first_counter INTEGER,
    last_counter  INTEGER,
    head_counter  INTEGER NOT NULL,
    head_hash     TEXT NOT NULL,
    closed_at     INTEGER NOT NULL,
    report_json   TEXT,
    CHECK ((first_counter IS NULL) = (last_counter IS NULL)),
    CHECK (first_counter IS NULL OR (first_counter <= last_counter AND last_counter <= head_counter))
  ) STRICT;

  CREATE TRIGGER z_reports_no_update BEFORE UPDATE ON z_reports
  WHEN NOT (OLD.report_json IS NULL AND NEW.report_json IS NOT NULL
            AND NEW.z_number = OLD.z_number AND NEW.day = OLD.day AND NEW.closed_at = OLD.closed_at
            AND NEW.first_counter IS OLD.first_counter AND NEW.last_counter IS OLD.last_counter
            AND NEW.head_counter = OLD.head_counter AND NEW.head_hash = OLD.head_hash)
    BEGIN SELECT RAISE(ABORT, 'closed Z reports are immutable'); END;
  CREATE TRIGGER z_reports_no_delete BEFORE DELETE ON z_reports
    BEGIN SELECT RAISE(ABORT, 'closed Z reports are immutable'); END;

  -- Carry over the closes kept in settings; the range is the day's invoices issued by then.
  INSERT INTO z_reports (z_number, day, first_counter, last_counter, head_counter, head_hash, closed_at, report_json)
    SELECT CAST(json_extract(c.value, '$.z_number') AS INTEGER), c.key,
           (SELECT MIN(counter) FROM invoices WHERE issue_date = c.key AND recorded_at <= json_extract(c.value, '$.closed_at')),
           (SELECT MAX(counter) FROM invoices WHERE issue_date = c.key AND recorded_at <= json_extract(c.value, '$.closed_at')),
           COALESCE((SELECT MAX(counter) FROM invoices WHERE recorded_at <= json_extract(c.value, '$.closed_at')), 0),
           COALESCE((SELECT hash FROM invoices WHERE recorded_at <= json_extract(c.value, '$.closed_at') ORDER BY counter DESC LIMIT 1),
                    '0000000000000000000000000000000000000000000000000000000000000000'),
           CAST(json_extract(c.value, '$.closed_at') AS INTEGER), NULL
    FROM settings s, json_each(s.value) c
    WHERE s.key = 'app.dayCloses';
  DELETE FROM settings WHERE key = 'app.dayCloses';
  `,
};
