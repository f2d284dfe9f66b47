// Where receipt bytes go. Every transport distinguishes two failures, because the print queue
// treats them differently: NotSent (nothing reached the printer: retry later) and any other
// error after `beforeWrite` ran (bytes may have reached it: printed-unconfirmed, never re-sent).
import type { ReceiptLayout } from '../../shared/receipt/layout';

export interface PrinterStatusReading {
  paperOut: boolean;
  paperNearEnd: boolean;
  coverOpen: boolean;
  error: boolean;
}

export interface PrintPayload {
  name: string; // e.g. T0100000042 or T0100000042-copy-3
  bytes: Buffer;
  layout: ReceiptLayout | null;
}

export interface PrintOutcome {
  /** The status read after the job, when the printer answers. */
  after?: PrinterStatusReading;
}

export interface ProbeResult {
  reachable: boolean;
  status?: PrinterStatusReading;
  model?: string;
  message?: string;
}

export type NotSentReason = 'offline' | 'paper_out' | 'error';

export interface Transport {
  readonly kind: 'virtual' | 'tcp' | 'serial' | 'device' | 'os';
  readonly description: string;
  /** Calls `beforeWrite` (synchronously journalling the attempt) right before the first byte. */
  print(payload: PrintPayload, beforeWrite: () => void): Promise<PrintOutcome>;
  /** Reachability, status and (Epson) model name, without printing. */
  probe(): Promise<ProbeResult>;
}

export class NotSent extends Error {
  constructor(
    readonly reason: NotSentReason,
    message: string,
  ) {
    super(message);
    this.name = 'NotSent';
  }
}

export function describeStatus(s: PrinterStatusReading): string {
  if (s.paperOut) return 'out of paper';
  if (s.coverOpen) return 'cover open';
  if (s.error) return 'printer error (cutter jam or head)';
  if (s.paperNearEnd) return 'paper nearly out';
  return 'ready';
}

/** A status that stops printing: the job is not sent. */
export function blocking(s: PrinterStatusReading | undefined): NotSent | undefined {
  if (!s) return undefined;
  if (s.paperOut) return new NotSent('paper_out', 'the printer is out of paper');
  if (s.coverOpen) return new NotSent('error', 'the printer cover is open');
  if (s.error) return new NotSent('error', 'the printer reports an error (cutter jam or head overheated)');
  return undefined;
}
