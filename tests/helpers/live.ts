import { io, type Socket } from 'socket.io-client';

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

/** A socket on the agents' namespace with this session cookie, once connected (rejects if refused). */
export async function agentSocket(url: string, cookie: string): Promise<Socket> {
  const socket = io(`${url}/agent`, {
    transports: ['websocket'],
    extraHeaders: { cookie },
    reconnection: false,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (e) => {
      socket.close();
      reject(e);
    });
  });
  return socket;
}
