// Durable connector state in the ledger database (migration 007-capture-poll): watermarks, the
// (vendor id, version) pairs already handled, and webhook event ids already processed. Callers
// use these inside the same transaction that writes the sales.
import type { Db } from '../../ledger/database';

export class CaptureState {
  constructor(
    readonly db: Db,
    private readonly now: () => number = () => Date.now(),
  ) {}

  watermark(connector: string): string | undefined {
    const row = this.db.prepare('SELECT watermark FROM capture_watermark WHERE connector = ?').get(connector) as { watermark: string } | undefined;
    return row?.watermark;
  }

  setWatermark(connector: string, watermark: string): void {
    this.db
      .prepare('INSERT INTO capture_watermark (connector, watermark, updated_at) VALUES (?, ?, ?) ON CONFLICT(connector) DO UPDATE SET watermark = excluded.watermark, updated_at = excluded.updated_at')
      .run(connector, watermark, this.now());
  }

  isSeen(connector: string, vendorId: string, version: string): boolean {
    return this.db.prepare('SELECT 1 FROM capture_seen WHERE connector = ? AND vendor_id = ? AND version = ?').get(connector, vendorId, version) !== undefined;
  }

  markSeen(connector: string, vendorId: string, version: string, outcome: string): void {
    this.db.prepare('INSERT OR IGNORE INTO capture_seen (connector, vendor_id, version, outcome, seen_at) VALUES (?, ?, ?, ?, ?)').run(connector, vendorId, version, outcome, this.now());
  }

  seenCount(connector: string): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM capture_seen WHERE connector = ?').get(connector) as { n: number }).n;
  }

  hasEvent(vendor: string, eventId: string): boolean {
    return this.db.prepare('SELECT 1 FROM capture_webhook_event WHERE vendor = ? AND event_id = ?').get(vendor, eventId) !== undefined;
  }

  /** True when the event is new (and now recorded); false for a repeat delivery. */
  claimEvent(vendor: string, eventId: string): boolean {
    return this.db.prepare('INSERT OR IGNORE INTO capture_webhook_event (vendor, event_id, received_at) VALUES (?, ?, ?)').run(vendor, eventId, this.now()).changes === 1;
  }
}
