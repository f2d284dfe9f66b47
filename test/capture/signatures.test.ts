// Webhook signatures: Square's published SDK test vectors, HubSpot v3 (with its URI decoding and
// 5-minute window), Toast and Lightspeed X; all fail closed. Also the `webhook-verify` command.
import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyHubspotV3, verifyLightspeedX, verifySquare, verifyToast } from '../../main/capture/signatures/verify';
import { safeEqual } from '../../main/capture/signatures/hmac';
import { cli, tempDir } from '../support/fixture';

// From square/square-nodejs-sdk test/utilities/webhooksHelper.test.ts (the SDK's own vectors).
const SQ = {
  body: '{"merchant_id":"MLEFBHHSJGVHD","type":"webhooks.test_notification","event_id":"ac3ac95b-f97d-458c-a6e6-18981597e05f","created_at":"2022-07-13T20:30:59.037339943Z","data":{"type":"webhooks","id":"bc368e64-01aa-407e-b46e-3231809b1129"}}',
  signature: 'GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4=',
  key: 'Ibxx_5AKakO-3qeNVR61Dw',
  url: 'https://webhook.site/679a4f3a-dcfa-49ee-bac5-9d0edad886b9',
};

describe('Square webhook signatures (SDK test vectors)', () => {
  it('passes the published vectors', () => {
    expect(verifySquare({ secret: SQ.key, signature: SQ.signature, body: SQ.body, url: SQ.url })).toEqual({ ok: true });
    expect(
      verifySquare({
        secret: 'signature-key',
        signature: 'W3FlCNk5IA3ZQ2LHTWoajvzfaDu/OwY2tNHIHC3IUOA=',
        body: '{"data":{"type":"webhooks","id":"fake_id"}}',
        url: 'https://webhook.site/webhooks',
      }).ok,
    ).toBe(true);
    expect(
      verifySquare({
        secret: 'signature-key',
        signature: 'Cxt7+aTi4rKgcA0bC4g9EHdVtLSDWdqccmL5MvihU4U=',
        body: '{"data":{"type":"webhooks","id":">id<"}}',
        url: 'https://webhook.site/webhooks',
      }).ok,
    ).toBe(true);
    // Square's developer documentation example.
    expect(
      verifySquare({
        secret: 'asdf1234',
        signature: '2kRE5qRU2tR+tBGlDwMEw2avJ7QM4ikPYD/PJ3bd9Og=',
        body: '{"hello":"world"}',
        url: 'https://example.com/webhook',
      }).ok,
    ).toBe(true);
  });

  it('fails the SDK negative vectors: wrong URL, key, signature, body, reformatted body', () => {
    expect(verifySquare({ ...sq(), url: 'https://webhook.site/79a4f3a-dcfa-49ee-bac5-9d0edad886b9' }).ok).toBe(false);
    expect(verifySquare({ ...sq(), secret: 'MCmhFRxGX82xMwg5FsaoQA' }).ok).toBe(false);
    expect(verifySquare({ ...sq(), signature: '1z2n3DEJJiUPKcPzQo1ftvbxGdw=' }).ok).toBe(false);
    expect(verifySquare({ ...sq(), body: SQ.body.replace('2022-07-13', '2022-06-13') }).ok).toBe(false);
    expect(verifySquare({ ...sq(), body: JSON.stringify(JSON.parse(SQ.body), null, 4) }).ok).toBe(false);
    expect(verifySquare({ ...sq(), body: Buffer.from(SQ.body) }).ok).toBe(true); // raw bytes work as well as text
  });

  it('fails closed: empty key, empty URL, missing signature', () => {
    expect(verifySquare({ ...sq(), secret: '' })).toEqual({ ok: false, reason: expect.stringMatching(/no Square signature key/) });
    expect(verifySquare({ ...sq(), url: '' }).ok).toBe(false);
    expect(verifySquare({ ...sq(), signature: '' }).ok).toBe(false);
  });
});

function sq() {
  return { secret: SQ.key, signature: SQ.signature, body: SQ.body as string | Buffer, url: SQ.url };
}

