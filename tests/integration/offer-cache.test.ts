import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSlots, listSlotsJson } from '../../server/app/slots.ts';
import { fixedClock } from '../../server/infra/clock.ts';
import { createAgent, signIn } from '../helpers/agents.ts';
import { startTestServer, type TestServer } from '../helpers/app.ts';
import { createService, type ServiceFixture } from '../helpers/fixtures.ts';

/**
 * Each node keeps services' offers in memory (server/app/offer-cache.ts). Two nodes on the same
 * PostgreSQL and Redis: a chef's change saved through node A is in node B's very next listing,
 * though B had the old offer in memory — A answers once every node has dropped its copy.
 */
// Thursday 3 December 2026, 09:00 in Paris: online slots open on Tuesday 8 December.
const clock = fixedClock(new Date('2026-12-03T09:00:00+01:00'));
const TUESDAY = '2026-12-08';
const MORNINGS = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:30', end: '12:00' }));
const ADDRESS = `198.51.100.7-${randomUUID()}`;
let a: TestServer;
let b: TestServer;
let svc: ServiceFixture;
let chef: Awaited<ReturnType<typeof signIn>>;

beforeAll(async () => {
  // Rate-limit counters are shared by the run's suites: this one's requests come from an address
  // of its own.
  const env = { TRUST_PROXY: 'true' };
  [a, b] = await Promise.all([
    startTestServer({ clock, redis: true, env }),
    startTestServer({ clock, redis: true, env }),
  ]);
  svc = await createService(a.deps.sql, {
    code: '9720001',
    guichets: [{ name: 'Guichet unique', plages: MORNINGS.map((p) => [p.weekday, p.start, p.end]) }],
  });
  const c = await createAgent(a.deps.sql, { on: [{ serviceId: svc.serviceId, profile: 'chef' }] });
  chef = await signIn(a, c.login);
}, 60_000);
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

async function startsOn(node: TestServer, day: string): Promise<string[]> {
  const res = await fetch(
    `${node.url}/api/v1/services/${svc.code}/slots?motif=${svc.motifId}&type=physique&from=${day}&to=${day}`,
    { headers: { 'x-forwarded-for': ADDRESS } },
  );
  expect(res.status).toBe(200);
  return ((await res.json()).days[0]?.slots ?? []).map((s: { start: string }) => s.start);
}

async function putPlages(plages: { weekday: number; start: string; end: string }[]) {
  const res = await chef.put(`/api/v1/agent/services/${svc.code}/guichets/${svc.guichetIds[0]}/plages`, {
    plages,
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

describe('the offer kept in each node', () => {
  it('is kept: a change written behind the product’s back shows only once the copy is dropped', async () => {
    const before = await startsOn(b, TUESDAY);
    expect(before.length).toBeGreaterThan(0);
    await b.deps.sql`update guichets set open = false where id = ${svc.guichetIds[0]!}`;
    try {
      // Node B answers from its copy (its lifetime is seconds; this is the next request).
      expect(await startsOn(b, TUESDAY)).toEqual(before);
      b.deps.offers.clear();
      expect(await startsOn(b, TUESDAY)).toEqual([]);
    } finally {
      await b.deps.sql`update guichets set open = true where id = ${svc.guichetIds[0]!}`;
      a.deps.offers.clear();
      b.deps.offers.clear();
    }
  });

  it('a change saved on node A is in node B’s next listing, in both directions', async () => {
    // Both nodes have the offer in memory.
    expect(await startsOn(a, TUESDAY)).not.toContain(`${TUESDAY}T16:00:00+01:00`);
    expect(await startsOn(b, TUESDAY)).not.toContain(`${TUESDAY}T16:00:00+01:00`);

    await putPlages([...MORNINGS, { weekday: 2, start: '16:00', end: '17:00' }]);
    expect(await startsOn(b, TUESDAY)).toContain(`${TUESDAY}T16:00:00+01:00`);
    expect(await startsOn(a, TUESDAY)).toContain(`${TUESDAY}T16:00:00+01:00`);

    await putPlages(MORNINGS);
    expect(await startsOn(b, TUESDAY)).not.toContain(`${TUESDAY}T16:00:00+01:00`);
    expect(await startsOn(a, TUESDAY)).not.toContain(`${TUESDAY}T16:00:00+01:00`);
  });

  it('a guichet closed on node A stops offering slots on node B at once', async () => {
    expect((await startsOn(b, TUESDAY)).length).toBeGreaterThan(0);
    const res = await chef.patch(`/api/v1/agent/services/${svc.code}/guichets/${svc.guichetIds[0]}`, {
      open: false,
      // (A partial change still sends the motifs: the route defaults a missing list to none.)
      motifIds: [svc.motifId],
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await startsOn(b, TUESDAY)).toEqual([]);
    const reopened = await chef.patch(`/api/v1/agent/services/${svc.code}/guichets/${svc.guichetIds[0]}`, {
      open: true,
      motifIds: [svc.motifId],
    });
    expect(reopened.status).toBe(200);
    expect((await startsOn(b, TUESDAY)).length).toBeGreaterThan(0);
  });

  it('the serialised listing is the listing', async () => {
    const q = {
      serviceCode: svc.code,
      motifId: svc.motifId,
      type: 'physique' as const,
      from: TUESDAY,
      to: '2026-12-31',
    };
    const listed = await listSlots(b.deps, q);
    expect(listed.days.length).toBeGreaterThan(0);
    expect(JSON.parse(await listSlotsJson(b.deps, q))).toEqual(listed);
  });
});
