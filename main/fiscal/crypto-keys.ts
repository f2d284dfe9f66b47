// Reads the `crypto_keys.txt` downloaded from the FIRS/NRS dashboard. Two forms exist:
//  - current: JSON {"public_key": "<base64 of a PEM block>", "certificate": "<string>"}
//  - older:   the raw PEM block followed by the certificate as text
import { createPublicKey, type KeyObject } from 'node:crypto';
import { MIN_RSA_BITS } from '../../shared/domain/limits';

export interface CryptoKeys {
  publicKeyPem: string;
  certificate: string;
}

export class KeysFileError extends Error {
  constructor(message: string) {
    super(`crypto_keys.txt: ${message}`);
    this.name = 'KeysFileError';
  }
}

const PEM_BLOCK = /-----BEGIN (RSA )?PUBLIC KEY-----[\s\S]+?-----END (RSA )?PUBLIC KEY-----/;

function checkedKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (e) {
    throw new KeysFileError(`the public key is not a valid PEM key (${(e as Error).message})`);
  }
  if (key.asymmetricKeyType !== 'rsa') throw new KeysFileError(`the public key is ${key.asymmetricKeyType}, expected RSA`);
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS)
    throw new KeysFileError(
      `the public key is RSA-${bits}; at least ${MIN_RSA_BITS} bits are required (download the keys again from the FIRS/NRS dashboard)`,
    );
  return key;
}

/** The longest IRN this app issues: terminal (≤10) + counter (8) - service id (8) - YYYYMMDD. */
const LONGEST_STAMP_IRN = `${'T'.repeat(10)}${'0'.repeat(8)}-${'S'.repeat(8)}-20261124`;
const LONGEST_UNIX_SECONDS = 9_999_999_999;

/**
 * The QR plaintext {"irn":"<IRN>.<unix s>","certificate":"…"} must fit one RSA PKCS#1 v1.5 block
 * (modulus bytes − 11). Checked at setup with the longest IRN, so a certificate too long for the
 * key is named here instead of failing every later sale.
 */
function checkStampFits(key: KeyObject, certificate: string): void {
  const maxBytes = (key.asymmetricKeyDetails?.modulusLength ?? 0) / 8 - 11;
  const plain = Buffer.byteLength(JSON.stringify({ irn: `${LONGEST_STAMP_IRN}.${LONGEST_UNIX_SECONDS}`, certificate }), 'utf8');
  if (plain > maxBytes) {
    const room = maxBytes - (plain - Buffer.byteLength(JSON.stringify(certificate), 'utf8') + 2);
    throw new KeysFileError(
      `the certificate is ${certificate.length} characters: with an IRN the QR stamp would be ${plain} bytes but this RSA-${key.asymmetricKeyDetails?.modulusLength ?? 0} key encrypts at most ${maxBytes} (the certificate may be at most ${Math.max(0, room)} characters)`,
    );
  }
}

export function parseCryptoKeys(text: string): CryptoKeys {
  const trimmed = text.trim();
  if (!trimmed) throw new KeysFileError('the file is empty');
  if (trimmed.startsWith('{')) {
    let doc: unknown;
    try {
      doc = JSON.parse(trimmed);
    } catch (e) {
      throw new KeysFileError(`looks like JSON but does not parse (${(e as Error).message})`);
    }
    const { public_key: pk, certificate } = doc as Record<string, unknown>;
    if (typeof pk !== 'string' || !pk) throw new KeysFileError('the JSON has no "public_key" string');
    if (typeof certificate !== 'string' || !certificate) throw new KeysFileError('the JSON has no "certificate" string');
    const pem = pk.includes('-----BEGIN') ? pk : Buffer.from(pk, 'base64').toString('utf8');
    const block = PEM_BLOCK.exec(pem);
    if (!block) throw new KeysFileError('"public_key" is not base64 of a PEM "BEGIN PUBLIC KEY" block');
    checkStampFits(checkedKey(block[0]), certificate);
    return { publicKeyPem: block[0], certificate };
  }
  const block = PEM_BLOCK.exec(trimmed);
  if (!block) {
    throw new KeysFileError('neither the JSON form ({"public_key","certificate"}) nor a PEM public key followed by the certificate');
  }
  const key = checkedKey(block[0]);
  const certificate = trimmed
    .slice(block.index + block[0].length)
    .replace(/^\s*(certificate\s*[:=]\s*)?/i, '')
    .trim();
  if (!certificate) throw new KeysFileError('the PEM public key is not followed by the certificate');
  checkStampFits(key, certificate);
  return { publicKeyPem: block[0], certificate };
}
