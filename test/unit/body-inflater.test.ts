// BodyInflater (verify's inflate: one reused zlib stream per dictionary) must read back exactly
// what inflateRawSync reads back, and refuse exactly what it refuses.
import { describe, expect, it } from 'vitest';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { BodyInflater } from '../../main/ledger/body-inflater';

const dictA = Buffer.from(JSON.stringify(['{"supplier":"Bench Store","item":"Rice 50kg","tax":"STANDARD_VAT"}', '{"source":"manual"}']));
const dictB = Buffer.from('a different dictionary: Garri, Palm oil, Indomie '.repeat(10));
const pair = (i: number) =>
  Buffer.from(JSON.stringify([`{"supplier":"Bench Store","item":"Rice 50kg","n":${i}}`, `{"source":"manual","n":${i}}`]));

describe('BodyInflater', () => {
  it('reads bodies against several dictionaries, byte for byte, through the reused streams', () => {
    const inflater = new BodyInflater(
      new Map([
        [1, dictA],
        [2, dictB],
      ]),
    );
    for (let i = 0; i < 200; i++) {
      const dict = i % 3 ? dictA : dictB;
      const body = deflateRawSync(pair(i), { dictionary: dict });
      expect(inflater.inflate(i % 3 ? 1 : 2, body)?.toString()).toBe(pair(i).toString());
    }
    expect(inflater.fallbacks).toBe(0); // the fast path answered every one
    inflater.close();
  });

  it('refuses a damaged body and reads the next good one (the stream is replaced)', () => {
    const inflater = new BodyInflater(new Map([[1, dictA]]));
    const good = deflateRawSync(pair(1), { dictionary: dictA });
    const damaged: Buffer[] = [good.subarray(0, good.length - 2), Buffer.from([0xff, 0xff, 0xff, 0x00]), Buffer.alloc(0)];
    for (const bad of damaged) {
      expect(() => inflateRawSync(bad, { dictionary: dictA })).toThrow(); // the reference refuses it too
      expect(inflater.inflate(1, bad)).toBeUndefined();
      expect(inflater.inflate(1, good)?.toString()).toBe(pair(1).toString());
    }
    inflater.close();
  });

  it('answers as inflateRawSync for bytes after the end and for a pair larger than its buffer; a missing dictionary is undefined', () => {
    const inflater = new BodyInflater(new Map([[1, dictA]]));
    const good = deflateRawSync(pair(2), { dictionary: dictA });
    const trailing = Buffer.concat([good, Buffer.from('extra')]);
    expect(inflater.inflate(1, trailing)?.toString()).toBe(inflateRawSync(trailing, { dictionary: dictA }).toString());
    const big = Buffer.from(JSON.stringify(['x'.repeat(600_000), 'y']));
    expect(inflater.inflate(1, deflateRawSync(big, { dictionary: dictA }))?.equals(big)).toBe(true);
    expect(inflater.fallbacks).toBe(2);
    expect(inflater.inflate(1, good)?.toString()).toBe(pair(2).toString());
    expect(inflater.inflate(7, good)).toBeUndefined();
    inflater.close();
  });
});
