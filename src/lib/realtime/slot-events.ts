import { io, type Socket } from 'socket.io-client';
// Types only (erased from the bundle): the server's event map is the one declaration of the events.
import type { PublicClientEvents, PublicServerEvents, SlotEvent } from '../../../server/realtime/events.ts';

export type { SlotEvent };

export type SlotListener = {
  /** A slot of the service was taken or freed. */
  onChange: (e: SlotEvent & { kind: 'taken' | 'freed' }) => void;
  /** The connection came back after a loss (recovered or not): resync from the API. */
  onResync: () => void;
  /** Connection state, to tell the user when live updates are paused. */
  onStatus?: (connected: boolean) => void;
};

/**
 * Follows the slots of one service live (Socket.IO, same origin, /socket.io/). The server is
 * the source of truth: these events only tell the page when to fetch the slots again.
 * Returns a function that stops following. `base` is for clients outside a page (the fault
 * tests run this very code against nodes behind a load balancer); pages use their own origin.
 */
export function followSlots(serviceCode: string, listener: SlotListener, base?: string): () => void {
  const options = { path: '/socket.io/', transports: ['websocket', 'polling'], reconnectionDelayMax: 5_000 };
  const socket: Socket<PublicServerEvents, PublicClientEvents> = base ? io(base, options) : io(options);
  let connectedOnce = false;

  socket.on('connect', () => {
    const again = connectedOnce;
    connectedOnce = true;
    // After any reconnection, recovered or not, once the server has the subscription (no event
    // falls between the reading and the room): recovery is a bonus, never a guarantee.
    socket.emit('subscribe', { serviceCode }, () => {
      if (again) listener.onResync();
    });
    listener.onStatus?.(true);
  });
  socket.on('disconnect', () => listener.onStatus?.(false));
  socket.on('slot-taken', (e) => {
    if (e.serviceCode === serviceCode) listener.onChange({ ...e, kind: 'taken' });
  });
  socket.on('slot-freed', (e) => {
    if (e.serviceCode === serviceCode) listener.onChange({ ...e, kind: 'freed' });
  });
  // The head of office changed guichets, plages or fermetures: every slot may have moved.
  socket.on('config-changed', (e) => {
    if (e.serviceCode === serviceCode) listener.onResync();
  });
  // Events may have been missed (Redis was away between the nodes): fetch again.
  socket.on('resync', () => listener.onResync());

  return () => {
    if (socket.connected) socket.emit('unsubscribe', { serviceCode });
    socket.disconnect();
  };
}
