// What every feature's handlers share: the call context, the per-channel handler type, errors
// with an IPC code, and `combine`, which joins the features' handler maps into the one map the
// dispatcher uses (after Actual Budget loot-core's createApp()/combine()). Each feature declares
// its map with `handlers({...})`, so a key that is not a contract channel is a compile error;
// the root (main/app/handlers.ts) types the combined map as `Handlers`, so a channel no feature
// handles is a compile error too; a channel handled twice is refused when the root loads.
import type { ChannelName, ParsedRequest, Response } from '../../shared/ipc/contract';
import type { AppServices } from '../app/services';

export class AppError extends Error {
  constructor(
    readonly code: 'invalid_request' | 'locked' | 'not_found' | 'not_setup',
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

const MANAGER_IDLE_MS = 15 * 60_000;

/**
 * One window's (Electron) or one browser's (cookie) session: the manager unlock, and which
 * cashier signed in at this till (when the shop has cashier PINs), so each sale names its cashier.
 */
export class ManagerSession {
  private until = 0;
  private signedIn: string | undefined;
  constructor(private readonly now: () => number = Date.now) {}
  /** The cashier signed in at this window/browser (undefined: nobody, or a single-till shop). */
  get cashier(): string | undefined {
    return this.signedIn;
  }
  signInCashier(name: string): void {
    this.signedIn = name;
  }
  signOutCashier(): void {
    this.signedIn = undefined;
  }
  isUnlocked(): boolean {
    return this.now() < this.until;
  }
  unlock(): number {
    this.until = this.now() + MANAGER_IDLE_MS;
    return this.until;
  }
  /** Activity keeps an unlocked session open (auto-lock after 15 idle minutes). */
  touch(): void {
    if (this.isUnlocked()) this.until = this.now() + MANAGER_IDLE_MS;
  }
  lock(): void {
    this.until = 0;
  }
}

export interface CallContext {
  services: AppServices;
  session: ManagerSession;
}

export type Handler<C extends ChannelName> = (req: ParsedRequest<C>, ctx: CallContext) => Response<C> | Promise<Response<C>>;
export type Handlers = { [C in ChannelName]: Handler<C> };

/** A feature's handlers: only contract channels, each with its channel's types. */
export function handlers<K extends ChannelName>(map: { [C in K]: Handler<C> }): { [C in K]: Handler<C> } {
  return map;
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** Joins the features' handler maps; a channel handled by two features is an error. */
export function combine<P extends readonly object[]>(...parts: P): UnionToIntersection<P[number]> {
  const out: Record<string, unknown> = {};
  for (const part of parts) {
    for (const [channel, handler] of Object.entries(part)) {
      if (channel in out) throw new Error(`channel ${channel} has handlers in two features`);
      out[channel] = handler;
    }
  }
  return out as UnionToIntersection<P[number]>;
}
