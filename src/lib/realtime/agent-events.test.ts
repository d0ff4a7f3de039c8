import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followServices, type LiveStatus } from './agent-events.ts';

// The client against a bare Socket.IO /agent namespace (no database): a stand-in decides whether
// the session is still valid and which services it may follow, as the product's middleware and
// join do.
const http = createServer();
const io = new Server(http);
const agents = io.of('/agent');
const access = { session: true, follows: new Set(['5800450']) };
let handshakes = 0;
let url = '';

beforeAll(async () => {
  agents.use((_socket, next) => {
    handshakes++;
    next(access.session ? undefined : new Error('Authentification requise'));
  });
  agents.on('connection', (socket) => {
    socket.on('join', (e: { serviceCode: string }, ack: (r: { ok: boolean }) => void) => {
      const ok = access.follows.has(e.serviceCode);
      if (ok) void socket.join(`agent:${e.serviceCode}`);
      ack({ ok });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => io.close(() => resolve()));
});

/** Follows, and records every status; `next(s)` resolves when status `s` comes after the last seen. */
function follow(codes: string[]) {
  const statuses: LiveStatus[] = [];
  let waiting: { status: LiveStatus; resolve: () => void } | undefined;
  const stop = followServices(
    codes,
    {
      onEvent: () => {},
      onResync: () => {},
      onStatus: (s) => {
        statuses.push(s);
        if (waiting?.status === s) waiting.resolve();
      },
    },
    url,
  );
  const next = (status: LiveStatus) =>
    new Promise<void>((resolve) => {
      waiting = { status, resolve };
    });
  return { statuses, next, stop };
}

describe('followServices', () => {
  it('connects again once the server drops it, and is live again while the rights allow', async () => {
    const f = follow(['5800450']);
    try {
      await f.next('live');
      const again = f.next('live');
      agents.disconnectSockets(true); // e.g. the agent's profile changed on another node
      await again;
      expect(f.statuses).toEqual(['live', 'reconnecting', 'live']);
    } finally {
      f.stop();
    }
  });

  it('says signed out when the server then refuses the session, or the join, without trying on', async () => {
    const f = follow(['5800450']);
    try {
      await f.next('live');
      access.session = false; // signed out
      const out = f.next('signedOut');
      const before = handshakes;
      agents.disconnectSockets(true);
      await out;
      expect(f.statuses).toEqual(['live', 'reconnecting', 'signedOut']);
      expect(handshakes).toBe(before + 1);
    } finally {
      f.stop();
      access.session = true;
    }

    const g = follow(['5800450']);
    try {
      await g.next('live');
      access.follows.clear(); // removed from the service
      const out = g.next('signedOut');
      agents.disconnectSockets(true);
      await out;
      expect(g.statuses).toEqual(['live', 'reconnecting', 'signedOut']);
    } finally {
      g.stop();
    }
  });
});
