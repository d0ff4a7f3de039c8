import type { IncomingHttpHeaders } from 'node:http';
import type { Namespace, Socket } from 'socket.io';
import type { Metrics } from '../infra/metrics.ts';
import { type AgentClientEvents, type AgentServerEvents, agentRoom } from './events.ts';

/** An agent's session as it is now: what his sockets may follow, and until when. */
export type AgentIdentity = {
  sessionId: string;
  agentId: number;
  /** The session ends then unless the agent uses the API (the expiry slides). */
  expiresAt: Date;
  /** A first password, not changed yet: the API refuses him, so does the socket. */
  mustChangePassword: boolean;
  mayFollow(serviceCode: string): boolean;
};

/** How the /agent namespace reads sessions and rights (boot.ts wires the app's functions). */
export type AgentAccess = {
  /** The Cookie header of a handshake → the live session's agent (its expiry slides), or null. */
  byCookie(cookieHeader: string): Promise<AgentIdentity | null>;
  /** A session by its id, as the database says now (no sliding), or null once it ended. */
  bySession(sessionId: string): Promise<AgentIdentity | null>;
  /** The API's Origin rule (`fromOurPages`) applied to a handshake. */
  fromOurPages(handshake: { headers: IncomingHttpHeaders; secure: boolean }): boolean;
};

/**
 * Kept in `socket.data`, which connection-state recovery persists through the adapter (msgpack
 * in Redis): plain values only. The session it names is checked again before anything is restored.
 */
export type AgentSocketData = { sessionId: string; agentId: number; expiresAt: number };

export type AgentNamespace = Namespace<AgentClientEvents, AgentServerEvents, object, AgentSocketData>;
type AgentSocket = Socket<AgentClientEvents, AgentServerEvents, object, AgentSocketData>;

const sessionRoom = (sessionId: string) => `session:${sessionId}`;
const agentIdRoom = (agentId: number) => `agent-id:${agentId}`;
const SERVICE_CODE = /^\d{7}$/;
const FOLLOWED = /^agent:(\d{7})$/;

const REFUSED_ORIGIN = 'Connexion refusée : elle ne vient pas des pages de Guichet.';
const UNAUTHENTICATED = 'Authentification requise';
const PASSWORD_FIRST = 'Authentification requise : choisissez d’abord votre mot de passe.';

/** Whether a socket of this session may be in every one of these rooms, as the rights are now. */
function roomsAllowed(rooms: Iterable<string>, socketId: string, who: AgentIdentity): boolean {
  for (const room of rooms) {
    if (room === socketId || room === sessionRoom(who.sessionId) || room === agentIdRoom(who.agentId))
      continue;
    const code = FOLLOWED.exec(room)?.[1];
    if (!code || !who.mayFollow(code)) return false;
  }
  return true;
}

const live = (who: AgentIdentity | null): who is AgentIdentity => !!who && !who.mustChangePassword;

/**
 * Connection-state recovery restores a socket before any middleware runs: Socket.IO re-joins its
 * old rooms and writes the missed packets to the wire as it builds the socket. The adapter's
 * restoreSession is therefore where a revoked session must stop: a session is restored only if
 * the agent session it was opened with is live and may still follow every room it had; otherwise
 * the connection starts afresh (the middleware then judges the cookie; pages resync anyway).
 * The adapter is built with the namespace (`io.of`), in memory or on the Redis stream alike.
 */
function guardRecovery(agents: AgentNamespace, access: AgentAccess): void {
  const adapter = agents.adapter;
  const restore = adapter.restoreSession.bind(adapter);
  type Restored = Awaited<ReturnType<typeof restore>>;
  adapter.restoreSession = async (pid, offset) => {
    const session = await restore(pid, offset);
    if (!session) return session;
    const { sessionId } = (session.data ?? {}) as Partial<AgentSocketData>;
    const who = typeof sessionId === 'string' ? await access.bySession(sessionId).catch(() => null) : null;
    if (live(who) && roomsAllowed(session.rooms, session.sid, who)) return session;
    return null as unknown as Restored;
  };
}

