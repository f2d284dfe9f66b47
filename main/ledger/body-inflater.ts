// `verify --full` inflates every stored body (invoice-body.ts) against one dictionary. zlib's
// inflateRawSync builds and tears down a whole zlib stream per call (state, 32 KB window, the
// dictionary copied in, a 16 KB output buffer): measured ~19 µs a body, of which the inflate
// itself is under 2. This keeps one raw-inflate stream per dictionary and resets it between
// bodies (Node's reset() is inflateReset plus the dictionary again), writing into one buffer.
//
// It drives the stream's handle (writeSync/reset: the engine under zlib's own sync API, the same
// since Node 10). Where that is not there, and for anything but a clean end of stream with all
// input used and room to spare (an error, a larger output, bytes after the end), it answers with
// inflateRawSync itself, so what reads back (or fails to) is always exactly what that gives.
import { constants, createInflateRaw, inflateRawSync, type InflateRaw } from 'node:zlib';

/** Output room for the fast path: a pair far larger than any sale (bigger ones use the fallback). */
const OUT_BYTES = 256 * 1024;

interface ZlibHandle {
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void;
  reset(): void;
}

interface Engine {
  stream: InflateRaw;
  handle: ZlibHandle;
  /** [output room left, input left] after a write (zlib.js's own view of the same handle). */
  state: Uint32Array;
}

export class BodyInflater {
  private readonly out = Buffer.allocUnsafe(OUT_BYTES);
  private readonly engines = new Map<number, Engine>();
  /** This Node has no such handle: every body through inflateRawSync. */
  private unsupported = false;
  /** Bodies answered by inflateRawSync (tests look: the fast path must be the one taken). */
  fallbacks = 0;

  constructor(private readonly dictionaries: ReadonlyMap<number, Buffer>) {}

  /**
   * The inflated pair, or undefined when the body does not inflate against its dictionary (or the
   * dictionary is missing). The returned buffer is reused: read it before the next call.
   */
  inflate(dictionaryId: number, body: Buffer): Buffer | undefined {
    const dictionary = this.dictionaries.get(dictionaryId);
    if (!dictionary) return undefined;
    const e = this.engine(dictionaryId, dictionary);
    if (e) {
      let threw = false;
      try {
        e.handle.writeSync(constants.Z_FINISH, body, 0, body.length, this.out, 0, OUT_BYTES);
      } catch {
        threw = true;
      }
      // An error (a damaged body) is reported by destroying the stream: a new one next time.
      if (threw || e.stream.destroyed) {
        this.engines.delete(dictionaryId);
        e.stream.destroy();
      } else {
        const [outLeft, inLeft] = e.state as unknown as [number, number];
        e.handle.reset();
        // With Z_FINISH, room left and no error means zlib reached the end of the stream.
        if (outLeft > 0 && inLeft === 0) return this.out.subarray(0, OUT_BYTES - outLeft);
      }
    }
    this.fallbacks++;
    try {
      return inflateRawSync(body, { dictionary });
    } catch {
      return undefined;
    }
  }

  /** Frees the zlib streams. */
  close(): void {
    for (const e of this.engines.values()) e.stream.close();
    this.engines.clear();
  }

  private engine(id: number, dictionary: Buffer): Engine | undefined {
    const have = this.engines.get(id);
    if (have || this.unsupported) return have;
    const stream = createInflateRaw({ dictionary });
    // The stream's error event (after a damaged body) is already handled above.
    stream.on('error', () => undefined);
    const inner = stream as unknown as { _handle?: Partial<ZlibHandle>; _writeState?: unknown };
    const handle = inner._handle;
    if (typeof handle?.writeSync !== 'function' || typeof handle.reset !== 'function' || !(inner._writeState instanceof Uint32Array)) {
      stream.close();
      this.unsupported = true;
      return undefined;
    }
    const e: Engine = { stream, handle: handle as ZlibHandle, state: inner._writeState };
    this.engines.set(id, e);
    return e;
  }
}
