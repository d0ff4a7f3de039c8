import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { overlaps, pool } from '../helpers/contention.ts';
import { sharedDatabase } from '../helpers/db.ts';
import { attemptBooking, offered } from '../helpers/faults.ts';
import { createService, type ServiceFixture } from '../helpers/fixtures.ts';
import { startHaproxy } from '../helpers/haproxy.ts';
import { type NodeProcess, startNode } from '../helpers/process.ts';

/*
 * A booking storm through HAProxy over two nodes: LOAD_STORM (600) citizens, LOAD_STORM_CONCURRENCY
 * (40) at a time, fight for few slots: six citizens per start on three guichets, half refused. Zero overlapping rdvs, every 201
 * in the table, every refusal a clean 409 problem+json, nothing else.
 */
const CITIZENS = Number(process.env.LOAD_STORM || 600);
const CONCURRENCY = Number(process.env.LOAD_STORM_CONCURRENCY || 40);
const redisUrl = inject('redisUrl');
const sql = sharedDatabase(2);
let nodes: NodeProcess[] = [];
let proxy: Awaited<ReturnType<typeof startHaproxy>>;
let svc: ServiceFixture;

beforeAll(async () => {
  svc = await createService(sql, {
    code: '9750001',
    guichets: ['A', 'B', 'C'].map((name) => ({
      name,
      plages: [1, 2, 3, 4, 5].map((d) => [d, '08:00', '18:00'] as [number, string, string]),
    })),
  });
  const env = { DATABASE_URL: inject('databaseUrl'), REDIS_URL: redisUrl, DEMO: 'false', TRUST_PROXY: '1' };
  nodes = await Promise.all([startNode(env), startNode(env)]);
  proxy = await startHaproxy([nodes[0]!.url, nodes[1]!.url]);
}, 120_000);

afterAll(async () => {
  await proxy?.stop();
  await Promise.all(nodes.map((n) => n.stop()));
  await sql.end();
});

describe.runIf(redisUrl)(`a storm of ${CITIZENS} citizens through HAProxy over two nodes`, () => {
  it('books each slot once: no overlap, every 201 persisted, every refusal a clean 409', async () => {
    const starts = (await offered(proxy.url, svc)).slice(0, Math.ceil(CITIZENS / 6));
    expect(starts.length).toBeGreaterThan(10);
    const t = performance.now();
    const results = await pool(CITIZENS, CONCURRENCY, (i) =>
      attemptBooking(proxy.url, svc, starts[i % starts.length]!, i),
    );
    const seconds = (performance.now() - t) / 1000;

    const booked = results.filter((r) => r.book === 201);
    const refused = results.filter((r) => r.hold !== 201 || r.book !== 201);
    for (const r of refused) {
      expect(r.book ?? r.hold).toBe(409);
      expect(r.contentType).toMatch(/application\/problem\+json/);
    }
    expect(await overlaps(sql, svc.serviceId)).toBe(0);
    const rows = await sql<{ code: string }[]>`
      select code from rdvs where service_id = ${svc.serviceId} and active`;
    expect(rows.map((r) => r.code).sort()).toEqual(booked.map((r) => r.code!).sort());
    // Three guichets: each start is booked three times, never more; a hold always becomes an rdv.
    expect(booked).toHaveLength(starts.length * 3);
    console.info(
      `tempête : ${CITIZENS} usagers en ${seconds.toFixed(1)} s via HAProxy (${(CITIZENS / seconds).toFixed(0)} essais/s), ` +
        `${booked.length} rdv, ${refused.length} refus 409, 0 chevauchement`,
    );
  });
});
