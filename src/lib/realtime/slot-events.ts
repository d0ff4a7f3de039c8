import { io, type Socket } from 'socket.io-client';

/** A slot taken or freed in a service. Public events carry no personal data. */
export type SlotEvent = { serviceCode: string; start: string; end: string; type: 'physique' | 'telephone' };

type ServerEvents = {
  'slot-taken': (e: SlotEvent) => void;
  'slot-freed': (e: SlotEvent) => void;
};
type ClientEvents = {
  subscribe: (e: { serviceCode: string }, ack?: (r: { ok: boolean; error?: string }) => void) => void;
  unsubscribe: (e: { serviceCode: string }) => void;
};

export type SlotListener = {
  /** A slot of the service was taken or freed. */
  onChange: (e: SlotEvent & { kind: 'taken' | 'freed' }) => void;
  /** The connection came back after a loss: events may have been missed, resync from the API. */
  onResync: () => void;
  /** Connection state, to tell the user when live updates are paused. */
  onStatus?: (connected: boolean) => void;
};

/**
 * Follows the slots of one service live (Socket.IO, same origin, /socket.io/). The server is
 * the source of truth: these events only tell the page when to fetch the slots again.
 * Returns a function that stops following.
 */
export function followSlots(serviceCode: string, listener: SlotListener): () => void {
  const socket: Socket<ServerEvents, ClientEvents> = io({
    path: '/socket.io/',
    transports: ['websocket', 'polling'],
    reconnectionDelayMax: 5_000,
  });
  let connectedOnce = false;

  socket.on('connect', () => {
    socket.emit('subscribe', { serviceCode });
    listener.onStatus?.(true);
    // A reconnection without recovered state means we may have missed events.
    if (connectedOnce && !socket.recovered) listener.onResync();
    connectedOnce = true;
  });
  socket.on('disconnect', () => listener.onStatus?.(false));
  socket.on('slot-taken', (e) => {
    if (e.serviceCode === serviceCode) listener.onChange({ ...e, kind: 'taken' });
  });
  socket.on('slot-freed', (e) => {
    if (e.serviceCode === serviceCode) listener.onChange({ ...e, kind: 'freed' });
  });

  return () => {
    if (socket.connected) socket.emit('unsubscribe', { serviceCode });
    socket.disconnect();
  };
}
