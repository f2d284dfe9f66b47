// The typed client: channel names, request and response types all come from the one contract in
// shared/ipc/contract.ts (type-only import: the renderer bundle carries no schemas), so a call
// cannot drift from its handler.
import type { ChannelName, EventName, EventPayload, Request, Response } from '../../../shared/ipc/contract';
import { defaultTransport, type LinkState, type Transport } from './transport';

export { ApiError, type LinkState } from './transport';

let transport: Transport | undefined;
const t = (): Transport => (transport ??= defaultTransport());

export function invoke<C extends ChannelName>(channel: C, payload: Request<C>): Promise<Response<C>> {
  return t().invoke(channel, payload) as Promise<Response<C>>;
}

export function on<E extends EventName>(event: E, cb: (payload: EventPayload<E>) => void): () => void {
  return t().on(event, cb as (p: unknown) => void);
}

export function onLink(cb: (state: LinkState) => void): () => void {
  return t().onLink(cb);
}
