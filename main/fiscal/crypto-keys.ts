// Reads the `crypto_keys.txt` downloaded from the FIRS/NRS dashboard. Two forms exist:
//  - current: JSON {"public_key": "<base64 of a PEM block>", "certificate": "<string>"}
//  - older:   the raw PEM block followed by the certificate as text
import { createPublicKey, type KeyObject } from 'node:crypto';

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
  return key;
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
    checkedKey(block[0]);
    return { publicKeyPem: block[0], certificate };
  }
  const block = PEM_BLOCK.exec(trimmed);
  if (!block) {
    throw new KeysFileError('neither the JSON form ({"public_key","certificate"}) nor a PEM public key followed by the certificate');
  }
  checkedKey(block[0]);
  const certificate = trimmed.slice(block.index + block[0].length).replace(/^\s*(certificate\s*[:=]\s*)?/i, '').trim();
  if (!certificate) throw new KeysFileError('the PEM public key is not followed by the certificate');
  return { publicKeyPem: block[0], certificate };
}
