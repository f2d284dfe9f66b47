// The Electron IPC surface without Electron (no binary here): the preload bundle itself is run
// with a stand-in `electron` module (contextBridge/ipcRenderer/ipcMain are the parts that cannot
// run), and main's IPC registration goes through the real dispatcher and services.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { runInNewContext } from 'node:vm';
import { CHANNEL_NAMES, EVENT_NAMES } from '../../shared/ipc/contract';
import { ALLOWED_CHANNELS, ALLOWED_EVENTS, createBridge, EVENT_CHANNEL, INVOKE_CHANNEL } from '../../preload/bridge';
import { registerIpc, APP_ORIGIN } from '../../main/electron/ipc';
import { AppServices } from '../../main/app/services';
import { BUSINESS, keyPair, simpleSale, tempDir } from '../support/fixture';

const NOW = new Date('2026-11-24T20:00:00+01:00');
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()!();
});

function fakeIpcRenderer() {
  const calls: unknown[][] = [];
  let listener: ((e: unknown, ...a: unknown[]) => void) | undefined;
  return {
    calls,
    emit: (...args: unknown[]) => listener?.({ sender: 'secret-ipc-object' }, ...args),
    ipc: {
      invoke: async (...args: unknown[]) => {
        calls.push(args);
        return { ok: true, result: 'from-main' };
      },
      on: (channel: string, l: (e: unknown, ...a: unknown[]) => void) => {
        expect(channel).toBe(EVENT_CHANNEL);
        listener = l;
      },
    },
  };
}

describe('preload allow-list', () => {
  it('allows exactly the contract channels and events', () => {
    expect([...ALLOWED_CHANNELS].sort()).toEqual([...CHANNEL_NAMES].sort());
    expect([...ALLOWED_EVENTS].sort()).toEqual([...EVENT_NAMES].sort());
  });

  it('forwards contract channels, refuses others without reaching main, and passes event payloads only', async () => {
    const f = fakeIpcRenderer();
    const bridge = createBridge(f.ipc);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on']);
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(await bridge.invoke('status.get', {})).toEqual({ ok: true, result: 'from-main' });
    expect(f.calls).toEqual([[INVOKE_CHANNEL, 'status.get', {}]]);
    expect(await bridge.invoke('fs.readFile', {})).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(f.calls).toHaveLength(1);
    expect(() => bridge.on('ipc.raw', () => {})).toThrow(/unknown event/);
    const seen: unknown[][] = [];
    const off = bridge.on('invoice.issued', (...args) => seen.push(args));
    f.emit('invoice.issued', { irn: 'X' });
    f.emit('not.an.event', { irn: 'Y' });
    expect(seen).toEqual([[{ irn: 'X' }]]);
    off();
    f.emit('invoice.issued', { irn: 'Z' });
    expect(seen).toHaveLength(1);
  });

  it('the built preload bundle exposes only window.taxpoynt', () => {
    const file = 'dist/preload/preload.cjs';
    expect(existsSync(file)).toBe(true); // built by the global setup (scripts/build.mjs)
    const exposed: Record<string, unknown> = {};
    const f = fakeIpcRenderer();
    const electron = {
      contextBridge: {
        exposeInMainWorld: (k: string, v: unknown) => {
          exposed[k] = v;
        },
      },
      ipcRenderer: f.ipc,
    };
    const module = { exports: {} };
    runInNewContext(readFileSync(file, 'utf8'), {
      module,
      exports: module.exports,
      require: (m: string) => {
        if (m === 'electron') return electron;
        throw new Error(`preload may not require ${m}`);
      },
      console,
      process: { env: {} },
      Promise,
      setTimeout,
      clearTimeout,
      TextEncoder,
      TextDecoder,
      URL,
    });
    expect(Object.keys(exposed)).toEqual(['taxpoynt']);
    expect(Object.keys(exposed.taxpoynt as object).sort()).toEqual(['invoke', 'on']);
  });
});

