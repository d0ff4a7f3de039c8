import { randomUUID } from 'node:crypto';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sharedDatabase } from '../helpers/db.ts';
import { createService, ownerOf, type ServiceFixture, usager } from '../helpers/fixtures.ts';
import { startNode } from '../helpers/process.ts';

/**
 * Two server processes sharing PostgreSQL and Redis: a booking on one reaches, as `slot-taken`,
 * a browser connected to the other (Socket.IO's Redis streams adapter), and graceful shutdown works.
 */
const redisUrl = inject('redisUrl');
let nodes: Awaited<ReturnType<typeof startNode>>[] = [];
let svc: ServiceFixture;
const sql = sharedDatabase(2);

afterAll(() => sql.end());

// Without Redis (never in CI, where the global setup fails instead) the global setup says this suite is ignored.
describe.runIf(redisUrl)('two nodes', () => {
  beforeAll(async () => {
    svc = await createService(sql, { code: '9920001' });
    const env = { DATABASE_URL: inject('databaseUrl'), REDIS_URL: redisUrl, DEMO: 'false' };
    nodes = await Promise.all([startNode(env), startNode(env)]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
  });

  it('a booking on node A emits slot-taken to a client of node B', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const query = `motif=${svc.motifId}&type=physique&from=${today}&to=${new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10)}`;
    const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
    const socket = connect(b.url, { transports: ['websocket'] });
    try {
      expect(await socket.emitWithAck('subscribe', { serviceCode: svc.code })).toEqual({ ok: true });
      const slots = await (await fetch(`${a.url}/api/v1/services/${svc.code}/slots?${query}`)).json();
      const start = slots.days[0].slots[0].start as string;
      // Node B lists first: it keeps that answer's rdvs a moment (app/occupation-cache.ts).
      const startsOn = async (url: string) =>
        (
          (await (await fetch(`${url}/api/v1/services/${svc.code}/slots?${query}`)).json()).days as {
            slots: { start: string }[];
          }[]
        ).flatMap((d) => d.slots.map((s) => s.start));
      expect(await startsOn(b.url)).toContain(start);
      const seen: string[] = [];
      const got = new Promise<void>((resolve) =>
        socket.on('slot-taken', (e: { start: string }) => {
          seen.push(e.start);
          if (e.start === start && seen.length >= 2) resolve();
        }),
      );
      const held = await fetch(`${a.url}/api/v1/holds`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ serviceCode: svc.code, motifId: svc.motifId, type: 'physique', start }),
      });
      const hold = await held.json();
      const rdv = await fetch(`${a.url}/api/v1/rdvs`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': randomUUID(),
          cookie: ownerOf(held),
        },
        body: JSON.stringify({ holdId: hold.holdId, usager: usager(1), precisions: 'multi-nœud' }),
      });
      expect(rdv.status).toBe(201);
      await got; // the hold's and the rdv's slot-taken, both through Redis
      expect(seen.filter((s) => s === start).length).toBeGreaterThanOrEqual(2);
      // Once B's browser heard of it, B no longer offers the slot: the rdv booked on A (its hold
      // is gone) dropped B's copy before the event reached the browser.
      expect(await startsOn(b.url)).not.toContain(start);
    } finally {
      socket.close();
    }
  });

  it('stops gracefully on SIGTERM', async () => {
    const node = nodes.pop()!;
    await node.stop();
    expect(node.child.exitCode).toBe(0);
  });
});
