// CaptureService: runs pollers on a schedule (a manual timer here, so "hours" pass instantly),
// backs off exponentially while the vendor is down, flags credentials for a person, reports
// status and 'change' events, and runs the webhook receiver when enabled.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSquare, squareOrder } from '../../fakes/square-api';
import { FakeToast, toastOrder } from '../../fakes/toast-api';
import { harness, externalIds, invoiceCount, type Harness } from './harness';
import { CaptureService, type CaptureStatus, type Timers } from '../../../main/capture/capture-service';
import { ConnectorSettings, WebhookConfigSchema } from '../../../main/capture/config';
import { secretName, writeTokens } from '../../../main/capture/tokens';

class ManualTimers implements Timers {
  pending: { fn: () => void; ms: number; id: number }[] = [];
  delays: number[] = [];
  private seq = 0;
  set(fn: () => void, ms: number) {
    const id = ++this.seq;
    this.pending.push({ fn, ms, id });
    this.delays.push(ms);
    return id;
  }
  clear(h: unknown) {
    this.pending = this.pending.filter((p) => p.id !== h);
  }
  fireAll() {
    const due = this.pending;
    this.pending = [];
    for (const p of due) p.fn();
  }
}

let sq: FakeSquare;
let toast: FakeToast;
let h: Harness;
let timers: ManualTimers;
let service: CaptureService | undefined;

beforeEach(async () => {
  sq = new FakeSquare();
  toast = new FakeToast();
  await sq.start();
  await toast.start();
  h = harness();
  timers = new ManualTimers();
  writeTokens(h.secrets, 'square', { accessToken: sq.personalToken() });
  h.secrets.set(secretName('toast', 'client_secret'), toast.clientSecret);
  const settings = new ConnectorSettings(h.db);
  settings.save({
    vendor: 'square',
    baseUrl: sq.url,
    auth: 'token',
    locationIds: ['L1'],
    notificationUrl: 'https://relay.example.ng/hooks/square',
  });
  settings.save({ vendor: 'toast', baseUrl: toast.url, clientId: toast.clientId, restaurantGuid: toast.restaurantGuid, pollIntervalS: 30 });
});
afterEach(async () => {
  await service?.stop();
  await sq.stop();
  await toast.stop();
  h.close();
});

function make(extra: Partial<ConstructorParameters<typeof CaptureService>[0]> = {}): CaptureService {
  service = new CaptureService({
    db: h.db,
    ledger: h.ledger,
    reviewQueue: h.review,
    secrets: h.secrets,
    http: h.deps.http,
    clock: h.clock,
    requestBackoff: h.backoff,
    timers,
    ...extra,
  });
  return service;
}
const idle = (s: CaptureStatus, vendor: string) => s.connectors.find((c) => c.vendor === vendor)!;