const b64 = (key: string, text: string) => createHmac('sha256', key).update(text).digest('base64');

describe('HubSpot v3', () => {
  const secret = 'hubspot-client-secret';
  const now = 1_790_000_000_000;
  const body =
    '[{"eventId":1,"subscriptionType":"deal.propertyChange","objectId":123,"propertyName":"dealstage","propertyValue":"closedwon","occurredAt":1789999990000}]';
  const url = 'https://pos.example.ng/webhooks/hubspot?portal=42';
  const sig = b64(secret, `POST${url}${body}${now - 1000}`);

  it('accepts method + URI + body + timestamp, base64 HMAC-SHA256', () => {
    expect(verifyHubspotV3({ secret, signature: sig, body, url, method: 'POST', timestamp: String(now - 1000), now })).toEqual({
      ok: true,
    });
  });
  it('decodes the documented percent-escapes in the URI before signing', () => {
    const encoded = 'https://pos.example.ng/webhooks/hubspot%3Fportal=42';
    const signed = b64(secret, `POST${'https://pos.example.ng/webhooks/hubspot?portal=42'}${body}${now}`);
    expect(verifyHubspotV3({ secret, signature: signed, body, url: encoded, method: 'POST', timestamp: String(now), now }).ok).toBe(true);
  });
  it('rejects timestamps older than 5 minutes, tampered bodies, wrong method, empty secret', () => {
    const old = now - 5 * 60 * 1000 - 1;
    const oldSig = b64(secret, `POST${url}${body}${old}`);
    expect(verifyHubspotV3({ secret, signature: oldSig, body, url, method: 'POST', timestamp: String(old), now })).toEqual({
      ok: false,
      reason: expect.stringMatching(/limit 300 s/),
    });
    expect(
      verifyHubspotV3({ secret, signature: sig, body: body.replace('123', '124'), url, method: 'POST', timestamp: String(now - 1000), now })
        .ok,
    ).toBe(false);
    expect(verifyHubspotV3({ secret, signature: sig, body, url, method: 'PUT', timestamp: String(now - 1000), now }).ok).toBe(false);
    expect(verifyHubspotV3({ secret: '', signature: sig, body, url, method: 'POST', timestamp: String(now - 1000), now }).ok).toBe(false);
    expect(verifyHubspotV3({ secret, signature: sig, body, url, method: 'POST', timestamp: 'yesterday', now }).ok).toBe(false);
  });
});

describe('Toast and Lightspeed X', () => {
  const body =
    '{"timestamp":"2026-11-23T19:42:10.120+0000","eventCategory":"orders","eventType":"order_updated","guid":"e1","details":{"restaurantGuid":"r1","order":{}}}';
  it('Toast: base64 HMAC-SHA256 of body + timestamp', () => {
    const sig = b64('toast-secret', `${body}1790000000000`);
    expect(verifyToast({ secret: 'toast-secret', signature: sig, body, timestamp: '1790000000000' }).ok).toBe(true);
    expect(verifyToast({ secret: 'toast-secret', signature: sig, body, timestamp: '1790000000001' }).ok).toBe(false);
    expect(verifyToast({ secret: 'toast-secret', signature: sig, body: `${body} `, timestamp: '1790000000000' }).ok).toBe(false);
    expect(verifyToast({ secret: '', signature: sig, body, timestamp: '1790000000000' }).ok).toBe(false);
    expect(verifyToast({ secret: 'toast-secret', signature: sig, body, timestamp: '' }).ok).toBe(false);
  });
  it('Lightspeed X: X-Signature header (hex or base64 MAC of the body)', () => {
    const form = 'payload=%7B%22id%22%3A%22s1%22%7D&type=sale.update';
    const mac = createHmac('sha256', 'ls-secret').update(form).digest();
    expect(
      verifyLightspeedX({ secret: 'ls-secret', signature: `signature=${mac.toString('hex')},algorithm=HMAC-SHA256`, body: form }).ok,
    ).toBe(true);
    expect(verifyLightspeedX({ secret: 'ls-secret', signature: mac.toString('base64'), body: form }).ok).toBe(true);
    expect(
      verifyLightspeedX({ secret: 'ls-secret', signature: `signature=${mac.toString('hex')},algorithm=HMAC-SHA1`, body: form }).ok,
    ).toBe(false);
    expect(verifyLightspeedX({ secret: 'ls-secret', signature: `signature=${mac.toString('hex')}`, body: `${form}x` }).ok).toBe(false);
    expect(verifyLightspeedX({ secret: '', signature: mac.toString('hex'), body: form }).ok).toBe(false);
  });
  it('safeEqual: equal strings only, different lengths are unequal without throwing', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('abc', '')).toBe(false);
  });
});

