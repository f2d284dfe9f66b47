// A full disk: SQLite answers SQLITE_FULL (the transaction is rolled back: nothing half-written)
// and file writes ENOSPC. A small reserve file in the data dir is given back the moment the disk
// fills, so SQLite still has room to checkpoint its WAL and roll back cleanly; it is made again
// once there is space, and the till carries on by itself.
import { closeSync, existsSync, openSync, renameSync, statfsSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const RESERVE_FILE = 'disk-reserve';
export const RESERVE_BYTES = 1024 * 1024;

/** The app's view of its disk, for writers outside the till's requests (webhooks, print queue). */
export interface DiskState {
  /** A write failed for lack of space and there is no room yet. */
  readonly isFull: boolean;
  /** A write just failed for lack of space (gives back the reserve; the app watches for room). */
  full(): void;
}

export function isDiskFull(e: unknown): boolean {
  const code = typeof e === 'object' && e !== null && 'code' in e ? e.code : undefined;
  return code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT';
}

export class DiskReserve {
  readonly file: string;

  constructor(
    dataDir: string,
    private readonly bytes = RESERVE_BYTES,
  ) {
    this.file = join(dataDir, RESERVE_FILE);
  }

  get held(): boolean {
    return existsSync(this.file);
  }

  /** Free bytes for this user on the data dir's filesystem (undefined where statfs is missing). */
  freeBytes(): number | undefined {
    try {
      const s = statfsSync(this.file.slice(0, -RESERVE_FILE.length));
      return s.bavail * s.bsize;
    } catch {
      return undefined;
    }
  }

  /**
   * Makes the reserve if it is missing — only with room to spare beside it (twice its size), so a
   * disk that just filled is not declared fine again by the space the reserve itself gave back.
   * False (and nothing left behind) while the disk is full.
   */
  ensure(): boolean {
    if (this.held) return true;
    const free = this.freeBytes();
    if (free !== undefined && free < 3 * this.bytes) return false;
    const tmp = `${this.file}.tmp`;
    try {
      const fd = openSync(tmp, 'w', 0o600);
      try {
        const chunk = Buffer.alloc(64 * 1024);
        for (let written = 0; written < this.bytes; written += chunk.length) writeSync(fd, chunk);
      } finally {
        closeSync(fd);
      }
      // Renamed only when complete: a half-made reserve never counts as held.
      unlinkIfExists(this.file);
      renameSync(tmp, this.file);
      return true;
    } catch (e) {
      unlinkIfExists(tmp);
      if (isDiskFull(e)) return false;
      throw e;
    }
  }

  /** Gives the space back (the disk just filled). True if there was a reserve to give. */
  release(): boolean {
    return unlinkIfExists(this.file);
  }
}

function unlinkIfExists(file: string): boolean {
  try {
    unlinkSync(file);
    return true;
  } catch {
    return false;
  }
}