describe('main IPC registration', () => {
  it('registers one invoke handler that dispatches through the contract, refuses foreign frames, and forwards events', async () => {
    const services = new AppServices({
      dataDir: tempDir(),
      mode: 'electron',
      now: () => NOW,
      demoFeedMs: 0,
      watchMs: 60_000,
      log: () => {},
    });
    stops.push(() => services.stop());
    await services.configure(BUSINESS, keyPair().keysFileJson, '246810');
    const handlers = new Map<string, (...a: any[]) => unknown>();
    const ipcMain = {
      handle: (c: string, l: (...a: any[]) => unknown) => {
        handlers.set(c, l);
      },
      removeHandler: (c: string) => {
        handlers.delete(c);
      },
    };
    const sent: unknown[][] = [];
    const wc = { id: 7, isDestroyed: () => false, send: (...a: unknown[]) => sent.push(a) };
    const off = registerIpc(ipcMain, services, () => [wc], { checkResponses: true });
    expect([...handlers.keys()]).toEqual([INVOKE_CHANNEL]);
    const invoke = handlers.get(INVOKE_CHANNEL)!;
    const trusted = { sender: { id: 7 }, senderFrame: { url: `${APP_ORIGIN}/index.html` } };
    expect(await invoke(trusted, 'app.state', {})).toMatchObject({ ok: true, result: { mode: 'electron', setup: 'configured' } });
    expect(await invoke({ sender: { id: 8 }, senderFrame: { url: 'https://evil.example/' } }, 'app.state', {})).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    expect(await invoke(trusted, 'nope', {})).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await invoke(trusted, 'invoices.get', { irn: 5 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', message: expect.stringMatching(/irn: /) },
    });
    expect(await invoke(trusted, 'settings.get', {})).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(await invoke(trusted, 'manager.unlock', { pin: '246810' })).toMatchObject({ ok: true, result: { unlocked: true } });
    expect(await invoke(trusted, 'settings.get', {})).toMatchObject({ ok: true });
    // Another window has its own (locked) manager session.
    expect(await invoke({ sender: { id: 9 }, senderFrame: trusted.senderFrame }, 'settings.get', {})).toMatchObject({
      ok: false,
      error: { code: 'locked' },
    });
    await invoke(trusted, 'sales.createManual', { sale: simpleSale('ipc-1') });
    expect(sent.some(([ch, name]) => ch === EVENT_CHANNEL && name === 'invoice.issued')).toBe(true);
    off();
    expect(handlers.size).toBe(0);
  });
});

describe('Electron end to end', () => {
  // The real window flow needs the Electron binary (Playwright's _electron); say why when it is absent.
  let binary: string | undefined;
  let reason = '';
  try {
    const p = createRequire(import.meta.url)('electron') as unknown;
    if (typeof p === 'string' && existsSync(p)) binary = p;
    else reason = `no Electron binary at ${String(p)}`;
  } catch (e) {
    reason = `the Electron binary is not installed (${(e as Error).message.split('\n')[0]})`;
  }
  if (!binary) console.log(`SKIPPED Electron end-to-end test: ${reason}`);
  it.skipIf(!binary)('launches the app window, which reaches main only through window.taxpoynt', async () => {
    const { _electron } = await import('playwright-core');
    const dataDir = tempDir();
    const app = await _electron.launch({
      executablePath: binary!,
      args: ['.'],
      env: { ...process.env, TAXPOYNT_POS_DATA_DIR: dataDir } as Record<string, string>,
    });
    try {
      const win = await app.firstWindow();
      const keys = await win.evaluate(() => Object.keys((window as any).taxpoynt ?? {}).sort());
      expect(keys).toEqual(['invoke', 'on']);
      expect(await win.evaluate(() => typeof (window as any).require)).toBe('undefined');
      const state = await win.evaluate(() => (window as any).taxpoynt.invoke('app.state', {}));
      expect(state).toMatchObject({ ok: true, result: { mode: 'electron' } });
    } finally {
      await app.close();
    }
  });
});
