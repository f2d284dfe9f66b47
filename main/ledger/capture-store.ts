// Capture connector state and settings (migration 005-capture-poll's tables). The capture code
// (main/capture/polling/state.ts, main/capture/config.ts) keeps its schemas and rules and calls
// these; settings are stored as the JSON the caller validated, and validated again on read there.
import { z } from 'zod';
import type { Db } from './database';
import { prepared } from './prepared';
import { col, many, one } from './rows';

const Count = z.object({ n: col.int });
const ConnectorRow = z.object({ vendor: col.text, config: col.text });

export class CaptureStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = () => Date.now(),
  ) {}

  watermark(connector: string): string | undefined {
    return one(
      z.object({ watermark: col.text }),
      'capture_watermark',
      prepared(this.db, 'SELECT watermark FROM capture_watermark WHERE connector = ?'),
      connector,
    )?.watermark;
  }

  setWatermark(connector: string, watermark: string): void {
    prepared(
      this.db,
      'INSERT INTO capture_watermark (connector, watermark, updated_at) VALUES (?, ?, ?) ON CONFLICT(connector) DO UPDATE SET watermark = excluded.watermark, updated_at = excluded.updated_at',
    ).run(connector, watermark, this.now());
  }

  isSeen(connector: string, vendorId: string, version: string): boolean {
    return (
      prepared(this.db, 'SELECT 1 FROM capture_seen WHERE connector = ? AND vendor_id = ? AND version = ?').get(
        connector,
        vendorId,
        version,
      ) !== undefined
    );
  }

  markSeen(connector: string, vendorId: string, version: string, outcome: string): void {
    prepared(this.db, 'INSERT OR IGNORE INTO capture_seen (connector, vendor_id, version, outcome, seen_at) VALUES (?, ?, ?, ?, ?)').run(
      connector,
      vendorId,
      version,
      outcome,
      this.now(),
    );
  }

  seenCount(connector: string): number {
    return one(Count, 'capture_seen count', prepared(this.db, 'SELECT COUNT(*) AS n FROM capture_seen WHERE connector = ?'), connector)!.n;
  }

  hasEvent(vendor: string, eventId: string): boolean {
    return prepared(this.db, 'SELECT 1 FROM capture_webhook_event WHERE vendor = ? AND event_id = ?').get(vendor, eventId) !== undefined;
  }

  /** True when the event is new (and now recorded); false for a repeat delivery. */
  claimEvent(vendor: string, eventId: string): boolean {
    return (
      prepared(this.db, 'INSERT OR IGNORE INTO capture_webhook_event (vendor, event_id, received_at) VALUES (?, ?, ?)').run(
        vendor,
        eventId,
        this.now(),
      ).changes === 1
    );
  }

  /** Stores a connector's (already validated) settings; `vendor` 'webhooks' is the receiver's. */
  saveConnector(vendor: string, configJson: string, enabled: boolean): void {
    prepared(
      this.db,
      'INSERT INTO capture_connector (vendor, config, enabled, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(vendor) DO UPDATE SET config = excluded.config, enabled = excluded.enabled, updated_at = excluded.updated_at',
    ).run(vendor, configJson, enabled ? 1 : 0, this.now());
  }

  /** A connector's stored settings JSON text. */
  connector(vendor: string): string | undefined {
    return one(
      z.object({ config: col.text }),
      'capture_connector',
      prepared(this.db, 'SELECT config FROM capture_connector WHERE vendor = ?'),
      vendor,
    )?.config;
  }

  /** Every source connector's stored settings (the webhook receiver's row excluded), by vendor. */
  connectors(): { vendor: string; config: string }[] {
    return many(
      ConnectorRow,
      'capture_connector',
      prepared(this.db, "SELECT vendor, config FROM capture_connector WHERE vendor <> 'webhooks' ORDER BY vendor"),
    );
  }
}
