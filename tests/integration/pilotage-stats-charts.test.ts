import { DOMParser } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATS_CHARTS } from '../../server/app/stats-series.ts';
import { generateRdvCode } from '../../server/domain/rdv-code.ts';
import { fixedClock } from '../../server/infra/clock.ts';
import { createAgent, signIn } from '../helpers/agents.ts';
import { startTestServer, type TestServer } from '../helpers/app.ts';
import { createService, type ServiceFixture } from '../helpers/fixtures.ts';

/*
 * The statistics' charts, drawn on the server as SVG: the same authorisation as the figures, a
 * standalone SVG document with a role and a title, and bars that say the JSON's figures.
 */
const clock = fixedClock(new Date('2026-12-03T09:00:00+01:00'));
let server: TestServer;
let svc: ServiceFixture;
let other: ServiceFixture;
type Client = Awaited<ReturnType<typeof signIn>>;
let chef: Client;
const PERIOD = 'from=2026-11-02&to=2026-11-15&by=week';

/** Three rdvs: two by internet in the first week (one arrived), one by an agent in the second. */
async function seed(s: ServiceFixture) {
  const rows = [
    { day: '2026-11-02', canal: 'internet', arrived: true },
    { day: '2026-11-03', canal: 'internet', arrived: false },
    { day: '2026-11-10', canal: 'agentService', arrived: true },
  ];
  for (const r of rows) {
    const start = new Date(`${r.day}T09:00:00+01:00`);
    const end = new Date(`${r.day}T09:20:00+01:00`);
    const [u] = await server.deps.sql<{ id: number }[]>`
      insert into usagers (type, civilite, nom_usage, prenoms, telephones)
      values ('particulier', 'M', 'GRAPHE', 'Test', ${['+33612345678']}::text[]) returning id`;
    await server.deps.sql`
      insert into rdvs (code, service_id, guichet_id, motif_id, usager_id, type, during, canal, status, arrived_at, created_at)
      values (${generateRdvCode()}, ${s.serviceId}, ${s.guichetIds[0]!}, ${s.motifId}, ${u!.id}, 'physique',
              tstzrange(${start}, ${end}, '[)'), ${r.canal}, 'confirme', ${r.arrived ? start : null},
              ${new Date(start.getTime() - 3 * 86_400_000)})`;
  }
}

/** The SVG parsed as XML, and the titles of its marks ("période — série : valeur"). */
function parseSvg(text: string) {
  const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
  const svg = doc.documentElement;
  const titles = [...svg.querySelectorAll('g title')].map((t) => t.textContent ?? '');
  return { svg, titles };
}

beforeAll(async () => {
  server = await startTestServer({ clock });
  const mornings: [number, string, string][] = [1, 2, 3, 4, 5].map((d) => [d, '08:30', '12:00']);
  svc = await createService(server.deps.sql, {
    code: '9883001',
    guichets: [{ name: 'G1', plages: mornings }],
  });
  other = await createService(server.deps.sql, { code: '9883002' });
  await seed(svc);
  const c = await createAgent(server.deps.sql, { on: [{ serviceId: svc.serviceId, profile: 'chef' }] });
  chef = await signIn(server, c.login);
});
afterAll(() => server.close());

describe('the statistics as SVG charts', () => {
  it('draw the JSON’s figures, in a titled standalone SVG with role img', async () => {
    const json = await (await chef.get(`/api/v1/agent/services/${svc.code}/stats?${PERIOD}`)).json();
    const res = await chef.get(`/api/v1/agent/services/${svc.code}/stats.svg?${PERIOD}&chart=canal`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const text = await res.text();
    expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg')).toBe(true);
    const { svg, titles } = parseSvg(text);
    expect(svg.tagName.toLowerCase()).toBe('svg');
    expect(svg.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.getAttribute('aria-label')).toContain('RDV pris par canal');
    expect(svg.querySelector('title')?.textContent).toBe('RDV pris par canal');
    expect(svg.getAttribute('aria-label')).toContain(`Par internet : ${json.total.booked.internet}`);
    const expected = (json.buckets as { label: string; booked: Record<string, number> }[]).flatMap((b) => [
      `${b.label} — Par internet : ${b.booked.internet}`,
      `${b.label} — Par des agents extérieurs : ${b.booked.agentExterieur}`,
      `${b.label} — Par les agents du service : ${b.booked.agentService}`,
    ]);
    expect(titles).toEqual(expected);
    expect(titles).toContain('semaine du 02/11/2026 — Par internet : 2');
    expect(titles).toContain('semaine du 09/11/2026 — Par les agents du service : 1');
  });

  it('exist for every figure, rates in French percentages', async () => {
    for (const chart of STATS_CHARTS) {
      const res = await chef.get(`/api/v1/agent/services/${svc.code}/stats.svg?${PERIOD}&chart=${chart}`);
      expect(res.status, chart).toBe(200);
      const { svg } = parseSvg(await res.text());
      expect(svg.getAttribute('role'), chart).toBe('img');
      expect(svg.querySelector('title')?.textContent, chart).toBeTruthy();
    }
    const absence = parseSvg(
      await (await chef.get(`/api/v1/agent/services/${svc.code}/stats.svg?${PERIOD}&chart=absence`)).text(),
    );
    // Week 1: two past rdvs, one not arrived.
    expect(absence.titles).toContain('semaine du 02/11/2026 — Taux d’absence : 50 %');
    const motifs = parseSvg(
      await (await chef.get(`/api/v1/agent/services/${svc.code}/stats.svg?${PERIOD}&chart=motifs`)).text(),
    );
    expect(motifs.titles).toHaveLength(1);
    expect(motifs.titles[0]).toMatch(/ : 3$/);
  });

  it('are refused as the figures are: an agent, a chef of another service, a signed-out visitor', async () => {
    const agent = await signIn(
      server,
      (await createAgent(server.deps.sql, { on: [{ serviceId: svc.serviceId, profile: 'agent' }] })).login,
    );
    const otherChef = await signIn(
      server,
      (await createAgent(server.deps.sql, { on: [{ serviceId: other.serviceId, profile: 'chef' }] })).login,
    );
    const path = `/api/v1/agent/services/${svc.code}/stats.svg?${PERIOD}&chart=canal`;
    expect((await agent.get(path)).status).toBe(403);
    const refused = await otherChef.get(path);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect((await fetch(`${server.url}${path}`)).status).toBe(401);
    const unknown = await chef.get(`/api/v1/agent/services/${svc.code}/stats.svg?${PERIOD}&chart=camembert`);
    expect(unknown.status).toBe(422);
  });

  it('consolidated: the dashboard’s services together', async () => {
    const json = await (await chef.get(`/api/v1/agent/stats?${PERIOD}`)).json();
    const res = await chef.get(`/api/v1/agent/stats.svg?${PERIOD}&chart=presence`);
    expect(res.status).toBe(200);
    const { svg, titles } = parseSvg(await res.text());
    expect(svg.getAttribute('aria-label')).toContain(`Honorés : ${json.total.honoured}`);
    expect(titles).toContain('semaine du 02/11/2026 — Honorés : 1');
    expect(titles).toContain('semaine du 02/11/2026 — Non honorés : 1');
  });
});
