// Durable connector state in the ledger database (migration 007-capture-poll): watermarks, the
// (vendor id, version) pairs already handled, and webhook event ids already processed. Callers
// use these inside the same transaction that writes the sales. The SQL is in main/ledger/capture-store.ts.
import type { Db } from '../../ledger/database';
import { CaptureStore } from '../../ledger/capture-store';

export class CaptureState {
  private readonly store: CaptureStore;
  constructor(
    readonly db: Db,
    now: () => number = () => Date.now(),
  ) {
    this.store = new CaptureStore(db, now);
  }

  watermark(connector: string): string | undefined {
    return this.store.watermark(connector);
  }
  setWatermark(connector: string, watermark: string): void {
    this.store.setWatermark(connector, watermark);
  }
  isSeen(connector: string, vendorId: string, version: string): boolean {
    return this.store.isSeen(connector, vendorId, version);
  }
  markSeen(connector: string, vendorId: string, version: string, outcome: string): void {
    this.store.markSeen(connector, vendorId, version, outcome);
  }
  seenCount(connector: string): number {
    return this.store.seenCount(connector);
  }
  hasEvent(vendor: string, eventId: string): boolean {
    return this.store.hasEvent(vendor, eventId);
  }
  /** True when the event is new (and now recorded); false for a repeat delivery. */
  claimEvent(vendor: string, eventId: string): boolean {
    return this.store.claimEvent(vendor, eventId);
  }
}
