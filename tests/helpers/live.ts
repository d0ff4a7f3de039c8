import { io as connect, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';

// Live events as a browser or an agenda hears them, for the suites that watch the sockets.

/** The next `event` on the socket that satisfies `predicate`, within 5 s. */
export function waitFor<T>(
  socket: Socket,
  event: string,
  predicate: (e: T) => boolean = () => true,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`pas d’événement ${event}`)), 5_000);
    const handler = (e: T) => {
      if (!predicate(e)) return;
      clearTimeout(timer);
      socket.off(event, handler);
      resolve(e);
    };
    socket.on(event, handler);
  });
}

/**
 * An agent's socket as our pages open it: our Origin and his session cookie on the handshake, on
 * a connection of its own (as another browser would; Socket.IO would otherwise share one).
 */
export function agentSocket(
  url: string,
  cookie: string,
  options: Partial<ManagerOptions & SocketOptions> = {},
): Socket {
  return connect(`${url}/agent`, {
    transports: ['websocket'],
    extraHeaders: { origin: url, ...(cookie ? { cookie } : {}) },
    forceNew: true,
    ...options,
  });
}

/** Resolves once the socket is connected; rejects with the server's refusal. */
export const connected = (s: Socket) =>
  new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', (e) => reject(e));
  });

/** The reason of the socket's next disconnection. */
export const disconnected = (s: Socket) =>
  new Promise<string>((resolve) => s.once('disconnect', (r) => resolve(r)));

/**
 * Every event packet that reaches the client, as it comes off the wire (Engine.IO `packet`),
 * across reconnections: before Socket.IO's handlers, and before the buffer where a socket not yet
 * connected keeps what it receives.
 */
export function eventsOnTheWire(socket: Socket): string[] {
  const seen: string[] = [];
  const tapped = new WeakSet<object>();
  const tap = () => {
    const engine = socket.io.engine;
    if (!engine || tapped.has(engine)) return;
    tapped.add(engine);
    engine.on('packet', (p) => {
      // Socket.IO's EVENT (2) and BINARY_EVENT (5) packets, e.g. `2/agent,["rdv-created",{…}]`.
      if (p.type === 'message' && typeof p.data === 'string' && /^[25]/.test(p.data)) seen.push(p.data);
    });
  };
  tap();
  socket.io.on('open', tap);
  return seen;
}

/** An agent's socket once connected; rejects with the server's refusal (and closes the socket). */
export async function connectedAgentSocket(url: string, cookie: string): Promise<Socket> {
  const s = agentSocket(url, cookie);
  try {
    await connected(s);
  } catch (err) {
    s.close();
    throw err;
  }
  return s;
}
