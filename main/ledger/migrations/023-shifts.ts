import type { Migration } from './index';

// Till shifts and the cash drawer (issue 14). A shift belongs to this terminal and one cashier
// (NULL: a single-till shop without cashier PINs); it opens with a counted float and fixes the
// chain head at the open, so its sales are the cashier's till invoices in the chain range
// (open_head, close_head] — read on the invoices' primary key, never a whole day. Cash in/out
// entries and the close are append-only: a closed shift never changes (a correction is a new
// entry on a later shift). At most one open shift per cashier, refused by the ledger itself.
export const shifts: Migration = {
  id: '023-shifts',
  sql: `
  CREATE TABLE shifts (
    id         INTEGER PRIMARY KEY,
    terminal   TEXT NOT NULL,
    cashier    TEXT,
    day        TEXT NOT NULL,
    opened_at  INTEGER NOT NULL,
    open_head  INTEGER NOT NULL CHECK (open_head >= 0),
    float_kobo INTEGER NOT NULL CHECK (float_kobo >= 0)
  ) STRICT;
  CREATE INDEX shifts_by_day ON shifts (day, id);
  CREATE INDEX shifts_by_cashier ON shifts (terminal, cashier, id);

  CREATE TABLE shift_cash_moves (
    id          INTEGER PRIMARY KEY,
    shift_id    INTEGER NOT NULL REFERENCES shifts (id),
    kind        TEXT NOT NULL CHECK (kind IN ('in', 'out')),
    amount_kobo INTEGER NOT NULL CHECK (amount_kobo > 0),
    reason      TEXT NOT NULL CHECK (length(trim(reason)) BETWEEN 1 AND 200),
    by_name     TEXT,
    at          INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX shift_cash_moves_by_shift ON shift_cash_moves (shift_id, id);

  CREATE TABLE shift_closes (
    shift_id     INTEGER PRIMARY KEY REFERENCES shifts (id),
    closed_at    INTEGER NOT NULL,
    close_head   INTEGER NOT NULL CHECK (close_head >= 0),
    closed_by    TEXT,
    counted_json TEXT NOT NULL CHECK (json_valid(counted_json)),
    report_json  TEXT NOT NULL CHECK (json_valid(report_json))
  ) STRICT;

  CREATE TRIGGER shifts_one_open BEFORE INSERT ON shifts
  WHEN EXISTS (SELECT 1 FROM shifts s WHERE s.terminal = NEW.terminal AND s.cashier IS NEW.cashier
                 AND NOT EXISTS (SELECT 1 FROM shift_closes c WHERE c.shift_id = s.id))
    BEGIN SELECT RAISE(ABORT, 'this cashier already has an open shift: close it first'); END;
  CREATE TRIGGER shift_cash_moves_open_only BEFORE INSERT ON shift_cash_moves
  WHEN EXISTS (SELECT 1 FROM shift_closes c WHERE c.shift_id = NEW.shift_id)
    BEGIN SELECT RAISE(ABORT, 'the shift is closed: a closed shift never changes'); END;

  CREATE TRIGGER shifts_no_update BEFORE UPDATE ON shifts
    BEGIN SELECT RAISE(ABORT, 'shifts are append-only'); END;
  CREATE TRIGGER shifts_no_delete BEFORE DELETE ON shifts
    BEGIN SELECT RAISE(ABORT, 'shifts are append-only'); END;
  CREATE TRIGGER shift_cash_moves_no_update BEFORE UPDATE ON shift_cash_moves
    BEGIN SELECT RAISE(ABORT, 'cash in/out entries are append-only: add a correcting entry'); END;
  CREATE TRIGGER shift_cash_moves_no_delete BEFORE DELETE ON shift_cash_moves
    BEGIN SELECT RAISE(ABORT, 'cash in/out entries are append-only: add a correcting entry'); END;
  CREATE TRIGGER shift_closes_no_update BEFORE UPDATE ON shift_closes
    BEGIN SELECT RAISE(ABORT, 'a closed shift never changes'); END;
  CREATE TRIGGER shift_closes_no_delete BEFORE DELETE ON shift_closes
    BEGIN SELECT RAISE(ABORT, 'a closed shift never changes'); END;
  `,
};
