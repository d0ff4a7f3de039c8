import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../server/infra/clock.ts';
import { startTestServer, type TestServer } from '../helpers/app.ts';
import { createService, type ServiceFixture } from '../helpers/fixtures.ts';
import { ownerOf, publicBooking } from '../helpers/public-booking.ts';

// Thursday 3 December 2026, 10:00 in Paris: the earliest online rdv is Tuesday 8 December.
const clock = fixedClock(new Date('2026-12-03T10:00:00+01:00'));
let server: TestServer;
let svc: ServiceFixture;
let twoGuichets: ServiceFixture;
const { slots, hold, release } = publicBooking(() => server);

beforeAll(async () => {
  server = await startTestServer({ clock });
  svc = await createService(server.deps.sql, { code: '9910001' });
  twoGuichets = await createService(server.deps.sql, {
    code: '9910002',
    guichets: [
      { name: 'G1', plages: [[2, '09:00', '10:00']] },
      { name: 'G2', plages: [[2, '09:00', '10:00']] },
    ],
  });
});
afterAll(() => server.close());

describe('GET /api/v1/services/:code/slots', () => {
  it('starts after two working days (Thursday → Tuesday) with offset-carrying times', async () => {
    const { days } = await slots(svc, '2026-12-03', '2026-12-10');
    expect(days.map((d) => d.date)).toEqual(['2026-12-08', '2026-12-09', '2026-12-10']);
    expect(days[0]!.slots[0]).toEqual({
      start: '2026-12-08T08:30:00+01:00',
      end: '2026-12-08T08:50:00+01:00',
    });
    expect(days[0]!.slots).toHaveLength(10); // 08:30–12:00 in 20-minute slots; 11:50 would overflow
  });

  it('clips to the 30-day window and skips Christmas', async () => {
    const { days } = await slots(svc, '2026-12-20', '2027-01-31');
    const dates = days.map((d) => d.date);
    expect(dates).not.toContain('2026-12-25');
    expect(dates.at(-1)! <= '2027-01-02').toBe(true);
  });

  it('answers 422 in French for bad parameters', async () => {
    const res = await server.api.request(
      `/api/v1/services/${svc.code}/slots?motif=abc&type=visio&from=2026-13-01&to=2026-12-10`,
    );
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    const body = await res.json();
    expect(body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['from', 'motif', 'type']);
    expect(body.detail).toMatch(/AAAA-MM-JJ/);
  });

  it('answers 404 for an unknown service', async () => {
    const res = await server.api.request(
      '/api/v1/services/9999999/slots?motif=1&type=physique&from=2026-12-08&to=2026-12-09',
    );
    expect(res.status).toBe(404);
  });
});

describe('holds', () => {
  it('takes the slot away while held, and gives it back on release', async () => {
    const start = '2026-12-09T09:10:00+01:00';
    const res = await hold(svc, start);
    expect(res.status).toBe(201);
    const h = await res.json();
    expect(h).toMatchObject({
      start,
      end: '2026-12-09T09:30:00+01:00',
      expiresAt: '2026-12-03T10:10:00+01:00',
    });
    const during = await slots(svc, '2026-12-09', '2026-12-09');
    expect(during.days[0]!.slots.map((s) => s.start)).not.toContain(start);
    const again = await hold(svc, start);
    expect(again.status).toBe(409);
    expect((await again.json()).code).toBe('SLOT_UNAVAILABLE');
    const stranger = await release(h.holdId, '');
    expect(stranger.status).toBe(404);
    const otherBrowser = await release(h.holdId, ownerOf(again));
    expect(otherBrowser.status).toBe(404);
    expect((await slots(svc, '2026-12-09', '2026-12-09')).days[0]!.slots.map((s) => s.start)).not.toContain(
      start,
    );
    const del = await release(h.holdId, ownerOf(res));
    expect(del.status).toBe(204);
    const after = await slots(svc, '2026-12-09', '2026-12-09');
    expect(after.days[0]!.slots.map((s) => s.start)).toContain(start);
  });

  it('picks another free guichet, and refuses once every guichet is held', async () => {
    const start = '2026-12-08T09:00:00+01:00';
    expect((await hold(twoGuichets, start)).status).toBe(201);
    expect(
      (await slots(twoGuichets, '2026-12-08', '2026-12-08')).days[0]!.slots.map((s) => s.start),
    ).toContain(start);
    expect((await hold(twoGuichets, start)).status).toBe(201);
    expect((await hold(twoGuichets, start)).status).toBe(409);
    const left = await slots(twoGuichets, '2026-12-08', '2026-12-08');
    expect(left.days[0]!.slots.map((s) => s.start)).not.toContain(start);
  });

  it('refuses a time that is not an offered slot', async () => {
    expect((await hold(svc, '2026-12-09T09:15:00+01:00')).status).toBe(409); // off the grid
    expect((await hold(svc, '2026-12-04T09:10:00+01:00')).status).toBe(409); // before the window
    expect((await hold(svc, '2026-12-12T09:10:00+01:00')).status).toBe(409); // Saturday
  });
});
