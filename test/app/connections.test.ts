// Settings → connections against real loopback fakes of FIRS and Square: "test connection",
// the sync service wired by the composition root reporting an invoice, pushed updates.
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeFirs } from '../fakes/firs-server';
import { FakeSquare } from '../fakes/square-api';
import { AppServices } from '../../main/app/services';
import { ManagerSession } from '../../main/app/handlers';
import { dispatch } from '../../main/app/dispatch';
import { BUSINESS, keyPair, simpleSale, tempDir } from '../support/fixture';
import { lagosIso } from '../../main/app/demo-store';

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
  const ok = async (channel: string, payload: unknown = {}) => {
    const r = await dispatch(channel, payload, { services, session }, { checkResponses: true });
    if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
    return r.result as any;
  };
  const call = (channel: string, payload: unknown = {}) => dispatch(channel, payload, { services, session }, { checkResponses: true });
  await ok('manager.unlock', { pin: PIN });
  return { services, ok, call };
}

describe('connections', () => {
  it('FIRS: test connection, then the wired sync service reports a sale and the update is pushed', async () => {
    const firs = await startFakeFirs();
    stops.push(() => firs.down());
    const { services, ok } = await app();
    expect((await ok('settings.testConnection', { target: 'firs' })).ok).toBe(false);
    await ok('settings.update', { firs: { baseUrl: firs.url, apiKey: 'wrong', apiSecret: 'wrong' } });
    await ok('settings.update', { firs: { baseUrl: firs.url, apiKey: firs.apiKey, apiSecret: firs.apiSecret } });
    const t = await ok('settings.testConnection', { target: 'firs' });
    expect(t).toMatchObject({ ok: true, message: 'FIRS answered healthy' });
    const updates: any[] = [];
    services.on('invoice.updated', (s) => updates.push(s));
    const sale = await ok('sales.createManual', {
      sale: { ...simpleSale('firs-1'), occurred_at: lagosIso(new Date(Date.now() - 60_000)) },
    });
    const deadline = Date.now() + 15_000;
    while (!updates.some((u) => u.irn === sale.invoice.irn && u.status === 'reported') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(updates.find((u) => u.irn === sale.invoice.irn && u.status === 'reported')).toBeTruthy();
    expect(firs.signed.get(sale.invoice.irn)?.count).toBe(1);
    const detail = await ok('invoices.get', { irn: sale.invoice.irn });
    expect(detail.status).toBe('reported');
    expect(detail.attempts.length).toBeGreaterThan(0);
    // The strip's figures are pushed by the sync thread (at most every 100 ms), not counted here.
    let status = await ok('status.get');
    while (status.sync.queueDepth !== 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      status = await ok('status.get');
    }
    expect(status.sync).toMatchObject({ running: true, queueDepth: 0 });
  });

  it('Square: connector settings validated by the capture schemas, token stored encrypted, test connection against the API', async () => {
    const square = new FakeSquare();
    await square.start();
    stops.push(() => square.stop());
    const { services, ok, call } = await app();
    const bad = await call('settings.update', { pos: { vendor: 'square', baseUrl: square.url, credentials: { accessToken: 'x' } } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(!bad.ok && bad.error.message).toMatch(/pos\.square\.locationIds: Location ids is required/);
    expect(services.secrets.names().some((n) => n.startsWith('capture.square.'))).toBe(false); // nothing half-written
    const token = square.personalToken();
    const view = await ok('settings.update', {
      pos: { vendor: 'square', enabled: false, baseUrl: square.url, config: { locationIds: ['L1'] }, credentials: { accessToken: token } },
    });
    const sq = view.pos.find((p: any) => p.vendor === 'square');
    expect(sq).toMatchObject({ enabled: false, baseUrl: square.url, credentialsSet: true, config: { auth: 'token', locationIds: ['L1'] } });
    expect(JSON.stringify(view)).not.toContain(token);
    const t = await ok('settings.testConnection', { target: 'square' });
    expect(t.ok).toBe(true);
    const toast = await ok('settings.testConnection', { target: 'toast' });
    expect(toast).toMatchObject({ ok: false, message: expect.stringMatching(/toast is not configured/) });
  });
});
