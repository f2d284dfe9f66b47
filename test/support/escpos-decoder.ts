// A small, strict ESC/POS decoder for tests: walks the byte stream command by command (Epson or
// Star command set), collects printed text lines (code page 858), QR payloads from the native
// QR commands, raster images, drawer pulses and cuts. An unknown command throws, so a renderer
// emitting garbage fails the test instead of being skipped over.
import iconv from 'iconv-lite';

export interface Raster {
  width: number;
  height: number;
  bytesPerRow: number;
  bits: Buffer;
}

export interface DecodedJob {
  lines: string[];
  qr: string[]; // payloads actually printed (stored, then the print command)
  rasters: Raster[];
  drawerKicks: number;
  cuts: number;
  statusRequests: number;
}

export function decodeEscpos(bytes: Buffer, commands: 'epson' | 'star'): DecodedJob {
  const job: DecodedJob = { lines: [], qr: [], rasters: [], drawerKicks: 0, cuts: 0, statusRequests: 0 };
  let line: number[] = [];
  let stored: Buffer | undefined;
  let i = 0;
  const need = (n: number) => {
    if (i + n > bytes.length) throw new Error(`truncated command at offset ${i} (needs ${n} bytes, ${bytes.length - i} left)`);
  };
  const flush = () => {
    job.lines.push(iconv.decode(Buffer.from(line), 'CP858'));
    line = [];
  };
  const hex = (n: number) => [...bytes.subarray(i, i + n)].map((b) => b.toString(16).padStart(2, '0')).join(' ');

  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b === 0x0a) {
      flush();
      i++;
      continue;
    }
    if (b === 0x0b) {
      i++;
      continue;
    } // VT (Star feed)
    if (b === 0x07 && commands === 'star') {
      job.drawerKicks++;
      i++;
      continue;
    } // BEL fires the drawer
    if (b >= 0x20 && b !== 0x7f) {
      line.push(b);
      i++;
      continue;
    }
    if (b === 0x10) {
      need(3);
      if (bytes[i + 1] !== 0x04) throw new Error(`unknown DLE command ${hex(3)} at ${i}`);
      job.statusRequests++;
      i += 3;
      continue;
    }
    if (b === 0x1b) {
      need(2);
      const c = bytes[i + 1]!;
      if (c === 0x40) {
        i += 2;
        continue;
      } // ESC @
      if (commands === 'epson') {
        if ([0x21, 0x45, 0x61, 0x74, 0x2d, 0x4d, 0x33, 0x7b].includes(c)) {
          need(3);
          i += 3;
          continue;
        } // ESC ! E a t - M 3 {
        if (c === 0x64) {
          need(3);
          i += 3;
          continue;
        } // ESC d n: feed
        if (c === 0x32) {
          i += 2;
          continue;
        } // ESC 2
        if (c === 0x70) {
          need(5);
          job.drawerKicks++;
          i += 5;
          continue;
        } // ESC p m t1 t2
        throw new Error(`unknown Epson ESC command ${hex(3)} at offset ${i}`);
      }
      // Star line mode
      if (c === 0x45 || c === 0x46 || c === 0x34 || c === 0x35) {
        i += 2;
        continue;
      } // bold on/off, invert
      if (c === 0x2d) {
        need(3);
        i += 3;
        continue;
      }
      if (c === 0x69) {
        need(4);
        i += 4;
        continue;
      } // ESC i n1 n2: size
      if (c === 0x64) {
        need(3);
        job.cuts++;
        i += 3;
        continue;
      } // ESC d n: cut
      if (c === 0x07) {
        need(4);
        i += 4;
        continue;
      } // ESC BEL n1 n2: drawer pulse times (fired by BEL)
      if (c === 0x1d) {
        need(3);
        const d = bytes[i + 2]!;
        if (d === 0x61 || d === 0x74) {
          need(4);
          i += 4;
          continue;
        } // ESC GS a n, ESC GS t n
        if (d === 0x79) {
          need(4);
          const e = bytes[i + 3]!;
          if (e === 0x53) {
            need(6);
            i += 6;
            continue;
          } // ESC GS y S n1 n2: model / correction / cell
          if (e === 0x50) {
            if (!stored) throw new Error(`Star QR print at ${i} without stored data`);
            job.qr.push(stored.toString('latin1'));
            i += 4;
            continue;
          }
          if (e === 0x44) {
            need(8);
            if (bytes[i + 4] !== 0x31) throw new Error(`Star QR store: expected "1" at ${i + 4}`);
            const n = bytes[i + 6]! + bytes[i + 7]! * 256;
            need(8 + n);
            stored = Buffer.from(bytes.subarray(i + 8, i + 8 + n));
            i += 8 + n;
            continue;
          }
        }
        if (d === 0x53) {
          // ESC GS S m xL xH yL yH n data: raster
          need(9);
          const x = bytes[i + 4]! + bytes[i + 5]! * 256;
          const y = bytes[i + 6]! + bytes[i + 7]! * 256;
          need(9 + x * y);
          job.rasters.push({ width: x * 8, height: y, bytesPerRow: x, bits: Buffer.from(bytes.subarray(i + 9, i + 9 + x * y)) });
          i += 9 + x * y;
          continue;
        }
      }
      throw new Error(`unknown Star ESC command ${hex(4)} at offset ${i}`);
    }
    if (b === 0x1d && commands === 'epson') {
      need(2);
      const c = bytes[i + 1]!;
      if (c === 0x21 || c === 0x42 || c === 0x72) {
        need(3);
        if (c === 0x72) job.statusRequests++;
        i += 3;
        continue;
      } // GS ! B r
      if (c === 0x56) {
        need(3);
        const m = bytes[i + 2]!;
        job.cuts++;
        i += m >= 0x41 ? 4 : 3;
        continue;
      } // GS V
      if (c === 0x28 && bytes[i + 2] === 0x6b) {
        // GS ( k pL pH cn fn ...
        need(5);
        const len = bytes[i + 3]! + bytes[i + 4]! * 256;
        need(5 + len);
        const cn = bytes[i + 5]!;
        const fn = bytes[i + 6]!;
        if (cn === 0x31 && fn === 0x50) stored = Buffer.from(bytes.subarray(i + 8, i + 5 + len)); // after m
        if (cn === 0x31 && fn === 0x51) {
          if (!stored) throw new Error(`Epson QR print at ${i} without stored data`);
          job.qr.push(stored.toString('latin1'));
        }
        i += 5 + len;
        continue;
      }
      if (c === 0x76 && bytes[i + 2] === 0x30) {
        // GS v 0 m xL xH yL yH data
        need(8);
        const x = bytes[i + 4]! + bytes[i + 5]! * 256;
        const y = bytes[i + 6]! + bytes[i + 7]! * 256;
        need(8 + x * y);
        job.rasters.push({ width: x * 8, height: y, bytesPerRow: x, bits: Buffer.from(bytes.subarray(i + 8, i + 8 + x * y)) });
        i += 8 + x * y;
        continue;
      }
      throw new Error(`unknown Epson GS command ${hex(3)} at offset ${i}`);
    }
    throw new Error(`unexpected control byte ${hex(1)} at offset ${i}`);
  }
  if (line.length) flush();
  return job;
}

/** RGBA pixels of a 1-bit raster (for jsQR). */
export function rasterToRgba(r: Raster): Uint8ClampedArray {
  const out = new Uint8ClampedArray(r.width * r.height * 4).fill(255);
  for (let y = 0; y < r.height; y++) {
    for (let x = 0; x < r.width; x++) {
      if (r.bits[y * r.bytesPerRow + (x >> 3)]! & (0x80 >> (x & 7))) {
        const o = (y * r.width + x) * 4;
        out[o] = 0;
        out[o + 1] = 0;
        out[o + 2] = 0;
      }
    }
  }
  return out;
}
