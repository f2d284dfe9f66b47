// What the app needs of its background services, so the composition root and the status view
// depend on these shapes rather than on each service's whole class.
import type { SourceConnector } from '../capture/connector';
import type { SyncStatus } from '../sync/sync-service';
/** The documented shape of PrintService (ports.md), as far as the app uses it. */
export interface PrintPort {
  start(): void;
  stop(): Promise<void>;
  status(): { printer: 'ready' | 'offline' | 'paper_out' | 'error' | 'virtual'; message?: string; queued: number };
  reprint(irn: string): unknown;
  preview?(
    irn: string,
    options: { width?: 58 | 80; copy?: boolean },
  ): {
    png: Buffer;
    text: string;
    /** What the printer prints (its code page): ọ→o. */
    printedPng: Buffer;
    printedText: string;
  };
  testPrint(): Promise<{ ok: boolean; message: string }>;
  kick?(): void;
  on?(event: 'change', cb: () => void): unknown;
}

/** The part of CaptureService (main/capture/capture-service.ts) the app uses. */
export interface CapturePort {
  start(): Promise<void> | void;
  stop(): Promise<void>;
  status(): { connectors: { vendor: string; state: string; lastPollAt: number | null; lastError?: string }[] };
  on?(event: 'change', cb: () => void): unknown;
  /** The running connector of a source (the Deals screen re-reads a deal through its CRM's). */
  connector?(vendor: string): SourceConnector | undefined;
}

/** What the app needs of the FIRS sync: SyncService on this thread, or SyncThreadHost running it in a worker. */
export interface SyncPort {
  start(): void;
  stop(): Promise<void>;
  status(): SyncStatus;
  wake(): void;
  on(event: 'change', cb: (status: SyncStatus) => void): () => void;
}
