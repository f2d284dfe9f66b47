import type { Db } from '../database';
import type { Migration } from './index';
import { deflatePair, pairText } from '../invoice-body';
import { indexSearch, searchFields } from '../invoice-search';

// A year of sales in a fraction of the space, verified fast (issue 15).
//
// - The two JSON texts move into invoices.body: one raw-deflate blob against a dictionary kept in
//   json_dictionaries (main/ledger/invoice-body.ts). invoice_json and sale_json stay as columns
//   (STRICT, NOT NULL: rebuilding a table others' triggers and keys point at is not worth the
//   risk) but hold '' from here on. The chain is unchanged: the body gives back the very texts
//   that were hashed, so `verify` after this step checks the same hashes as before it.
// - The day view's filters had read the sale JSON in SQL (json_extract over every invoice of the
//   day): the buyer's name and TIN and the payment methods become columns, and a trigram FTS5
//   table (rowid = counter) holds what the search box matches (number, IRN, external id, buyer,
//   TIN, item names), all written in the issuing transaction. invoices_day covers the day's count
//   and totals and the amount search, so neither reads the invoice rows.
// - chain_checkpoints: heads that `verify` walked up to (append-only), so the next `verify`
//   starts there; `verify --full` walks from the start again.
//
// Existing rows are rewritten once, in batches, inside the migration's transaction: a crash
// leaves the ledger as it was. The update trigger is lifted only for that and put back as it was.
// Rows shrunk in place leave their pages mostly empty, so the file is VACUUMed once after the
// step commits (`compacts`; a crash there leaves the migrated, uncompacted file, still correct).
const IMMUTABLE_UPDATE = `CREATE TRIGGER invoices_no_update BEFORE UPDATE ON invoices
    BEGIN SELECT RAISE(ABORT, 'issued invoices are immutable: issue a credit note instead'); END;`;

export const compactInvoices: Migration = {
  id: '022-compact-invoices',
  sql: `
  CREATE TABLE json_dictionaries (
    id         INTEGER PRIMARY KEY,
    dictionary BLOB NOT NULL,
    created_at INTEGER NOT NULL
  ) STRICT;
  CREATE TRIGGER json_dictionaries_no_update BEFORE UPDATE ON json_dictionaries
    BEGIN SELECT RAISE(ABORT, 'compression dictionaries are immutable: stored invoices depend on them'); END;
  CREATE TRIGGER json_dictionaries_no_delete BEFORE DELETE ON json_dictionaries
    BEGIN SELECT RAISE(ABORT, 'compression dictionaries are immutable: stored invoices depend on them'); END;

  ALTER TABLE invoices ADD COLUMN dictionary_id INTEGER REFERENCES json_dictionaries(id);
  ALTER TABLE invoices ADD COLUMN body BLOB;
  ALTER TABLE invoices ADD COLUMN customer TEXT;
  ALTER TABLE invoices ADD COLUMN customer_tin TEXT;
  ALTER TABLE invoices ADD COLUMN methods TEXT NOT NULL DEFAULT '';

  CREATE VIRTUAL TABLE invoice_search USING fts5(text, content = '', tokenize = 'trigram');
  CREATE INDEX invoices_day ON invoices (issue_date, counter, type, payable_kobo, tax_kobo);

  CREATE TABLE chain_checkpoints (
    id          INTEGER PRIMARY KEY,
    counter     INTEGER NOT NULL CHECK (counter >= 0),
    hash        TEXT NOT NULL,
    full        INTEGER NOT NULL CHECK (full IN (0, 1)),
    verified_at INTEGER NOT NULL
  ) STRICT;
  CREATE TRIGGER chain_checkpoints_no_update BEFORE UPDATE ON chain_checkpoints
    BEGIN SELECT RAISE(ABORT, 'chain checkpoints are append-only'); END;
  CREATE TRIGGER chain_checkpoints_no_delete BEFORE DELETE ON chain_checkpoints
    BEGIN SELECT RAISE(ABORT, 'chain checkpoints are append-only'); END;
  `,
  run: compactRows,
  compacts: true,
};

interface OldRow {
  counter: number;
  invoice_number: string;
  irn: string;
  external_id: string;
  invoice_json: string;
  sale_json: string;
}

const BATCH = 2_000;

function compactRows(db: Db): void {
  const newest = db.prepare('SELECT counter, invoice_json, sale_json FROM invoices ORDER BY counter DESC LIMIT 1').get() as
    OldRow | undefined;
  if (!newest) return;
  // The newest invoice is the dictionary: it carries the store's current details and items.
  const dictionary = pairText(newest);
  db.prepare('INSERT INTO json_dictionaries (id, dictionary, created_at) VALUES (1, ?, ?)').run(dictionary, Date.now());
  db.exec('DROP TRIGGER invoices_no_update');
  const read = db.prepare(
    `SELECT counter, invoice_number, irn, external_id, invoice_json, sale_json FROM invoices WHERE counter > ? ORDER BY counter LIMIT ${BATCH}`,
  );
  const write = db.prepare(
    `UPDATE invoices SET invoice_json = '', sale_json = '', dictionary_id = @dictionary_id, body = @body,
       customer = @customer, customer_tin = @customer_tin, methods = @methods WHERE counter = @counter`,
  );
  let after = 0;
  for (;;) {
    const rows = read.all(after) as OldRow[];
    if (rows.length === 0) break;
    for (const r of rows) {
      const { text, ...fields } = searchFields(r, JSON.parse(r.sale_json) as Parameters<typeof searchFields>[1]);
      write.run({ dictionary_id: 1, body: deflatePair(pairText(r), dictionary), ...fields, counter: r.counter });
      indexSearch(db, r.counter, text);
    }
    after = rows.at(-1)!.counter;
  }
  db.exec(IMMUTABLE_UPDATE);
}
