// The QR symbol as a module matrix (for the PNG preview and the raster fallback). Error
// correction M, as the FIRS/NRS stamp guidance asks; the printers' native commands use M too.
import QRCode from 'qrcode';

export interface QrMatrix {
  size: number; // modules per side, without the quiet zone
  dark(row: number, col: number): boolean;
}

export function qrMatrix(data: string): QrMatrix {
  // One byte-mode segment: the stamp is base64 text, which the library's search for the cheapest
  // mix of numeric/alphanumeric/byte segments (a shortest-path over every character, ~70 % of
  // the symbol's CPU time, issue 15) encodes as bytes anyway; any QR reader decodes either.
  const qr = QRCode.create([{ data: Buffer.from(data, 'utf8'), mode: 'byte' }], { errorCorrectionLevel: 'M' });
  const { size, data: bits } = qr.modules;
  return { size, dark: (r, c) => bits[r * size + c] === 1 };
}

/**
 * Bytes a byte-mode symbol of version 1..40 holds at correction M (ISO/IEC 18004 table 7): the
 * symbol's size without building it, for the printer's native QR command (a QR a sale).
 */
const BYTE_CAPACITY_M = [
  14, 26, 42, 62, 84, 106, 122, 152, 180, 213, 251, 287, 331, 362, 412, 450, 504, 560, 624, 666, 711, 779, 857, 911, 997, 1059, 1125, 1190,
  1264, 1370, 1452, 1538, 1628, 1722, 1809, 1911, 1989, 2099, 2213, 2331,
];

/** Modules per side of the symbol qrMatrix(data) draws (without the quiet zone). */
export function qrSize(data: string): number {
  const bytes = Buffer.byteLength(data, 'utf8');
  const version = BYTE_CAPACITY_M.findIndex((cap) => bytes <= cap) + 1;
  if (version === 0) throw new Error(`qr: ${bytes} bytes do not fit a QR symbol at correction M (at most 2331)`);
  return 17 + 4 * version;
}

/** The quiet zone scanners need around a symbol, in modules. */
export const QUIET_ZONE = 4;

/** A 1-bit image of the symbol with its quiet zone, `dot` pixels per module; rows of packed bytes, MSB left. */
export function qrBitmap(data: string, dot: number): { width: number; height: number; bytesPerRow: number; bits: Buffer } {
  const m = qrMatrix(data);
  const width = (m.size + 2 * QUIET_ZONE) * dot;
  const bytesPerRow = Math.ceil(width / 8);
  const bits = Buffer.alloc(bytesPerRow * width);
  for (let y = 0; y < width; y++) {
    const r = Math.floor(y / dot) - QUIET_ZONE;
    for (let x = 0; x < width; x++) {
      const c = Math.floor(x / dot) - QUIET_ZONE;
      if (r >= 0 && c >= 0 && r < m.size && c < m.size && m.dark(r, c)) bits[y * bytesPerRow + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  return { width, height: width, bytesPerRow, bits };
}
