import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { io as connect, type Socket } from 'socket.io-client';
import type { ServiceFixture } from './fixtures.ts';
import { ownerOf, usager } from './fixtures.ts';
import { freePort } from './process.ts';
import { checkRedis } from './redis.ts';

/*
 * What the fault tests share: a private redis-server to stop (never the machine's), bookings
 * through the public API of any node, and live clients (the race itself: contention.ts).
 */

export type PrivateRedis = { url: string; port: number; stop(): Promise<void>; start(): Promise<void> };

export async function privateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    for (let i = 0; i < 100 && !(await checkRedis(url)); i++) await new Promise((r) => setTimeout(r, 50));
    if (!(await checkRedis(url))) throw new Error(`redis-server ne répond pas sur ${port}`);
  };
  await start();
  return {
    url,
    port,
    start,
    stop: () =>
      new Promise<void>((resolve) => {
        if (!child || child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

/** The offered slots of a service over the next weeks, through `base` (a node or the proxy). */
export async function offered(base: string, svc: ServiceFixture, days = 40): Promise<string[]> {
  const today = new Date().toISOString().slice(0, 10);
  const to = new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  const res = await fetch(
    `${base}/api/v1/services/${svc.code}/slots?motif=${svc.motifId}&type=physique&from=${today}&to=${to}`,
  );
  return (await res.json()).days.flatMap((d: { slots: { start: string }[] }) => d.slots.map((s) => s.start));
}

export type Attempt = {
  hold: number;
  book?: number;
  code?: string;
  problem?: string;
  contentType?: string | null;
};

/** One citizen: a hold, then the booking; statuses and, for refusals, the problem's code. */
export async function attemptBooking(
  base: string,
  svc: ServiceFixture,
  start: string,
  n: number,
  email?: string,
): Promise<Attempt> {
  try {
    const hold = await fetch(`${base}/api/v1/holds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ serviceCode: svc.code, motifId: svc.motifId, type: 'physique', start }),
    });
    if (hold.status !== 201) {
      return {
        hold: hold.status,
        problem: (await hold.json().catch(() => ({}))).code,
        contentType: hold.headers.get('content-type'),
      };
    }
    const res = await fetch(`${base}/api/v1/rdvs`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
        cookie: ownerOf(hold),
      },
      body: JSON.stringify({
        holdId: (await hold.json()).holdId,
        usager: usager(n, email === undefined ? {} : { email }),
        precisions: 'panne',
      }),
    });
    const body = await res.json().catch(() => ({}));
    return {
      hold: 201,
      book: res.status,
      code: body.code,
      problem: body.code,
      contentType: res.headers.get('content-type'),
    };
  } catch {
    return { hold: 0 };
  }
}

/** A browser subscribed to a service's slots, recording what it hears. */
export async function watcher(base: string, serviceCode: string) {
  const heard: { event: string; start?: string }[] = [];
  const socket: Socket = connect(base, {
    transports: ['websocket'],
    reconnectionDelay: 100,
    reconnectionDelayMax: 500,
  });
  socket.on('connect', () => void socket.emit('subscribe', { serviceCode }));
  socket.on('slot-taken', (e: { start: string }) => heard.push({ event: 'slot-taken', start: e.start }));
  socket.on('resync', () => heard.push({ event: 'resync' }));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  await socket.emitWithAck('subscribe', { serviceCode });
  /** Resolves once something matching was heard (now or later). */
  const until = (match: (h: { event: string; start?: string }) => boolean, timeoutMs = 20_000) =>
    new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + timeoutMs;
      const check = () => {
        if (heard.some(match)) return resolve();
        if (Date.now() > deadline)
          return reject(new Error(`rien entendu de tel : ${JSON.stringify(heard.slice(-5))}`));
        setTimeout(check, 20);
      };
      check();
    });
  return { socket, heard, until };
}
