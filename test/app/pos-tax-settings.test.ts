// The manager Settings screen's tax mapping goes through the typed IPC contract (settings.update
// pos.config.mapOptions) into the connection's stored settings, validated with the mappers' schema:
// a wrong mapping is refused naming the field and the stored one stays (issue #13).
import { afterEach, describe, expect, it } from 'vitest';
import { AppServices } from '../../main/app/services';
import { ManagerSession } from '../../main/app/handlers';
import { dispatch } from '../../main/app/dispatch';
import { ConnectorSettings } from '../../main/capture/config';
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
  expect((await call('manager.unlock', { pin: PIN })).ok).toBe(true);
  return { services, call };
}

const toast = (mapOptions: unknown) => ({
  pos: { vendor: 'toast', baseUrl: 'https://ws-api.example.toasttab.com', config: { clientId: 'c1', restaurantGuid: 'r1', mapOptions } },
});

describe('POS tax mapping through settings.update', () => {
  it('is stored with the connection and shown again by settings.get', async () => {
    const { services, call } = await app();
    const mapOptions = {
      currency: 'NGN',
      taxMap: { 'Consumption tax': { category: 'LOCAL_SALES_TAX', rate: '5' }, VAT: { category: 'STANDARD_VAT', rate: '7.5' } },
      foreignCurrency: { enabled: true, rates: { USD: { rate: '1530.25', source: 'CBN', date: '2026-11-23' } } },
    };
    const r = await call('settings.update', toast(mapOptions));
    expect(r.ok).toBe(true);
    expect(new ConnectorSettings(services.data).get('toast')?.mapOptions).toMatchObject(mapOptions);
    const view = await call('settings.get');
    expect(
      view.ok &&
        (view.result as { pos: { vendor: string; config: { mapOptions?: unknown } | null }[] }).pos.find((p) => p.vendor === 'toast')
          ?.config?.mapOptions,
    ).toMatchObject(mapOptions);
  });

  it('a wrong mapping is refused naming the field; the stored mapping stays', async () => {
    const { services, call } = await app();
    expect((await call('settings.update', toast({ taxMap: { VAT: { category: 'STANDARD_VAT', rate: '7.5' } } }))).ok).toBe(true);
    const bad = await call('settings.update', toast({ taxMap: { 'Consumption tax': { category: 'ZERO_VAT', rate: '5' } } }));
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error.message).toMatch(
      /pos\.toast\.mapOptions\.taxMap\.Consumption tax\.rate: ZERO_VAT and EXEMPTED take rate "0"/,
    );
    expect(new ConnectorSettings(services.data).get('toast')?.mapOptions?.taxMap).toEqual({
      VAT: { category: 'STANDARD_VAT', rate: '7.5' },
    });
  });
});
