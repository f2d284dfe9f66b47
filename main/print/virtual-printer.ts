// The virtual printer (the default until a real one is configured, and in the demo): keeps each
// job's ESC/POS bytes and its PNG rendering, in memory and, when a directory is set, on disk.
// In memory the PNG is drawn only when someone looks at it (a preview, a test): drawing one per
// sale on the till's thread cost ~30 ms a receipt (issue 15). A directory asks for the files, so
// there it is drawn at once.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderPng } from './png-render';
import type { PrintOutcome, PrintPayload, ProbeResult, Transport } from './transport';

export interface VirtualJob {
  name: string;
  bytes: Buffer;
  /** The receipt drawn as a PNG (drawn on first read, then kept). */
  readonly png: Buffer | null;
  at: number;
}

function lazyJob(payload: PrintPayload, at: number, drawn?: Buffer | null): VirtualJob {
  let png = drawn;
  const layout = payload.layout;
  return {
    name: payload.name,
    bytes: payload.bytes,
    at,
    get png(): Buffer | null {
      if (png === undefined) png = layout ? renderPng(layout) : null;
      return png;
    },
  };
}

const KEEP = 50;

export class VirtualPrinter implements Transport {
  readonly kind = 'virtual' as const;
  readonly description: string;
  readonly jobs: VirtualJob[] = [];

  constructor(private readonly dir?: string) {
    this.description = dir ? `virtual printer (${dir})` : 'virtual printer';
  }

  async print(payload: PrintPayload, beforeWrite: () => void): Promise<PrintOutcome> {
    const png = this.dir && payload.layout ? renderPng(payload.layout) : undefined;
    beforeWrite();
    if (this.dir) {
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(join(this.dir, `${payload.name}.bin`), payload.bytes);
      if (png) writeFileSync(join(this.dir, `${payload.name}.png`), png);
    }
    this.jobs.push(lazyJob(payload, Date.now(), png));
    if (this.jobs.length > KEEP) this.jobs.shift();
    return {};
  }

  async probe(): Promise<ProbeResult> {
    return { reachable: true, message: this.description };
  }
}
