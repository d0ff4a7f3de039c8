import { randomUUID } from 'node:crypto';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sharedDatabase } from '../helpers/db.ts';
import { createService, ownerOf, type ServiceFixture, usager } from '../helpers/fixtures.ts';
import { startHaproxy } from '../helpers/haproxy.ts';
import { startNode } from '../helpers/process.ts';

/*
 * Two nodes behind Debian's HAProxy with the configuration we ship (deploy/haproxy.cfg): browsers
 * and API calls go through the load balancer, as in production.
 */
const redisUrl = inject('redisUrl');
const sql = sharedDatabase(2);
let nodes: Awaited<ReturnType<typeof startNode>>[] = [];
let proxy: Awaited<ReturnType<typeof startHaproxy>>;
let svc: ServiceFixture;

afterAll(() => sql.end());

async function offeredStarts(): Promise<string[]> {
  const today = new Date().toISOString().slice(0, 10);
  const to = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);
  const res = await fetch(
    `${proxy.url}/api/v1/services/${svc.code}/slots?motif=${svc.motifId}&type=physique&from=${today}&to=${to}`,
  );
  return (await res.json()).days.flatMap((d: { slots: { start: string }[] }) => d.slots.map((s) => s.start));
}

async function book(start: string, n: number, forwardedFor?: string): Promise<number> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
  };
  const hold = await fetch(`${proxy.url}/api/v1/holds`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ serviceCode: svc.code, motifId: svc.motifId, type: 'physique', start }),
  });
  if (hold.status !== 201) return hold.status;
  const res = await fetch(`${proxy.url}/api/v1/rdvs`, {
    method: 'POST',
    headers: { ...headers, 'idempotency-key': randomUUID(), cookie: ownerOf(hold) },
    body: JSON.stringify({
      holdId: (await hold.json()).holdId,
      usager: usager(n),
      precisions: 'répartiteur',
    }),
  });
  return res.status;
}

const subscribed = async (s: Socket) => {
  await new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
  });
  expect(await s.emitWithAck('subscribe', { serviceCode: svc.code })).toEqual({ ok: true });
};

describe.runIf(redisUrl)('two nodes behind HAProxy', () => {
  beforeAll(async () => {
    svc = await createService(sql, {
      code: '9790001',
      guichets: [{ name: 'G', plages: [1, 2, 3, 4, 5].map((d) => [d, '07:00', '19:00']) }],
    });
    const env = {
      DATABASE_URL: inject('databaseUrl'),
      REDIS_URL: redisUrl,
      DEMO: 'false',
      TRUST_PROXY: '1',
      RATE_LIMIT_HOLDS_PER_MINUTE: '10',
    };
    nodes = await Promise.all([startNode(env), startNode(env)]);
    proxy = await startHaproxy([nodes[0]!.url, nodes[1]!.url]);
  }, 120_000);

  afterAll(async () => {
    await proxy?.stop();
    await Promise.all(nodes.map((n) => n.stop()));
  });

  it('long-polling clients stay on their node thanks to the cookie, and every client hears a booking', async () => {
    const polling = Array.from({ length: 4 }, () =>
      connect(proxy.url, { transports: ['polling'], withCredentials: true, reconnection: false }),
    );
    const sockets = [
      ...polling,
      ...Array.from({ length: 4 }, () =>
        connect(proxy.url, { transports: ['websocket'], reconnection: false }),
      ),
    ];
    try {
      await Promise.all(sockets.map(subscribed));
      const [start] = await offeredStarts();
      const heard = sockets.map(
        (s) =>
          new Promise<void>((resolve) =>
            s.on('slot-taken', (e: { start: string }) => e.start === start && resolve()),
          ),
      );
      expect(await book(start!, 1, `203.0.113.1`)).toBe(201);
      await Promise.all(heard);
      // Several polls went by on each polling client without "Session ID unknown": stickiness held.
      for (const s of polling) expect(s.connected).toBe(true);
    } finally {
      for (const s of sockets) s.close();
    }
  });

  it('limits each client by the address the proxy appended, whatever hops he writes', async () => {
    const starts = (await offeredStarts()).slice(5, 18);
    const statuses: number[] = [];
    // The client forges a first hop; HAProxy appends the address it sees (here 127.0.0.1).
    for (const [i, start] of starts.entries()) statuses.push(await book(start, 100 + i, `10.${i}.0.1`));
    expect(statuses.filter((s) => s === 429).length, JSON.stringify(statuses)).toBeGreaterThan(0);
  });
});
