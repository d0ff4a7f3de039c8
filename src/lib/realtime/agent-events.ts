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
 * - `signedOut`: the server refused the session (signed out, revoked, expired) or a join: no more tries.
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
 * `base` is for clients outside a page (unit tests); pages use their own origin.
 */
export const followServices = (
  serviceCodes: readonly string[],
  listener: AgendaListener,
  base = '',
): (() => void) => {
  const socket: Socket<AgentServerEvents, AgentClientEvents> = io(`${base}/agent`, {
    path: '/socket.io/',
    transports: ['websocket', 'polling'],
    reconnectionDelayMax: 5_000,
  });
  const codes = new Set(serviceCodes);
  let stopped = false;
  // Whether the server's last drop was answered by a new connection that has not joined yet.
  let retried = false;

  socket.on('connect', () => {
    let waiting = codes.size;
    let refused = false;
    if (waiting === 0) listener.onStatus('live');
    for (const serviceCode of codes) {
      socket.emit('join', { serviceCode }, (answer) => {
        if (stopped) return;
        refused ||= !answer?.ok;
        // Refused (no longer rattaché): the page says it is not live rather than pretending.
        if (--waiting > 0) return;
        if (!refused) retried = false;
        listener.onStatus(refused ? 'signedOut' : 'live');
      });
    }
  });
  socket.on('disconnect', (reason) => {
    if (stopped) return;
    // Dropped by the server (Socket.IO would not try again): signed out, expired, or the agent's
    // rights changed. Once, connect again: the server judges the session as it is now (a refusal
    // ends in `signedOut`), and the joins say what may still be followed.
    if (reason === 'io server disconnect' && !retried) {
      retried = true;
      listener.onStatus('reconnecting');
      socket.connect();
      return;
    }
    listener.onStatus(socket.active ? 'reconnecting' : 'signedOut');
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