describe('CaptureService', () => {
  it('polls every configured connector on its interval and reports status with change events', async () => {
    sq.putOrder(squareOrder('S-1'), { updatedAt: Date.now() - 60_000 });
    toast.putOrder(toastOrder('T-1'), { modifiedAt: Date.now() - 60_000 });
    const s = make();
    const changes: CaptureStatus[] = [];
    s.on('change', (st: CaptureStatus) => changes.push(st));
    await s.start();
    expect(timers.delays).toEqual([0, 0]);
    timers.fireAll();
    await vi.waitFor(() => expect(s.status().connectors.every((c) => c.state === 'idle' && c.lastSuccessAt)).toBe(true));
    expect(externalIds(h, 'square')).toEqual(['S-1']);
    expect(externalIds(h, 'toast')).toEqual(['T-1']);
    expect(timers.delays.slice(2).sort()).toEqual([30_000, 60_000]);
    expect(idle(s.status(), 'square')).toMatchObject({
      state: 'idle',
      consecutiveFailures: 0,
      lastResult: { sales: 1 },
      watermark: expect.any(String),
    });
    expect(changes.some((c) => idle(c, 'toast').state === 'polling')).toBe(true);
    expect(s.status().webhooks).toEqual({ enabled: false, listening: null });
  });

  it('vendor down for hours: exponential backoff between polls up to 15 minutes, then catches up with no gap', async () => {
    new ConnectorSettings(h.db).save({
      vendor: 'toast',
      baseUrl: toast.url,
      clientId: toast.clientId,
      restaurantGuid: toast.restaurantGuid,
      enabled: false,
    });
    const s = make();
    await s.start();
    sq.down = true;
    const during: string[] = [];
    for (let i = 0; i < 8; i++) {
      sq.putOrder(squareOrder(`D-${i}`), { updatedAt: Date.now() - 1000 + i });
      during.push(`D-${i}`);
      const before = timers.delays.length;
      timers.fireAll();
      await vi.waitFor(() => expect(timers.delays.length).toBe(before + 1));
      expect(idle(s.status(), 'square')).toMatchObject({ state: 'backoff', problem: 'vendor_error', consecutiveFailures: i + 1 });
    }
    // 30 s, 60 s, 2 min, 4 min, 8 min, then the 15 min ceiling (equal jitter at random = 0.5 → 75 %).
    expect(timers.delays.slice(1)).toEqual([22_500, 45_000, 90_000, 180_000, 360_000, 675_000, 675_000, 675_000]);
    expect(invoiceCount(h, 'square')).toBe(0);
    sq.down = false;
    timers.fireAll();
    await vi.waitFor(() => expect(idle(s.status(), 'square').state).toBe('idle'));
    expect(idle(s.status(), 'square').lastError).toBeUndefined();
    expect(externalIds(h, 'square')).toEqual(during);
  });

  it('bad credentials need a person: state needs_attention with the precise reason, retried slowly', async () => {
    h.secrets.set(secretName('toast', 'client_secret'), 'changed-in-toast');
    const s = make();
    await s.start();
    timers.fireAll();
    await vi.waitFor(() => expect(idle(s.status(), 'toast').state).toBe('needs_attention'));
    expect(idle(s.status(), 'toast')).toMatchObject({ problem: 'bad_credentials', lastError: expect.stringMatching(/login refused/) });
    expect(timers.delays).toContain(15 * 60_000);
    await vi.waitFor(() => expect(idle(s.status(), 'square').state).toBe('idle'));
  });

  it('runs the webhook receiver when enabled (loopback), and stop() closes it', async () => {
    h.secrets.set(secretName('square', 'webhook_secret'), 'key-1');
    const s = make({ webhooks: WebhookConfigSchema.parse({ enabled: true, port: 0 }) });
    await s.start();
    const l = s.status().webhooks.listening!;
    expect(l.host).toBe('127.0.0.1');
    sq.putOrder(squareOrder('WH-9'));
    const r = await sq.deliver(`http://127.0.0.1:${l.port}/webhooks/square`, sq.orderEvent('WH-9'), {
      signatureKey: 'key-1',
      notificationUrl: 'https://relay.example.ng/hooks/square',
    });
    expect(r.status).toBe(200);
    expect(invoiceCount(h, 'square')).toBe(1);
    expect(s.status().webhooks.lastEvent).toMatchObject({ vendor: 'square', status: 200 });
    expect((await fetch(`http://127.0.0.1:${l.port}/webhooks/lightspeed-r`, { method: 'POST', body: '{}' })).status).toBe(404);
    await s.stop();
    await expect(fetch(`http://127.0.0.1:${l.port}/webhooks/square`, { method: 'POST', body: '{}' })).rejects.toThrow();
  });

  it('a connector whose stored settings no longer validate is reported, the others still run', async () => {
    h.db.prepare("UPDATE capture_connector SET config = json_set(config, '$.locationIds', json('[]')) WHERE vendor = 'square'").run();
    const s = make();
    await s.start();
    expect(idle(s.status(), 'square')).toMatchObject({
      state: 'needs_attention',
      problem: 'not_configured',
      lastError: expect.stringMatching(/locationIds: give at least one location id/),
    });
    timers.fireAll();
    await vi.waitFor(() => expect(idle(s.status(), 'toast').lastSuccessAt).toBeTruthy());
  });

  it('refuses to listen beyond loopback unless allowRemote is set', async () => {
    const s = make({ webhooks: WebhookConfigSchema.parse({ enabled: true, port: 0, host: '0.0.0.0' }) });
    await s.start();
    expect(s.status().webhooks).toMatchObject({ listening: null, error: expect.stringMatching(/not loopback; set allowRemote/) });
  });
});
