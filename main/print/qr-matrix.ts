// The QR symbol as a module matrix (for the PNG preview and the raster fallback). Error
// correction M, as the FIRS/NRS stamp guidance asks; the printers' native commands use M too.
import QRCode from 'qrcode';

export interface QrMatrix {
  size: number; // modules per side, without the quiet zone
  dark(row: number, col: number): boolean;
}

export function qrMatrix(data: string): QrMatrix {
  const qr = QRCode.create(data, { errorCorrectionLevel: 'M' });
  const { size, data: bits } = qr.modules;
  return { size, dark: (r, c) => bits[r * size + c] === 1 };
}

/**
 * Modules per side of the symbol qrMatrix would draw, for sizing a printer's native QR. The
 * version (hence the size) is chosen before the mask, so no mask is searched for: the search of
 * all eight with their penalties was ~40 % of the 5 ms CPU this took per receipt on the till's
 * thread (issue 15).
 */
export function qrSize(data: string): number {
  return QRCode.create(data, { errorCorrectionLevel: 'M', maskPattern: 0 }).modules.size;
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