/**
 * The agents' namespace: the session cookie (from our own pages) at the handshake, checked again
 * before a recovery and right after connection; each join checked against the rights as the
 * database has them now; sockets dropped by session or by agent (`drop`) and at their session's
 * expiry (`sweepExpired`).
 */
export function setupAgents(
  agents: AgentNamespace,
  access: AgentAccess,
  gauge: Metrics['socketsConnected'] | undefined,
) {
  guardRecovery(agents, access);

  agents.use(async (socket, next) => {
    if (!access.fromOurPages(socket.handshake)) return next(new Error(REFUSED_ORIGIN));
    const cookie = socket.handshake.headers.cookie ?? '';
    const who = cookie ? await access.byCookie(cookie).catch(() => null) : null;
    if (!who) return next(new Error(UNAUTHENTICATED));
    if (who.mustChangePassword) return next(new Error(PASSWORD_FIRST));
    // A recovered socket belongs to the session it was opened with, never to another cookie's.
    if (socket.recovered && socket.data.sessionId !== who.sessionId) return next(new Error(UNAUTHENTICATED));
    socket.data = { sessionId: who.sessionId, agentId: who.agentId, expiresAt: who.expiresAt.getTime() };
    next();
  });

  /** The session of the socket as it is now, its known expiry refreshed; null once it may not go on. */
  const current = async (socket: AgentSocket): Promise<AgentIdentity | null> => {
    const who = await access.bySession(socket.data.sessionId).catch(() => null);
    if (!live(who)) return null;
    socket.data.expiresAt = who.expiresAt.getTime();
    return who;
  };

  agents.on('connection', (socket) => {
    gauge?.inc({ namespace: '/agent' });
    socket.on('disconnect', () => gauge?.dec({ namespace: '/agent' }));
    // Signing out, a revocation or a change of rights drops these rooms' sockets on every node.
    void socket.join([sessionRoom(socket.data.sessionId), agentIdRoom(socket.data.agentId)]);
    // Once more now that the socket is reachable by `drop`: a sign-out or a change of rights
    // published while the middleware was reading the session did not find it.
    void current(socket).then((who) => {
      if (!who || !roomsAllowed(socket.rooms, socket.id, who)) socket.disconnect(true);
    });
    socket.on('join', async (e, ack) => {
      const code = typeof e?.serviceCode === 'string' ? e.serviceCode : '';
      const who = SERVICE_CODE.test(code) ? await current(socket) : null;
      if (!who?.mayFollow(code)) {
        ack?.({ ok: false, error: 'Vous ne pouvez pas suivre l’agenda de ce service.' });
        return;
      }
      void socket.join(agentRoom(code));
      ack?.({ ok: true });
    });
    socket.on('leave', (e) => {
      if (typeof e?.serviceCode === 'string') void socket.leave(agentRoom(e.serviceCode));
    });
  });

  let sweeping = false;
  return {
    /** Drops the sockets of these sessions and of these agents, on every node. */
    drop(who: { sessionIds?: readonly string[]; agentIds?: readonly number[] }): void {
      const rooms = [...(who.sessionIds ?? []).map(sessionRoom), ...(who.agentIds ?? []).map(agentIdRoom)];
      if (rooms.length) agents.in(rooms).disconnectSockets(true);
    },
    /**
     * Drops this node's sockets whose session has expired at `now`: those past their known expiry
     * are read again (the agent's requests may have slid it), the others cost nothing.
     */
    async sweepExpired(now: Date): Promise<number> {
      if (sweeping) return 0;
      sweeping = true;
      let dropped = 0;
      try {
        const due = [...agents.sockets.values()].filter((s) => s.data.expiresAt <= now.getTime());
        for (const socket of due) {
          if (await current(socket)) continue;
          socket.disconnect(true);
          dropped++;
        }
      } finally {
        sweeping = false;
      }
      return dropped;
    },
  };
}
