// Main's side of the Electron IPC: one invoke channel carrying the contract (through the same
// dispatcher as browser mode) and one event channel. Only frames loaded from the app's own
// origin may call; each window has its own manager session.
import { dispatch, type DispatchOptions } from '../app/dispatch';
import { ManagerSession } from '../app/handlers';
import type { AppServices } from '../app/services';
import { EVENT_NAMES } from '../../shared/ipc/contract';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../../preload/bridge';

export const APP_ORIGIN = 'app://renderer';

export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: { sender: { id: number }; senderFrame?: { url: string } | null }, ...args: unknown[]) => unknown,
  ): void;
  removeHandler(channel: string): void;
}

export interface WebContentsLike {
  id: number;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

export function isTrustedUrl(url: string | undefined): boolean {
  return typeof url === 'string' && (url === APP_ORIGIN || url.startsWith(`${APP_ORIGIN}/`));
}

export function registerIpc(
  ipc: IpcMainLike,
  services: AppServices,
  targets: () => WebContentsLike[],
  opts: DispatchOptions = {},
): () => void {
  const sessions = new Map<number, ManagerSession>();
  ipc.handle(INVOKE_CHANNEL, async (event, channel, payload) => {
    if (!isTrustedUrl(event.senderFrame?.url)) {
      return { ok: false, error: { code: 'unauthorized', message: "IPC is only accepted from the app's own pages" } };
    }
    let session = sessions.get(event.sender.id);
    if (!session) sessions.set(event.sender.id, (session = new ManagerSession(() => services.now().getTime())));
    return dispatch(typeof channel === 'string' ? channel : '', payload, { services, session }, opts);
  });
  const offs = EVENT_NAMES.map((name) =>
    services.on(name, (payload) => {
      for (const wc of targets()) if (!wc.isDestroyed()) wc.send(EVENT_CHANNEL, name, payload);
    }),
  );
  return () => {
    ipc.removeHandler(INVOKE_CHANNEL);
    for (const off of offs) off();
  };
}