describe('taxpoynt-pos webhook-verify', () => {
  const dir = tempDir('tpos-wh-');
  const bodyFile = join(dir, 'body.json');
  writeFileSync(bodyFile, SQ.body);
  const run = (args: string[]) => cli(dir, ['webhook-verify', '--body-file', bodyFile, ...args]);

  it('exit 0 for the Square vector, 1 for a wrong signature / empty secret / tampered body, 2 for bad arguments', () => {
    expect(run(['--source', 'square', '--secret', SQ.key, '--signature', SQ.signature, '--url', SQ.url])).toMatchObject({
      code: 0,
      stdout: '{"valid":true}\n',
    });
    expect(run(['--source', 'square', '--secret', SQ.key, '--signature', '1z2n3DEJJiUPKcPzQo1ftvbxGdw=', '--url', SQ.url]).code).toBe(1);
    expect(run(['--source', 'square', '--secret', '', '--signature', SQ.signature, '--url', SQ.url]).code).toBe(1);
    const tampered = join(dir, 'tampered.json');
    writeFileSync(tampered, SQ.body.replace('MLEFBHHSJGVHD', 'MLEFBHHSJGVHX'));
    expect(
      cli(dir, [
        'webhook-verify',
        '--body-file',
        tampered,
        '--source',
        'square',
        '--secret',
        SQ.key,
        '--signature',
        SQ.signature,
        '--url',
        SQ.url,
      ]).code,
    ).toBe(1);
    expect(run(['--source', 'square', '--secret', SQ.key, '--signature', SQ.signature])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--url/),
    });
    expect(run(['--source', 'stripe', '--secret', 'x', '--signature', 'y']).code).toBe(2);
    expect(
      cli(dir, [
        'webhook-verify',
        '--body-file',
        join(dir, 'missing.json'),
        '--source',
        'toast',
        '--secret',
        'x',
        '--signature',
        'y',
        '--timestamp',
        '1',
      ]).code,
    ).toBe(2);
    expect(run(['--source', 'toast', '--secret', 'x', '--signature', 'y'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--timestamp/),
    });
  });

  it('HubSpot with a fresh timestamp passes; Toast and Lightspeed X with their MACs pass', () => {
    const ts = String(Date.now());
    const url = 'https://pos.example.ng/hooks/hubspot';
    expect(
      run(['--source', 'hubspot', '--secret', 'hs', '--signature', b64('hs', `POST${url}${SQ.body}${ts}`), '--url', url, '--timestamp', ts])
        .code,
    ).toBe(0);
    expect(
      run([
        '--source',
        'hubspot',
        '--secret',
        'hs',
        '--signature',
        b64('hs', `POST${url}${SQ.body}${ts}`),
        '--url',
        url,
        '--method',
        'GET',
        '--timestamp',
        ts,
      ]).code,
    ).toBe(1);
    expect(run(['--source', 'toast', '--secret', 'ts', '--signature', b64('ts', `${SQ.body}123`), '--timestamp', '123']).code).toBe(0);
    const hex = createHmac('sha256', 'lx').update(SQ.body).digest('hex');
    expect(run(['--source', 'lightspeed-x', '--secret', 'lx', '--signature', `signature=${hex},algorithm=HMAC-SHA256`]).code).toBe(0);
  });
});
