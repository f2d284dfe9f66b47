// The invoice's QR, drawn here from its QR string (the same string the receipt carries), as a
// crisp canvas: scannable on screen and decodable by the end-to-end test.
import { useEffect, useRef, useState } from 'react';
import QRCode from 'qrcode';

/** `scale`: pixels per module, a whole number so every module is crisp (no resampling blur). */
export function QrCode({ value, scale = 4, label }: { value: string; scale?: number; label?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!canvas.current) return;
    QRCode.toCanvas(canvas.current, value, { errorCorrectionLevel: 'M', margin: 4, scale }, (e) => setError(e ? e.message : null));
  }, [value, scale]);
  return (
    <figure className="qr" data-testid="qr">
      <canvas ref={canvas} role="img" aria-label={label ?? 'Invoice QR code'} />
      {error && <figcaption className="error">QR cannot be drawn: {error}</figcaption>}
    </figure>
  );
}
