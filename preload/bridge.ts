// What the preload exposes as window.taxpoynt: exactly { invoke, on }, restricted to the
// contract's channel and event names. Pure (takes an ipcRenderer-like object) so it is tested
// without Electron. The renderer never sees ipcRenderer or an IPC event object.
import { CHANNEL_NAMES, EVENT_NAMES } from '../shared/ipc/contract';

export const INVOKE_CHANNEL = 'taxpoynt:invoke';
export const EVENT_CHANNEL = 'taxpoynt:event';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export interface TaxpoyntBridge {
  invoke(channel: string, payload: unknown): Promise<unknown>;
  on(event: string, cb: (payload: unknown) => void): () => void;
}

export const ALLOWED_CHANNELS: ReadonlySet<string> = new Set(CHANNEL_NAMES);
export const ALLOWED_EVENTS: ReadonlySet<string> = new Set(EVENT_NAMES);

export function createBridge(ipc: IpcRendererLike): TaxpoyntBridge {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  // One IPC listener fans events out: the renderer's callbacks get the payload only.
  ipc.on(EVENT_CHANNEL, (_event, name, payload) => {
    if (typeof name !== 'string' || !ALLOWED_EVENTS.has(name)) return;
    for (const cb of listeners.get(name) ?? []) cb(payload);
  });
  return Object.freeze({
    invoke(channel: string, payload: unknown): Promise<unknown> {
      if (typeof channel !== 'string' || !ALLOWED_CHANNELS.has(channel)) {
        return Promise.resolve({ ok: false, error: { code: 'not_found', message: `unknown channel "${String(channel)}"` } });
      }
      return ipc.invoke(INVOKE_CHANNEL, channel, payload);
    },
    on(event: string, cb: (payload: unknown) => void): () => void {
      if (typeof event !== 'string' || !ALLOWED_EVENTS.has(event)) throw new Error(`unknown event "${String(event)}"`);
      if (typeof cb !== 'function') throw new Error('on(event, cb): cb must be a function');
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(cb);
      return () => {
        set.delete(cb);
      };
    },
  });
}
