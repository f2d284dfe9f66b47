// A printer's native QR is sized from qrSize, which skips the mask search: the size it gives must
// be the one of the symbol qrMatrix draws (the version is chosen before the mask), for stamps of
// every length a FIRS key gives and for data that segments into numeric/alphanumeric/byte runs.
import { expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { qrMatrix, qrSize } from '../../main/print/qr-matrix';

it('qrSize is the module count of the symbol qrMatrix draws', () => {
  const samples = [
    ...Array.from({ length: 40 }, (_, i) => randomBytes(64 + i * 8).toString('base64')),
    '0123456789'.repeat(30),
    'HELLO WORLD 123 $%*+-./:'.repeat(10),
    `T0100000001-94ND90NR-20261124.1795509000${'9'.repeat(50)}abc`,
    'a',
  ];
  const sizes = new Set<number>();
  for (const data of samples) {
    const size = qrSize(data);
    expect(size).toBe(qrMatrix(data).size);
    sizes.add(size);
  }
  expect(sizes.size).toBeGreaterThan(5); // many versions covered, not one size repeated
});
