import type { Migration } from './index';

// Register link (issue 16). Every byte a register sends is journalled in register_link_chunks
// before it is parsed (markers for idle gaps and ends of jobs too, so a replay after a restart
// cuts the same pieces); register_link_cursor is how far the stream has been turned into
// captures; register_link_captures keeps each piece with its raw bytes and what became of it.
export const registerLink: Migration = {
  id: '011-register-link',
  sql: `
  CREATE TABLE register_link_chunks (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    link        TEXT NOT NULL,
    pos         INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('data', 'idle', 'end-of-job')),
    bytes       BLOB NOT NULL,
    received_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX register_link_chunks_link ON register_link_chunks (link, pos);
  CREATE TABLE register_link_cursor (
    link       TEXT PRIMARY KEY,
    pos        INTEGER NOT NULL,
    codepage   INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE register_link_captures (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    link         TEXT NOT NULL,
    mode         TEXT NOT NULL CHECK (mode IN ('sales', 'print')),
    start_offset INTEGER NOT NULL,
    end_offset   INTEGER NOT NULL,
    raw          BLOB NOT NULL,
    text         TEXT,
    status       TEXT NOT NULL CHECK (status IN ('issued', 'review', 'rejected', 'not_sale')),
    reason       TEXT,
    template     TEXT,
    external_id  TEXT,
    irn          TEXT,
    duplicate    INTEGER NOT NULL DEFAULT 0,
    review_id    INTEGER,
    received_at  INTEGER NOT NULL,
    UNIQUE (link, start_offset)
  ) STRICT;
  CREATE INDEX register_link_captures_status ON register_link_captures (status, id);
  `,
};
