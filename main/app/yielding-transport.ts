// Gives the event loop a turn before every print job. The virtual printer (the default) answers
// without any real I/O, so a backlog of print jobs (e.g. 10,000 sales ingested by another
// process) would otherwise run as one unbroken chain of promises and starve HTTP, WebSocket and
// timers for minutes. Real transports are unaffected apart from one setImmediate per job.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { PrintOutcome, PrintPayload, ProbeResult, Transport } from '../print/transport';

export class YieldingTransport implements Transport {
  constructor(private readonly inner: Transport) {}

  get kind(): Transport['kind'] {
    return this.inner.kind;
  }

  get description(): string {
    return this.inner.description;
  }

  async print(payload: PrintPayload, beforeWrite: () => void): Promise<PrintOutcome> {
    await nextTurn();
    return this.inner.print(payload, beforeWrite);
  }

  probe(): Promise<ProbeResult> {
    return this.inner.probe();
  }
}
