// The register link's durable journal (migration 011): raw chunks as received, the per-link
// cursor, and the captures cut from the stream. Rows are checked with zod at the boundary.
import { z } from 'zod';
import type { Db } from './database';
import { prepared } from './prepared';

export type ChunkKind = 'data' | 'idle' | 'end-of-job';
export type CaptureStatus = 'issued' | 'review' | 'rejected' | 'not_sale';

const ChunkRow = z.object({
  id: z.number().int(),
  link: z.string(),
  at: z.number().int(),
  kind: z.enum(['data', 'idle', 'end-of-job']),
  bytes: z.instanceof(Uint8Array),
  received_at: z.number().int(),
});
export type Chunk = z.infer<typeof ChunkRow>;

const CursorRow = z.object({ at: z.number().int(), codepage: z.number().int() });
const EndRow = z.object({ at: z.number().int(), n: z.number().int() });

const CaptureRow = z.object({
  id: z.number().int(),
  link: z.string(),
  mode: z.enum(['sales', 'print']),
  start_offset: z.number().int(),
  end_offset: z.number().int(),
  raw: z.instanceof(Uint8Array),
  text: z.string().nullable(),
  status: z.enum(['issued', 'review', 'rejected', 'not_sale']),
  reason: z.string().nullable(),
  template: z.string().nullable(),
  external_id: z.string().nullable(),
  irn: z.string().nullable(),
  duplicate: z.number().int(),
  review_id: z.number().int().nullable(),
  received_at: z.number().int(),
});
export type CaptureRecord = Omit<z.infer<typeof CaptureRow>, 'duplicate'> & { duplicate: boolean };

export interface NewCapture {
  link: string;
  mode: 'sales' | 'print';
  start: number;
  end: number;
  raw: Uint8Array;
  text: string | null;
  status: CaptureStatus;
  reason?: string | null;
  template?: string | null;
  externalId?: string | null;
  irn?: string | null;
  duplicate?: boolean;
  reviewId?: number | null;
  receivedAt: number;
}

export class RegisterLinkStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /** Journals a chunk (or a zero-length marker) and returns its absolute stream offset. Durable at return. */
  append(link: string, kind: ChunkKind, bytes: Uint8Array): { id: number; offset: number } {
    return this.db
      .transaction(() => {
        const last = prepared(
          this.db,
          'SELECT pos AS at, length(bytes) AS n FROM register_link_chunks WHERE link = ? ORDER BY id DESC LIMIT 1',
        ).get(link);
        const offset = last ? streamEnd(last) : this.cursor(link).offset;
        const r = prepared(this.db, 'INSERT INTO register_link_chunks (link, pos, kind, bytes, received_at) VALUES (?, ?, ?, ?, ?)').run(
          link,
          offset,
          kind,
          Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
          this.now(),
        );
        return { id: Number(r.lastInsertRowid), offset };
      })
      .immediate();
  }

  /** Chunks that end after `offset` (the ones a replay from the cursor needs), in order. */
  chunksFrom(link: string, offset: number): Chunk[] {
    const rows = prepared(
      this.db,
      'SELECT id, link, pos AS at, kind, bytes, received_at FROM register_link_chunks WHERE link = ? AND pos + length(bytes) >= ? ORDER BY id',
    ).all(link, offset);
    return rows.map((r) => ChunkRow.parse(r));
  }

  cursor(link: string): { offset: number; codepage: number } {
    const row = prepared(this.db, 'SELECT pos AS at, codepage FROM register_link_cursor WHERE link = ?').get(link);
    if (!row) return { offset: 0, codepage: 0 };
    const c = CursorRow.parse(row);
    return { offset: c.at, codepage: c.codepage };
  }

  /** Moves the cursor (call inside the transaction that records what the bytes became). */
  advance(link: string, offset: number, codepage = 0): void {
    prepared(
      this.db,
      `INSERT INTO register_link_cursor (link, pos, codepage, updated_at) VALUES (?, ?, ?, ?)
      ON CONFLICT(link) DO UPDATE SET pos = excluded.pos, codepage = excluded.codepage, updated_at = excluded.updated_at
      WHERE excluded.pos >= register_link_cursor.pos`,
    ).run(link, offset, codepage, this.now());
  }

  /** Records a capture; false when that piece of the stream was already recorded (a replay). */
  addCapture(c: NewCapture): { id: number; inserted: boolean } {
    const r = prepared(
      this.db,
      `INSERT INTO register_link_captures (link, mode, start_offset, end_offset, raw, text, status, reason, template, external_id, irn, duplicate, review_id, received_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(link, start_offset) DO NOTHING`,
    ).run(
      c.link,
      c.mode,
      c.start,
      c.end,
      Buffer.from(c.raw.buffer, c.raw.byteOffset, c.raw.byteLength),
      c.text,
      c.status,
      c.reason ?? null,
      c.template ?? null,
      c.externalId ?? null,
      c.irn ?? null,
      c.duplicate ? 1 : 0,
      c.reviewId ?? null,
      c.receivedAt,
    );
    if (r.changes === 0) {
      const id = prepared(this.db, 'SELECT id FROM register_link_captures WHERE link = ? AND start_offset = ?')
        .pluck()
        .get(c.link, c.start);
      return { id: z.number().int().parse(id), inserted: false };
    }
    return { id: Number(r.lastInsertRowid), inserted: true };
  }

  capture(id: number): CaptureRecord | undefined {
    const row = prepared(this.db, 'SELECT * FROM register_link_captures WHERE id = ?').get(id);
    return row ? toRecord(CaptureRow.parse(row)) : undefined;
  }

  captures(filter: { link?: string; status?: CaptureStatus; limit?: number } = {}): CaptureRecord[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (filter.link) {
      where.push('link = ?');
      args.push(filter.link);
    }
    if (filter.status) {
      where.push('status = ?');
      args.push(filter.status);
    }
    const sql = `SELECT * FROM register_link_captures ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    return this.db
      .prepare(sql)
      .all(...args, filter.limit ?? 100)
      .map((r) => toRecord(CaptureRow.parse(r)));
  }

  counts(link?: string): Record<CaptureStatus, number> {
    const rows = (
      link
        ? prepared(this.db, 'SELECT status, COUNT(*) AS n FROM register_link_captures WHERE link = ? GROUP BY status').all(link)
        : prepared(this.db, 'SELECT status, COUNT(*) AS n FROM register_link_captures GROUP BY status').all()
    ).map((r) => z.object({ status: z.enum(['issued', 'review', 'rejected', 'not_sale']), n: z.number().int() }).parse(r));
    const out: Record<CaptureStatus, number> = { issued: 0, review: 0, rejected: 0, not_sale: 0 };
    for (const r of rows) out[r.status] = r.n;
    return out;
  }

  /** Total bytes journalled for a link (the stream length). */
  streamLength(link: string): number {
    const row = prepared(
      this.db,
      'SELECT pos AS at, length(bytes) AS n FROM register_link_chunks WHERE link = ? ORDER BY id DESC LIMIT 1',
    ).get(link);
    return row ? streamEnd(row) : 0;
  }
}

function streamEnd(row: unknown): number {
  const r = EndRow.parse(row);
  return r.at + r.n;
}

function toRecord(r: z.infer<typeof CaptureRow>): CaptureRecord {
  return { ...r, duplicate: r.duplicate === 1 };
}
