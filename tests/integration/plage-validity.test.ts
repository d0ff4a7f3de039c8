import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../server/infra/clock.ts';
import { createAgent, signIn } from '../helpers/agents.ts';
import { startTestServer, type TestServer } from '../helpers/app.ts';
import { createService, type ServiceFixture } from '../helpers/fixtures.ts';

// Thursday 3 December 2026, 09:00 in Paris.
const clock = fixedClock(new Date('2026-12-03T09:00:00+01:00'));
let server: TestServer;
let svc: ServiceFixture;
let chef: Awaited<ReturnType<typeof signIn>>;

beforeAll(async () => {
  server = await startTestServer({ clock });
  svc = await createService(server.deps.sql, {
    code: '9860101',
    guichets: [{ name: 'Guichet à durée limitée', plages: [] }],
  });
  const c = await createAgent(server.deps.sql, { on: [{ serviceId: svc.serviceId, profile: 'chef' }] });
  chef = await signIn(server, c.login);
});
afterAll(() => server.close());

async function publicSlots(day: string) {
  const res = await fetch(
    `${server.url}/api/v1/services/${svc.code}/slots?motif=${svc.motifId}&type=physique&from=${day}&to=${day}`,
  );
  expect(res.status).toBe(200);
  return ((await res.json()).days[0]?.slots ?? []).map((s: { start: string }) => s.start) as string[];
}

describe('a plage with validity dates', () => {
  it('shapes the public slots only between its validFrom and validTo', async () => {
    const [g] = svc.guichetIds;
    const put = await chef.call(`/api/v1/agent/services/${svc.code}/guichets/${g}/plages`, {
      method: 'PUT',
      body: JSON.stringify({
        plages: [
          { weekday: 2, start: '16:00', end: '17:00', validFrom: '2026-12-15', validTo: '2026-12-22' },
        ],
      }),
    });
    expect(put.status, await put.clone().text()).toBe(200);
    // Tuesdays: before, at both ends of, and after the validity.
    expect(await publicSlots('2026-12-08')).toEqual([]);
    expect(await publicSlots('2026-12-15')).toContain('2026-12-15T16:00:00+01:00');
    expect(await publicSlots('2026-12-22')).toContain('2026-12-22T16:40:00+01:00');
    expect(await publicSlots('2026-12-29')).toEqual([]);
    // The configuration reads the dates back as saved.
    const config = await (await chef.get(`/api/v1/agent/services/${svc.code}/config`)).json();
    expect(config.guichets[0].plages).toEqual([
      { weekday: 2, start: '16:00', end: '17:00', validFrom: '2026-12-15', validTo: '2026-12-22' },
    ]);
    // …and offers the national list's motifs for this kind of service as the guichets' choices.
    expect(config.motifs.map((m: { id: number }) => m.id)).toEqual(
      expect.arrayContaining([svc.motifId, svc.otherMotifId]),
    );
    expect(config.motifs[0]).toMatchObject({ label: expect.any(String), parentLabel: expect.any(String) });
  });
});
