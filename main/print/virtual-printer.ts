// The virtual printer (the default until a real one is configured, and in the demo): keeps each
// job's ESC/POS bytes and its PNG rendering, in memory and, when a directory is set, on disk.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderPng } from './png-render';
import type { PrintOutcome, PrintPayload, ProbeResult, Transport } from './transport';

export interface VirtualJob {
  name: string;
  bytes: Buffer;
  png: Buffer | null;
  at: number;
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
    const png = payload.layout ? renderPng(payload.layout) : null;
    beforeWrite();
    if (this.dir) {
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(join(this.dir, `${payload.name}.bin`), payload.bytes);
      if (png) writeFileSync(join(this.dir, `${payload.name}.png`), png);
    }
    this.jobs.push({ name: payload.name, bytes: payload.bytes, png, at: Date.now() });
    if (this.jobs.length > KEEP) this.jobs.shift();
    return {};
  }

  async probe(): Promise<ProbeResult> {
    return { reachable: true, message: this.description };
  }
}
