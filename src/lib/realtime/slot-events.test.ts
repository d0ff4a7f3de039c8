import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followSlots } from './slot-events.ts';

// The client against a bare Socket.IO server with connection-state recovery, as the product's is
// configured (no database): what matters is what the page does when the connection comes back.
const http = createServer();
const io = new Server(http, { connectionStateRecovery: { maxDisconnectionDuration: 60_000 } });
const connections: boolean[] = [];
let url = '';

beforeAll(async () => {
  io.on('connection', (socket) => {
    connections.push(socket.recovered);
    socket.on('subscribe', (e: { serviceCode: string }, ack?: () => void) => {
      void socket.join(`public:${e.serviceCode}`);
      ack?.();
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => io.close(() => resolve()));
});

const slot = { serviceCode: '5800450', start: '2026-12-04T08:00:00Z', end: '2026-12-04T08:20:00Z' };

describe('followSlots', () => {
  it('resyncs from the API after a reconnection even when Socket.IO recovered the connection', async () => {
    const resyncs: number[] = [];
    let heard = 0;
    let onHeard = () => {};
    let onResync = () => {};
    const stop = followSlots(
      slot.serviceCode,
      {
        onChange: () => {
          heard++;
          onHeard();
        },
        onResync: () => {
          resyncs.push(connections.length);
          onResync();
        },
      },
      url,
    );
    try {
      // An event heard gives the client an offset to recover from.
      const first = new Promise<void>((resolve) => {
        onHeard = resolve;
      });
      const subscribed = async () => {
        while (io.of('/').adapter.rooms.get(`public:${slot.serviceCode}`)?.size !== 1)
          await new Promise((r) => setImmediate(r));
      };
      await subscribed();
      io.to(`public:${slot.serviceCode}`).emit('slot-taken', { ...slot, type: 'physique' });
      await first;
      expect(heard).toBe(1);
      expect(resyncs).toEqual([]); // the first connection reads the slots itself

      // The transport drops: the client comes back and Socket.IO restores its state.
      const resynced = new Promise<void>((resolve) => {
        onResync = resolve;
      });
      for (const socket of io.of('/').sockets.values()) socket.conn.close();
      await resynced;
      expect(connections).toEqual([false, true]);
      expect(resyncs).toEqual([2]);
    } finally {
      stop();
    }
  });
});
