// Settings → Point of sale connections through the handlers (real SQLite file, real encrypted
// secret store, the loopback Square fake): Square saved with its location ids and token and read
// back, bad values named per field with nothing half-written, an optional value cleared, and every
// POS source in the registry describing fields that cover its settings schema's required keys (so a
// source added later cannot be left unconfigurable from the screen).
import { afterEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { AppServices } from '../../main/app/services';
import { ManagerSession } from '../../main/app/handlers';
import { dispatch } from '../../main/app/dispatch';
import { ConnectorSettings } from '../../main/capture/config';
import { readTokens } from '../../main/capture/tokens';
import { SOURCES } from '../../shared/sources/registry';
import { CREDENTIAL_KEYS, settingsKeysOf, type SettingsField } from '../../shared/sources/settings-fields';
import { FakeSquare } from '../fakes/square-api';
import { BUSINESS, keyPair, tempDir } from '../support/fixture';

const PIN = '246810';
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()!();
});

async function app() {
  const services = new AppServices({ dataDir: tempDir(), mode: 'browser', demoFeedMs: 0, watchMs: 50, log: () => {} });
  stops.push(() => services.stop());
  await services.configure(BUSINESS, keyPair().keysFileJson, PIN);
  services.start();
  const session = new ManagerSession();
  const call = (channel: string, payload: unknown = {}) => dispatch(channel, payload, { services, session }, { checkResponses: true });
  const ok = async (channel: string, payload: unknown = {}) => {
    const r = await call(channel, payload);
    if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
    return r.result as any;
  };
  /** The refusal's message split into its "path: problem" parts. */
  const refused = async (payload: unknown) => {
    const r = await call('settings.update', payload);
    expect(r.ok).toBe(false);
    if (r.ok) return {};
    expect(r.error.code).toBe('invalid_request');
    return Object.fromEntries(
      r.error.message
        .replace(/^settings\.update: /, '')
        .split('; ')
        .map((part) => [part.slice(0, part.indexOf(': ')), part.slice(part.indexOf(': ') + 2)]),
    ) as Record<string, string>;
  };
  await ok('manager.unlock', { pin: PIN });
  return { services, ok, refused };
}

const posView = (view: any, vendor: string) => view.pos.find((p: any) => p.vendor === vendor);

