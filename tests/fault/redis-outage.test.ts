import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { overlaps, pool } from '../helpers/contention.ts';
import { sharedDatabase } from '../helpers/db.ts';
import { attemptBooking, offered, type PrivateRedis, privateRedis, watcher } from '../helpers/faults.ts';
import { createService, type ServiceFixture } from '../helpers/fixtures.ts';
import { afterHealthChecks, PROBE_METRICS_TOKEN, startHaproxy } from '../helpers/haproxy.ts';
import { type NodeProcess, startNode } from '../helpers/process.ts';

/*
 * Redis stops in the middle of a booking storm across two nodes behind HAProxy, then comes back:
 * bookings go on, nothing overlaps, live events resume across nodes, and the browsers that may
 * have missed events are told to fetch again. Redis is a private one: the machine's stays up.
 */
const sql = sharedDatabase(2);
let redis: PrivateRedis;
let nodes: NodeProcess[] = [];
let proxy: Awaited<ReturnType<typeof startHaproxy>>;
let svc: ServiceFixture;

beforeAll(async () => {
  redis = await privateRedis();
  svc = await createService(sql, {
    code: '9770001',
    guichets: ['A', 'B'].map((name) => ({
      name,
      plages: [1, 2, 3, 4, 5].map((d) => [d, '08:00', '18:00'] as [number, string, string]),
    })),
  });
  const env = {
    DATABASE_URL: inject('databaseUrl'),
    REDIS_URL: redis.url,
    DEMO: 'false',
    TRUST_PROXY: '1',
    METRICS_TOKEN: PROBE_METRICS_TOKEN,
  };
  nodes = await Promise.all([startNode(env), startNode(env)]);
  proxy = await startHaproxy([nodes[0]!.url, nodes[1]!.url]);
}, 120_000);

afterAll(async () => {
  await proxy?.stop();
  await Promise.all(nodes.map((n) => n.stop()));
  await redis?.stop();
  await sql.end();
});

describe('Redis stopped mid-storm, then restarted', () => {
  it('bookings continue, never overlap, and live events resume with a resync', async () => {
    const starts = await offered(proxy.url, svc);
    expect(starts.length).toBeGreaterThan(200);
    // A browser on each node, directly: the cross-node path is the one Redis carries.
    const onA = await watcher(nodes[0]!.url, svc.code);
    const onB = await watcher(nodes[1]!.url, svc.code);
    try {
      const storm = (from: number, count: number) =>
        pool(count, 8, (i) => attemptBooking(proxy.url, svc, starts[(from + i * 3) % 60]!, from + i));
      const before = await storm(0, 60);
      await redis.stop();
      // HAProxy has checked both nodes since: Redis is shared by all nodes, so it must not take
      // them out of the proxy (that would turn every request into the proxy's own 503).
      await afterHealthChecks([nodes[0]!.url, nodes[1]!.url]);
      const ready = await fetch(`${proxy.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({
        status: 'degraded',
        checks: { database: 'ok', redis: 'ko' },
      });
      const during = await storm(1000, 120);
      // Each node still tells its own browsers: the last booking through node A reaches A's browser.
      const local = await attemptBooking(nodes[0]!.url, svc, starts[150]!, 5000);
      expect(local.book).toBe(201);
      await onA.until((h) => h.event === 'slot-taken' && h.start === starts[150]);
      await redis.start();
      // Back: both browsers are told to fetch what they show again…
      await onA.until((h) => h.event === 'resync');
      await onB.until((h) => h.event === 'resync');
      // …and a booking on one node reaches the other node's browser again.
      const after = await attemptBooking(nodes[0]!.url, svc, starts[160]!, 6000);
      expect(after.book).toBe(201);
      await onB.until((h) => h.event === 'slot-taken' && h.start === starts[160]);

      const all = [...before, ...during];
      expect(during.filter((r) => r.book === 201).length).toBeGreaterThan(0);
      // Every refusal is a clean one, never a 500: 409 (taken), or 410 when, Redis away, the hold
      // lives on the node that placed it and the booking reached the other one.
      for (const r of all) {
        expect([201, 409]).toContain(r.hold);
        if (r.book !== undefined) expect([201, 409, 410]).toContain(r.book);
        if (r.hold !== 201 || (r.book ?? 201) !== 201) expect(r.contentType).toMatch(/problem\+json/);
      }
      expect(await overlaps(sql, svc.serviceId)).toBe(0);
      const codes = [...all, local, after].filter((r) => r.book === 201).map((r) => r.code!);
      const persisted = await sql<
        { code: string }[]
      >`select code from rdvs where service_id = ${svc.serviceId} and active`;
      expect(persisted.map((p) => p.code).sort()).toEqual(codes.sort());
    } finally {
      onA.socket.close();
      onB.socket.close();
    }
  });
});
