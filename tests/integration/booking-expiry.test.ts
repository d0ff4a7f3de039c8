import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fixedClock } from '../../server/infra/clock.ts';
import { startTestServer, type TestServer } from '../helpers/app.ts';
import { createService, type ServiceFixture } from '../helpers/fixtures.ts';
import { ownerOf, publicBooking } from '../helpers/public-booking.ts';

/*
 * An expired hold, once the sweeper has announced its slot free again, is still not a released
 * one: it may book after the checks a new hold makes. Run against both hold stores, the sweep
 * done by hand as the running node's timer would (the test servers turn the timer off).
 */
function expirySuite(store: 'memory' | 'Redis', code: string) {
  // Thursday 3 December 2026, 10:00 in Paris: the earliest online rdv is Tuesday 8 December.
  const clock = fixedClock(new Date('2026-12-03T10:00:00+01:00'));
  let server: TestServer;
  let svc: ServiceFixture;
  const { hold, release, book, slots } = publicBooking(() => server);
  const offered = async (start: string) =>
    (await slots(svc, start.slice(0, 10), start.slice(0, 10))).days[0]?.slots.some((s) => s.start === start);

  beforeAll(async () => {
    server = await startTestServer({ clock, redis: store === 'Redis' });
    svc = await createService(server.deps.sql, { code });
  });
  afterAll(() => server?.close());

  it('books on an expired hold after the sweep announced it, and announces it once', async () => {
    const start = '2026-12-09T09:10:00+01:00';
    const h = await (await hold(svc, start)).json();
    expect(await offered(start)).toBe(false);
    clock.advance(11 * 60_000);
    // Other suites may share the Redis (and its atomic pop is tested in redis-holds.test.ts):
    // counted exactly, and only once, in this node's memory.
    if (store === 'memory') {
      expect(await server.guichet.sweepHolds()).toBe(1);
      expect(await server.guichet.sweepHolds()).toBe(0);
    } else expect(await server.guichet.sweepHolds()).toBeGreaterThanOrEqual(1);
    expect(await offered(start)).toBe(true);
    const res = await book(h.holdId, 1);
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ start });
    expect(await offered(start)).toBe(false);
  });

  it('once swept, the slot is free for another usager, and the expired hold gives way', async () => {
    const start = '2026-12-09T09:30:00+01:00';
    const mine = await (await hold(svc, start)).json();
    clock.advance(11 * 60_000);
    await server.guichet.sweepHolds();
    expect((await hold(svc, start)).status).toBe(201);
    const late = await book(mine.holdId, 2);
    expect(late.status).toBe(409);
    expect((await late.json()).code).toBe('SLOT_TAKEN');
  });

  it('never books on a released hold, swept or not', async () => {
    const start = '2026-12-09T09:50:00+01:00';
    const placed = await hold(svc, start);
    const h = await placed.json();
    expect((await release(h.holdId, ownerOf(placed))).status).toBe(204);
    clock.advance(11 * 60_000);
    await server.guichet.sweepHolds();
    const res = await book(h.holdId, 3);
    expect(res.status).toBe(410);
    expect((await res.json()).code).toBe('HOLD_RELEASED');
  });
}

describe('an expired hold swept, memory holds', () => expirySuite('memory', '9915001'));
describe.runIf(inject('redisUrl'))('an expired hold swept, Redis holds', () =>
  expirySuite('Redis', '9915002'),
);