describe('POS connections through settings.update', () => {
  it('Square: location ids and token saved, read back (token only as "stored"), and "Test connection" passes', async () => {
    const square = new FakeSquare();
    await square.start();
    stops.push(() => square.stop());
    const { services, ok } = await app();
    const token = square.personalToken();
    await ok('settings.update', {
      pos: {
        vendor: 'square',
        enabled: true,
        config: { baseUrl: square.url, locationIds: ['L1', 'L2'] },
        credentials: { accessToken: token },
      },
    });
    const sq = posView(await ok('settings.get'), 'square');
    expect(sq).toMatchObject({
      enabled: true,
      baseUrl: square.url,
      credentialsSet: true,
      secretsSet: ['accessToken'],
      config: { vendor: 'square', auth: 'token', locationIds: ['L1', 'L2'], baseUrl: square.url },
    });
    expect(JSON.stringify(await ok('settings.get'))).not.toContain(token);
    expect(new ConnectorSettings(services.data).get('square')).toMatchObject({ locationIds: ['L1', 'L2'], auth: 'token' });
    expect(readTokens(services.secrets, 'square')).toEqual({ accessToken: token });
    expect(await ok('settings.testConnection', { target: 'square' })).toMatchObject({ ok: true });

    // A later save of one field keeps the rest (the token and the other settings).
    await ok('settings.update', { pos: { vendor: 'square', config: { locationIds: ['L2'] } } });
    expect(posView(await ok('settings.get'), 'square')).toMatchObject({
      secretsSet: ['accessToken'],
      config: { auth: 'token', locationIds: ['L2'], baseUrl: square.url },
    });
    expect(await ok('settings.testConnection', { target: 'square' })).toMatchObject({ ok: true });
  });

  it('bad values are named per field; a refused update writes nothing', async () => {
    const { services, ok, refused } = await app();
    // Nothing typed: each needed field named in its own words, not "expected array, received undefined".
    expect(await refused({ pos: { vendor: 'square', config: {} } })).toEqual({
      'pos.square.accessToken': expect.stringMatching(/^Access token is required \(/),
      'pos.square.locationIds': expect.stringMatching(/^Location ids is required \(/),
    });
    expect(await refused({ pos: { vendor: 'square', config: { locationIds: [] }, credentials: { accessToken: 'EAAAx' } } })).toEqual({
      'pos.square.locationIds': 'give at least one location id',
    });
    const eleven = Array.from({ length: 11 }, (_, i) => `L${i}`);
    expect(
      await refused({
        pos: { vendor: 'square', config: { locationIds: eleven, baseUrl: 'ftp://x' }, credentials: { accessToken: 'EAAAx' } },
      }),
    ).toEqual({ 'pos.square.locationIds': 'Square searches at most 10 locations', 'pos.square.baseUrl': 'must be an http(s) URL' });
    expect(await refused({ pos: { vendor: 'toast', config: { clientId: 'c1' } } })).toEqual({
      'pos.toast.baseUrl': expect.stringMatching(/^API host is required/),
      'pos.toast.restaurantGuid': expect.stringMatching(/^Restaurant GUID is required/),
    });
    expect(await refused({ pos: { vendor: 'lightspeed-r', config: { accountId: 'abc', clientId: 'c', shopId: 'x' } } })).toEqual({
      'pos.lightspeed-r.accountId': 'must be the numeric account id',
      'pos.lightspeed-r.shopId': expect.any(String),
    });
    expect(
      await refused({ pos: { vendor: 'lightspeed-x', config: { domainPrefix: 'ade stores' }, credentials: { accessToken: 't' } } }),
    ).toEqual({
      'pos.lightspeed-x.domainPrefix': 'must be the store\'s domain prefix, e.g. "adestores"',
    });
    expect(
      await refused({ pos: { vendor: 'lightspeed-x', config: { domainPrefix: 'ade', colour: 'red' }, credentials: { accessToken: 't' } } }),
    ).toEqual({
      'pos.lightspeed-x': expect.stringMatching(/colour$/),
    });
    // The contract refuses a credential the source does not take, before main looks at it.
    expect(await refused({ pos: { vendor: 'toast', credentials: { accessToken: 't' } } })).toEqual({
      'pos.credentials.accessToken': 'Toast takes no accessToken (only clientSecret, webhookSecret)',
    });
    expect(new ConnectorSettings(services.data).list()).toEqual([]);
    expect(services.secrets.names().filter((n) => n.startsWith('capture.'))).toEqual([]);

    // Stored settings stay whole when a later update is refused.
    await ok('settings.update', { pos: { vendor: 'square', config: { locationIds: ['L1'] }, credentials: { accessToken: 'EAAAgood' } } });
    await refused({ pos: { vendor: 'square', config: { locationIds: [] }, credentials: { accessToken: 'EAAAother' } } });
    expect(new ConnectorSettings(services.data).get('square')).toMatchObject({ locationIds: ['L1'] });
    expect(readTokens(services.secrets, 'square')).toEqual({ accessToken: 'EAAAgood' });
  });

  it('Toast and Lightspeed R secrets go to the store (shown as set); an emptied optional field is cleared', async () => {
    const { services, ok } = await app();
    await ok('settings.update', {
      pos: {
        vendor: 'toast',
        config: { baseUrl: 'https://ws-api.example.toasttab.com', clientId: 'c1', restaurantGuid: 'r-1' },
        credentials: { clientSecret: 'toast-secret' },
      },
    });
    await ok('settings.update', {
      pos: {
        vendor: 'lightspeed-r',
        config: { accountId: '123', clientId: 'c', shopId: '4' },
        credentials: { clientSecret: 's', refreshToken: 'r' },
      },
    });
    let view = await ok('settings.get');
    expect(posView(view, 'toast').secretsSet).toEqual(['clientSecret']);
    expect(posView(view, 'lightspeed-r').secretsSet).toEqual(['accessToken', 'refreshToken', 'clientSecret']);
    expect(JSON.stringify(view)).not.toMatch(/toast-secret/);
    expect(services.secrets.get('capture.toast.client_secret')).toBe('toast-secret');
    await ok('settings.update', { pos: { vendor: 'lightspeed-r', config: { shopId: null } } });
    view = await ok('settings.get');
    expect(posView(view, 'lightspeed-r').config).not.toHaveProperty('shopId');
    expect(posView(view, 'lightspeed-r').config).toMatchObject({ accountId: '123', clientId: 'c' });
  });
});

describe('every POS source can be set up from Settings', () => {
  const pos = SOURCES.filter((s) => s.kind === 'pos');

  it.each(pos.map((s) => [s.id, s] as const))('%s: its fields cover its settings schema', (_id, source) => {
    expect(source.settings, `${source.id}: a POS source stores settings`).toBeDefined();
    expect('fields' in source && source.fields.length, `${source.id}: describes no Settings fields`).toBeTruthy();
    const fields: readonly SettingsField[] = 'fields' in source ? source.fields : [];
    const shape = (source.settings as unknown as z.ZodObject).shape as Record<string, z.ZodType>;
    const requiredKeys = Object.keys(shape).filter((k) => k !== 'vendor' && !shape[k]!.safeParse(undefined).success);
    const covered = settingsKeysOf(fields);
    for (const k of requiredKeys) expect(covered.has(k), `${source.id}: required setting "${k}" has no field`).toBe(true);
    for (const f of fields) {
      if (f.kind === 'secret') {
        expect(CREDENTIAL_KEYS).toContain(f.key);
        for (const k of Object.keys(f.sets ?? {})) expect(Object.keys(shape)).toContain(k);
      } else {
        expect(Object.keys(shape), `${source.id}: field "${f.key}" is no setting`).toContain(f.key);
        // The screen marks a setting the schema needs; one it can do without is not marked.
        expect(Boolean(f.required), `${source.id}.${f.key}: required flag`).toBe(requiredKeys.includes(f.key));
      }
      expect(f.label.length * f.help.length).toBeGreaterThan(0);
    }
  });

  it('the registry has POS sources to check', () => {
    expect(pos.map((s) => s.id)).toEqual(['square', 'toast', 'lightspeed-x', 'lightspeed-r']);
  });
});
