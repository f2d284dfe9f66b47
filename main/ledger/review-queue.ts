// The capture review queue: vendor sales that cannot be invoiced as received, kept whole (raw
// payload, reason, when) until a person resolves them. Nothing here touches issued invoices.
import { createHash } from 'node:crypto';
import type { Db } from './database';
import { z } from 'zod';
import { col, CountRow, one } from './rows';

const IdRow = z.object({ id: col.int });

export type ReviewStatus = 'open' | 'resolved';

export interface ReviewItem {
  id: number;
  vendor: string;
  vendorId: string;
  version: string | null;
  reason: string;
  payload: unknown;
  receivedAt: number; // ms
  lastSeenAt: number; // ms
  seenCount: number;
  status: ReviewStatus;
  resolvedAt: number | null;
  resolution: string | null;
}

export interface NewReviewItem {
  vendor: string;
  vendorId: string;
  version?: string;
  reason: string;
  payload: unknown;
}

interface Row {
  id: number;
  vendor: string;
  vendor_id: string;
  version: string | null;
  reason: string;
  payload: string;
  received_at: number;
  last_seen_at: number;
  seen_count: number;
  status: ReviewStatus;
  resolved_at: number | null;
  resolution: string | null;
}

export class ReviewNotFound extends Error {}

export class ReviewQueue {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Records an item; the same vendor payload already open is not added twice (seen_count grows). */
  add(item: NewReviewItem): { id: number; duplicate: boolean } {
    if (!item.vendor || !item.vendorId || !item.reason) throw new Error('review item needs vendor, vendorId and reason');
    const payload = JSON.stringify(item.payload ?? null);
    const hash = createHash('sha256').update(payload).digest('hex');
    const now = this.now();
    return this.db
      .transaction(() => {
        const open = one(
          IdRow,
          'open review item',
          this.db.prepare("SELECT id FROM capture_review WHERE vendor = ? AND vendor_id = ? AND payload_hash = ? AND status = 'open'"),
          item.vendor,
          item.vendorId,
          hash,
        );
        if (open) {
          this.db
            .prepare('UPDATE capture_review SET last_seen_at = ?, seen_count = seen_count + 1, reason = ? WHERE id = ?')
            .run(now, item.reason, open.id);
          return { id: open.id, duplicate: true };
        }
        const r = this.db
          .prepare(
            `INSERT INTO capture_review (vendor, vendor_id, version, reason, payload, payload_hash, received_at, last_seen_at)
                  VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(item.vendor, item.vendorId, item.version ?? null, item.reason, payload, hash, now, now);
        return { id: Number(r.lastInsertRowid), duplicate: false };
      })
      .immediate();
  }

  list(filter: { status?: ReviewStatus | 'all'; vendor?: string } = {}): ReviewItem[] {
    const status = filter.status ?? 'open';
    const where: string[] = [];
    const args: string[] = [];
    if (status !== 'all') {
      where.push('status = ?');
      args.push(status);
    }
    if (filter.vendor) {
      where.push('vendor = ?');
      args.push(filter.vendor);
    }
    const rows = this.db
      .prepare(`SELECT * FROM capture_review ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`)
      .all(...args) as Row[];
    return rows.map(toItem);
  }

  get(id: number): ReviewItem | undefined {
    const row = this.db.prepare('SELECT * FROM capture_review WHERE id = ?').get(id) as Row | undefined;
    return row ? toItem(row) : undefined;
  }

  openCount(): number {
    return one(CountRow, 'open review items', this.db.prepare("SELECT COUNT(*) AS n FROM capture_review WHERE status = 'open'"))!.n;
  }

  /** Marks an item handled, saying how (e.g. "issued by hand as IRN …", "not a sale: test order"). */
  resolve(id: number, resolution: string): ReviewItem {
    if (!resolution.trim()) throw new Error('resolution: say how the item was handled');
    const r = this.db
      .prepare("UPDATE capture_review SET status = 'resolved', resolved_at = ?, resolution = ? WHERE id = ? AND status = 'open'")
      .run(this.now(), resolution.trim(), id);
    if (r.changes === 0) {
      const item = this.get(id);
      if (!item) throw new ReviewNotFound(`review item ${id} does not exist`);
      throw new ReviewNotFound(`review item ${id} is already resolved (${item.resolution ?? ''})`);
    }
    return this.get(id)!;
  }
}

function toItem(r: Row): ReviewItem {
  return {
    id: r.id,
    vendor: r.vendor,
    vendorId: r.vendor_id,
    version: r.version,
    reason: r.reason,
    payload: JSON.parse(r.payload),
    receivedAt: r.received_at,
    lastSeenAt: r.last_seen_at,
    seenCount: r.seen_count,
    status: r.status,
    resolvedAt: r.resolved_at,
    resolution: r.resolution,
  };
}
