import type { Socket } from 'socket.io-client';

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
