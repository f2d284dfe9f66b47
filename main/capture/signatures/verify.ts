// Webhook signature verifiers, exactly as each vendor documents them (see shared/docs/pos-crm-apis.md).
// All fail closed: an empty secret, signature or required input is a rejection, never a pass.
import { hmacSha256, safeEqual, type Bytes } from './hmac';

export type VerifyResult = { ok: true } | { ok: false; reason: string };

const fail = (reason: string): VerifyResult => ({ ok: false, reason });

/** Square: header x-square-hmacsha256-signature = base64 HMAC-SHA256(key, notification URL + raw body). */
export function verifySquare(i: { secret: string; signature: string; body: Bytes; url: string }): VerifyResult {
  if (!i.secret) return fail('no Square signature key configured');
  if (!i.url) return fail('no notification URL configured (Square signs URL + body)');
  if (!i.signature) return fail('no x-square-hmacsha256-signature header');
  const expected = hmacSha256(i.secret, i.url, i.body).toString('base64');
  return safeEqual(expected, i.signature.trim()) ? { ok: true } : fail('Square signature does not match');
}

/** HubSpot v3 only decodes these percent-escapes in the URI before signing (its documentation's table). */
const HUBSPOT_DECODE: Record<string, string> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};
export const HUBSPOT_MAX_AGE_MS = 5 * 60 * 1000;

/**
 * HubSpot v3: X-HubSpot-Signature-v3 = base64 HMAC-SHA256(client secret, method + URI + body + timestamp),
 * X-HubSpot-Request-Timestamp in ms; older than 5 minutes (or as far in the future) is rejected.
 */
export function verifyHubspotV3(i: {
  secret: string;
  signature: string;
  body: Bytes;
  url: string;
  method: string;
  timestamp: string;
  now?: number;
}): VerifyResult {
  if (!i.secret) return fail('no HubSpot client secret configured');
  if (!i.signature) return fail('no X-HubSpot-Signature-v3 header');
  if (!i.url || !i.method) return fail('HubSpot v3 signs method + URI: both are needed');
  if (!/^\d{10,16}$/.test(i.timestamp ?? '')) return fail('X-HubSpot-Request-Timestamp must be milliseconds since the epoch');
  const age = (i.now ?? Date.now()) - Number(i.timestamp);
  if (Math.abs(age) > HUBSPOT_MAX_AGE_MS) return fail(`HubSpot timestamp is ${Math.round(age / 1000)} s away from now (limit 300 s)`);
  const uri = i.url.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => HUBSPOT_DECODE[m.toUpperCase()]!);
  const expected = hmacSha256(i.secret, i.method.toUpperCase(), uri, i.body, i.timestamp).toString('base64');
  return safeEqual(expected, i.signature.trim()) ? { ok: true } : fail('HubSpot signature does not match');
}

/**
 * Toast: Toast-Signature = base64 HMAC-SHA256(subscription secret, raw body + timestamp). Which
 * timestamp string Toast appends is not settled by its public material: the caller passes it.
 */
export function verifyToast(i: { secret: string; signature: string; body: Bytes; timestamp: string }): VerifyResult {
  if (!i.secret) return fail('no Toast webhook secret configured');
  if (!i.signature) return fail('no Toast-Signature header');
  if (!i.timestamp) return fail('Toast signs body + timestamp: the timestamp is needed');
  const expected = hmacSha256(i.secret, i.body, i.timestamp).toString('base64');
  return safeEqual(expected, i.signature.trim()) ? { ok: true } : fail('Toast signature does not match');
}

/**
 * Lightspeed X: X-Signature: signature=…,algorithm=HMAC-SHA256 over the request body with the app
 * client secret. Hex vs base64 is not settled publicly: either encoding of the same MAC is accepted.
 * The header may be given whole or as the bare signature.
 */
export function verifyLightspeedX(i: { secret: string; signature: string; body: Bytes }): VerifyResult {
  if (!i.secret) return fail('no Lightspeed client secret configured');
  const header = (i.signature ?? '').trim();
  if (!header) return fail('no X-Signature header');
  let sig = header;
  if (header.includes('signature=')) {
    const parts = Object.fromEntries(
      header.split(',').map((p) => {
        const k = p.indexOf('=');
        return [p.slice(0, k).trim().toLowerCase(), p.slice(k + 1).trim()];
      }),
    );
    if (parts.algorithm && parts.algorithm.toUpperCase() !== 'HMAC-SHA256')
      return fail(`X-Signature algorithm ${parts.algorithm} is not HMAC-SHA256`);
    sig = parts.signature ?? '';
  }
  if (!sig) return fail('X-Signature has no signature');
  const mac = hmacSha256(i.secret, i.body);
  const okHex = safeEqual(mac.toString('hex'), sig.toLowerCase());
  const okB64 = safeEqual(mac.toString('base64'), sig);
  return okHex || okB64 ? { ok: true } : fail('Lightspeed signature does not match');
}
