// How the renderer reaches main: Electron's preload bridge when present, else HTTP + WebSocket
// to the browser-mode server (same origin, authenticated by the session cookie).
export interface Bridge {
  invoke(channel: string, payload: unknown): Promise<unknown>;
  on(event: string, cb: (payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    taxpoynt?: Bridge;
  }
}

export type LinkState = 'connecting' | 'open' | 'closed';

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface Envelope {
  ok: boolean;
  result?: unknown;
  error?: { code?: string; message?: string };
}

function isEnvelope(v: unknown): v is Envelope {
  return typeof v === 'object' && v !== null && 'ok' in v && typeof (v as Envelope).ok === 'boolean' && ('result' in v || 'error' in v);
}

function unwrap(body: unknown, status?: number): unknown {
  if (!isEnvelope(body)) return body;
  if (body.ok) return body.result;
  throw new ApiError(body.error?.code ?? 'internal', body.error?.message ?? 'request failed', status);
}

export interface Transport {
  invoke(channel: string, payload: unknown): Promise<unknown>;
  on(event: string, cb: (payload: unknown) => void): () => void;
  onLink(cb: (state: LinkState) => void): () => void;
}

/** Electron: the preload's bridge carries the same contract over ipcRenderer. */
export function bridgeTransport(bridge: Bridge): Transport {
  return {
    invoke: async (channel, payload) => unwrap(await bridge.invoke(channel, payload)),
    on: (event, cb) => bridge.on(event, cb),
    onLink: (cb) => {
      cb('open');
      return () => {};
    },
  };
}

/** Browser mode: POST /api/invoke/<channel>, events over a reconnecting WebSocket. */
export function httpTransport(base: URL = new URL('/', window.location.href)): Transport {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const linkListeners = new Set<(s: LinkState) => void>();
  let state: LinkState = 'connecting';
  let socket: WebSocket | undefined;
  let backoffMs = 500;

  const setState = (s: LinkState) => {
    state = s;
    for (const cb of linkListeners) cb(s);
  };

  const connect = () => {
    const url = new URL('api/events', base);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    setState('connecting');
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      backoffMs = 500;
      setState('open');
    };
    ws.onmessage = (m) => {
      let msg: { event?: string; payload?: unknown };
      try {
        msg = JSON.parse(String(m.data));
      } catch {
        return;
      }
      if (!msg.event) return;
      for (const cb of listeners.get(msg.event) ?? []) cb(msg.payload);
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      setState('closed');
      // Reconnect with capped backoff: the server may be restarting; the till must recover alone.
      setTimeout(connect, backoffMs);
      backoffMs = Math.min(backoffMs * 2, 5000);
    };
  };
  connect();

  return {
    async invoke(channel, payload) {
      let res: Response;
      try {
        res = await fetch(new URL(`api/invoke/${channel}`, base), {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(payload ?? {}),
        });
      } catch (e) {
        throw new ApiError('unreachable', `cannot reach the TaxPoynt POS service (${(e as Error).message})`);
      }
      let body: unknown;
      try {
        body = await res.json();
      } catch {
        throw new ApiError(
          res.status === 401 ? 'unauthorized' : 'internal',
          `${channel}: HTTP ${res.status} without a JSON body`,
          res.status,
        );
      }
      if (!res.ok && !isEnvelope(body)) throw new ApiError('internal', `${channel}: HTTP ${res.status}`, res.status);
      return unwrap(body, res.status);
    },
    on(event, cb) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(cb);
      return () => {
        set.delete(cb);
      };
    },
    onLink(cb) {
      linkListeners.add(cb);
      cb(state);
      return () => {
        linkListeners.delete(cb);
      };
    },
  };
}

export function defaultTransport(): Transport {
  return window.taxpoynt ? bridgeTransport(window.taxpoynt) : httpTransport();
}
