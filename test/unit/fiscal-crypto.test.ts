import { describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { KeysFileError, parseCryptoKeys } from '../../main/fiscal/crypto-keys';
import { QrStamper } from '../../main/fiscal/qr-stamp';
import { CERTIFICATE, decryptQr, keyPair } from '../support/fixture';

describe('crypto_keys.txt', () => {
  it('reads the JSON form (base64 of the PEM) and the older PEM + certificate form alike', () => {
    const a = parseCryptoKeys(keyPair().keysFileJson);
    const b = parseCryptoKeys(keyPair().keysFileLegacy);
    expect(a.certificate).toBe(CERTIFICATE);
    expect(b).toEqual(a);
    expect(a.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  });

  it('accepts a JSON public_key that is the PEM itself, and "certificate:" labels in the old form', () => {
    const pem = keyPair().publicPem;
    expect(parseCryptoKeys(JSON.stringify({ public_key: pem, certificate: 'c' })).certificate).toBe('c');
    expect(parseCryptoKeys(`${pem}\nCertificate: abc\n`).certificate).toBe('abc');
  });

  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
  it.each([
    ['', /the file is empty/],
    ['{"public_key": ', /looks like JSON but does not parse/],
    ['{"certificate":"c"}', /no "public_key" string/],
    [JSON.stringify({ public_key: 'aGVsbG8=', certificate: 'c' }), /not base64 of a PEM/],
    [JSON.stringify({ public_key: Buffer.from(keyPair().publicPem).toString('base64') }), /no "certificate" string/],
    ['hello world', /neither the JSON form/],
    ['-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\ncert', /not a valid PEM key/],
    [`${ec}\ncert`, /is ec, expected RSA/],
    [keyPair().publicPem, /not followed by the certificate/],
  ])('a broken keys file %# says what is wrong', (text, message) => {
    expect(() => parseCryptoKeys(text)).toThrow(KeysFileError);
    expect(() => parseCryptoKeys(text)).toThrow(message);
    expect(() => parseCryptoKeys(text)).toThrow(/^crypto_keys\.txt: /);
  });
});

describe('QR stamp', () => {
  const stamper = new QrStamper(parseCryptoKeys(keyPair().keysFileJson));

  it('round trip: decrypting with the private key gives {"irn":"IRN.unixtime","certificate"}', () => {
    const qr = stamper.stamp('T0100000001-94ND90NR-20261124', 1_795_000_000);
    expect(qr).toMatch(/^[A-Za-z0-9+/]+=*$/); // base64, no line breaks
    expect(Buffer.from(qr, 'base64')).toHaveLength(256); // one RSA-2048 block
    expect(JSON.parse(decryptQr(qr))).toEqual({ irn: 'T0100000001-94ND90NR-20261124.1795000000', certificate: CERTIFICATE });
  });

  it('is randomised (PKCS#1 v1.5 padding), so two stamps of one IRN differ but both decrypt', () => {
    const a = stamper.stamp('T0100000001-94ND90NR-20261124', 1);
    const b = stamper.stamp('T0100000001-94ND90NR-20261124', 1);
    expect(a).not.toBe(b);
    expect(decryptQr(a)).toBe(decryptQr(b));
  });

  it('refuses a plaintext too long for the key instead of producing a broken stamp', () => {
    expect(() => stamper.stamp('X'.repeat(300), 1)).toThrow(/QR plaintext is \d+ bytes; the key allows 245/);
  });
});
