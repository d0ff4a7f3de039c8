import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fixedClock } from '../../server/infra/clock.ts';
import { startTestServer, type TestServer } from '../helpers/app.ts';
import { overlaps, pool } from '../helpers/contention.ts';
import { createService, type ServiceFixture } from '../helpers/fixtures.ts';
import { activeRdvs, attempt, offeredStarts } from '../helpers/storm.ts';

const clock = fixedClock(new Date('2027-03-01T08:00:00+01:00'));
const WEEK: [number, string, string][] = [1, 2, 3, 4, 5].map((d) => [d, '08:00', '12:00']);
let server: TestServer;
let svc: ServiceFixture;

// With Redis when available (shared holds, as in production); the DB guard is the same either way.
const redis = !!inject('redisUrl');

beforeAll(async () => {
  server = await startTestServer({ clock, redis });
  svc = await createService(server.deps.sql, {
    code: '9930001',
    guichets: ['A', 'B', 'C'].map((name) => ({ name, plages: WEEK })),
  });
});
afterAll(() => server.close());

describe('a storm of 2,000 random bookings', () => {
  it('never leaves two active rdvs overlapping on a guichet', async () => {
    const starts = await offeredStarts(server, svc, '2027-03-01', '2027-03-31');
    expect(starts.length).toBeGreaterThan(100);
    // Few distinct times for many usagers: most attempts collide, which is the point.
    const results = await pool(2_000, 24, (i) =>
      attempt(server, svc, starts[Math.floor(Math.random() * starts.length)]!, i),
    );
    const booked = results.filter((r) => r.book === 201).length;
    const statuses = new Set(results.flatMap((r) => [r.hold, r.book ?? r.hold]));
    expect([...statuses].every((s) => s === 201 || s === 409)).toBe(true);
    expect(booked).toBeGreaterThan(100);
    expect(await activeRdvs(server.deps.sql, svc.serviceId)).toBe(booked);
    expect(await overlaps(server.deps.sql, svc.serviceId)).toBe(0);
    // Every rdv sits on the offered grid of its guichet (inside plages, 20 minutes).
    const [off] = await server.deps.sql<{ n: number }[]>`
      select count(*)::int as n from rdvs
      where service_id = ${svc.serviceId} and active and (
        upper(during) - lower(during) <> interval '20 minutes'
        or (lower(during) at time zone 'Europe/Paris')::time < '08:00' or (upper(during) at time zone 'Europe/Paris')::time > '12:00'
        or extract(isodow from lower(during) at time zone 'Europe/Paris') > 5)`;
    expect(off!.n).toBe(0);
  }, 180_000);
});
