// The QR stamp: RSA (PKCS#1 v1.5) encryption of {"irn":"<IRN>.<unix s>","certificate":"…"}
// with the FIRS public key, base64 without wrapping. Node defaults to OAEP: padding is explicit.
import { constants, createPublicKey, publicEncrypt, type KeyObject } from 'node:crypto';
import type { CryptoKeys } from './crypto-keys';

export class QrStamper {
  private readonly key: KeyObject;

  constructor(private readonly keys: CryptoKeys) {
    this.key = createPublicKey(keys.publicKeyPem);
  }

  static plaintext(irn: string, unixSeconds: number, certificate: string): string {
    return JSON.stringify({ irn: `${irn}.${unixSeconds}`, certificate });
  }

  stamp(irn: string, unixSeconds: number): string {
    const plain = Buffer.from(QrStamper.plaintext(irn, unixSeconds, this.keys.certificate), 'utf8');
    const maxBytes = (this.key.asymmetricKeyDetails?.modulusLength ?? 2048) / 8 - 11;
    if (plain.length > maxBytes) throw new Error(`QR plaintext is ${plain.length} bytes; the key allows ${maxBytes}: shorten the IRN`);
    return publicEncrypt({ key: this.key, padding: constants.RSA_PKCS1_PADDING }, plain).toString('base64');
  }
}
