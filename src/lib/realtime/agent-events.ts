import { io, type Socket } from 'socket.io-client';
// Types only (erased from the bundle): the server's event map is the one declaration of the events.
import type {
  AgentClientEvents,
  AgentServerEvents,
  HoldEvent,
  RdvEvent,
} from '../../../server/realtime/events.ts';

export type { HoldEvent, RdvEvent };

/** One event of a service's agent room, tagged with its name. */
export type AgentEvent =
  | { name: 'rdv-created' | 'rdv-updated'; payload: RdvEvent }
  | { name: 'usager-arrived'; payload: RdvEvent & { arrived: boolean } }
  | { name: 'hold-placed' | 'hold-released'; payload: HoldEvent };

/**
 * - `live`: connected and in the service's room;
 * - `reconnecting`: the connection dropped, Socket.IO tries again;
 * - `signedOut`: the server refused the session (signed out, revoked): no more tries.
 */
export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'signedOut';

export type AgendaListener = {
  onEvent: (e: AgentEvent) => void;
  /**
   * `live` comes after each join the server acknowledged: the first one, and after every
   * reconnection (recovered or not), when events may have been missed.
   */
  onStatus: (status: LiveStatus) => void;
  /**
   * What the agenda shows must be read again: the service's configuration changed (guichets,
   * plages, fermetures), or the server's bus came back after an outage and events may be lost.
   */
  onResync: () => void;
};

/** How the agenda state subscribes; a stand-in replaces it in unit tests. */
export type FollowAgenda = (serviceCode: string, listener: AgendaListener) => () => void;

const NAMES = ['rdv-created', 'rdv-updated', 'usager-arrived', 'hold-placed', 'hold-released'] as const;

/** How the list of rdvs subscribes to several services at once; a stand-in in unit tests. */
export type FollowServices = (serviceCodes: readonly string[], listener: AgendaListener) => () => void;

/**
 * Follows the agenda of one service on the /agent namespace (same origin, /socket.io/). The
 * browser sends the httpOnly session cookie with the handshake; the server checks it there and on
 * every recovery, and drops the socket when the session ends. Returns a function that stops.
 */
export const followAgenda: FollowAgenda = (serviceCode, listener) => followServices([serviceCode], listener);

/**
 * Follows the rooms of several services on one connection (the "Liste des RDV" shows every
 * service of the dashboard): `live` once every join is acknowledged, `signedOut` if one is refused.
 */
export const followServices: FollowServices = (serviceCodes, listener) => {
  const socket: Socket<AgentServerEvents, AgentClientEvents> = io('/agent', {
    path: '/socket.io/',
    transports: ['websocket', 'polling'],
    reconnectionDelayMax: 5_000,
  });
  const codes = new Set(serviceCodes);
  let stopped = false;

  socket.on('connect', () => {
    let waiting = codes.size;
    let refused = false;
    if (waiting === 0) listener.onStatus('live');
    for (const serviceCode of codes) {
      socket.emit('join', { serviceCode }, (answer) => {
        if (stopped) return;
        refused ||= !answer?.ok;
        // Refused (no longer rattaché): the page says it is not live rather than pretending.
        if (--waiting === 0) listener.onStatus(refused ? 'signedOut' : 'live');
      });
    }
  });
  socket.on('disconnect', () => {
    // Dropped by the server (signed out, revoked): Socket.IO does not try again (`active` false).
    if (!stopped) listener.onStatus(socket.active ? 'reconnecting' : 'signedOut');
  });
  socket.on('connect_error', () => {
    // A refusal by the server's middleware (no valid session) stops the retries (`active` false);
    // a network error leaves Socket.IO retrying.
    if (!stopped) listener.onStatus(socket.active ? 'reconnecting' : 'signedOut');
  });
  socket.on('resync', () => {
    if (!stopped) listener.onResync();
  });
  socket.on('config-changed', (e) => {
    if (!stopped && codes.has(e.serviceCode)) listener.onResync();
  });
  for (const name of NAMES) {
    // One handler for the five events: each payload names its service.
    const handler = (payload: { serviceCode: string }) => {
      if (codes.has(payload.serviceCode)) listener.onEvent({ name, payload } as AgentEvent);
    };
    socket.on(name, handler as AgentServerEvents[typeof name]);
  }

  return () => {
    stopped = true;
    if (socket.connected) for (const serviceCode of codes) socket.emit('leave', { serviceCode });
    socket.disconnect();
  };
};
