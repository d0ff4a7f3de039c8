/*
 * The fan-out baseline: bare Socket.IO with the same Redis streams adapter as the product, and
 * nothing else. Clients `subscribe {serviceCode}`; POST /emit?room=… broadcasts one `slot-taken`
 * to that room (from this node, through Redis to the others) and answers at once.
 *   PORT, REDIS_URL, STREAM_NAME
 */
import { createServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import { Server } from 'socket.io';

const redis = createClient({ url: process.env.REDIS_URL });
await redis.connect();
const http = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method === 'POST' && url.pathname === '/emit') {
    const room = url.searchParams.get('room') ?? '';
    io.to(`public:${room}`).emit('slot-taken', {
      serviceCode: room,
      start: url.searchParams.get('start') ?? '',
      end: '',
      type: 'physique',
    });
    res.writeHead(201).end();
    return;
  }
  if (url.pathname === '/readyz' || url.pathname === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ready"}');
    return;
  }
  if (url.pathname === '/heap') {
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ heapUsed: process.memoryUsage().heapUsed }));
    return;
  }
  res.writeHead(404).end();
});
const io = new Server(http, {
  serveClient: false,
  adapter: createAdapter(redis, { streamName: process.env.STREAM_NAME ?? 'guichet:raw' }),
});
io.on('connection', (socket) => {
  socket.on('subscribe', (e: { serviceCode?: string }, ack?: (r: { ok: boolean }) => void) => {
    void socket.join(`public:${e?.serviceCode ?? ''}`);
    ack?.({ ok: true });
  });
});
http.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => {
  io.close(() => process.exit(0));
});
