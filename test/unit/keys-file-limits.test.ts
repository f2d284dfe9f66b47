// A keys file that parses but cannot work: a key too small to trust, or a certificate too long for
// the key to stamp any QR with. Both are named at setup with the numbers, not at the first sale.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeysFileError, parseCryptoKeys } from '../../main/fiscal/crypto-keys';

const rsaPem = (bits: number) =>
  generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
const keysFile = (pem: string, certificate: string) => JSON.stringify({ public_key: Buffer.from(pem).toString('base64'), certificate });

describe('keys files that parse but cannot work', () => {
  it('an RSA key under 2048 bits is refused with its size, in both file forms', () => {
    const small = rsaPem(1024);
    const expected =
      'crypto_keys.txt: the public key is RSA-1024; at least 2048 bits are required (download the keys again from the FIRS/NRS dashboard)';
    expect(() => parseCryptoKeys(keysFile(small, 'cert'))).toThrow(new KeysFileError(expected.replace('crypto_keys.txt: ', '')));
    expect(() => parseCryptoKeys(`${small}\ncert`)).toThrow(expected);
  });

  it('a certificate too long for one RSA block with the longest IRN names the limit; one character less passes', () => {
    const pem = rsaPem(2048);
    // 256-byte modulus: 245 bytes of plaintext, of which the JSON around the certificate and the longest IRN take the rest.
    const tooLong = 'C'.repeat(200);
    const e = (() => {
      try {
        parseCryptoKeys(keysFile(pem, tooLong));
      } catch (err) {
        return err as Error;
      }
      throw new Error('expected a KeysFileError');
    })();
    expect(e).toBeInstanceOf(KeysFileError);
    const m =
      /the certificate is 200 characters: with an IRN the QR stamp would be (\d+) bytes but this RSA-2048 key encrypts at most 245 \(the certificate may be at most (\d+) characters\)/.exec(
        e.message,
      );
    expect(m).not.toBeNull();
    const most = Number(m![2]);
    expect(Number(m![1]) - 200 + most).toBe(245);
    expect(parseCryptoKeys(keysFile(pem, 'C'.repeat(most))).certificate).toHaveLength(most);
    expect(() => parseCryptoKeys(keysFile(pem, 'C'.repeat(most + 1)))).toThrow(KeysFileError);
    // The older PEM + certificate form is held to the same limit.
    expect(() => parseCryptoKeys(`${pem}\n${tooLong}`)).toThrow(/may be at most \d+ characters/);
  });
});
