// Text decoding for captured receipts, with iconv-lite: the ESC t code pages (CP437, CP858…),
// multi-byte encodings (gb18030, euc-kr, shift_jis, utf8), and "mojibake:ENC" for a capture
// whose bytes were once read as Latin-1 and saved as UTF-8 (undone before decoding as ENC).
import iconv from 'iconv-lite';
import type { Decode } from '../../../shared/sources/register-link/escpos';

export function encodingKnown(encoding: string): boolean {
  const m = /^mojibake:(.+)$/.exec(encoding);
  return iconv.encodingExists(m ? m[1]! : encoding);
}

export const decode: Decode = (bytes, encoding) => {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const m = /^mojibake:(.+)$/.exec(encoding);
  if (!encodingKnown(encoding)) throw new Error(`unknown encoding "${encoding}"`);
  if (m) return iconv.decode(Buffer.from(iconv.decode(buf, 'utf8'), 'latin1'), m[1]!);
  return iconv.decode(buf, encoding);
};
