import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRdvCode } from '../../server/domain/rdv-code.ts';
import { fixedClock } from '../../server/infra/clock.ts';
import { createAgent, signIn } from '../helpers/agents.ts';
import { startTestServer, type TestServer } from '../helpers/app.ts';
import { createService, type ServiceFixture } from '../helpers/fixtures.ts';

/*
 * Statistics on a known data set, every figure computed by hand. One guichet, Monday to Friday
 * 08:30–12:00 (210 minutes a day); 2–15 November 2026, where Wednesday 11 is a public holiday and
 * a fermeture closes Friday 13 from 08:30 to 10:00 (90 minutes).
 */
const clock = fixedClock(new Date('2026-12-03T09:00:00+01:00'));
let server: TestServer;
let svc: ServiceFixture;
let second: ServiceFixture;
type Client = Awaited<ReturnType<typeof signIn>>;
let chef: Client;

const DAY = 86_400_000;

type Seed = {
  day: string;
  from: string;
  to: string;
  canal: 'internet' | 'agentExterieur' | 'agentService';
  type: 'physique' | 'telephone';
  leadDays: number;
  motif: 'a' | 'b';
  arrived?: boolean;
  cancel?: 'usager' | 'agent' | 'contre-appel';
  contreAppel?: string;
};

const SEEDS: Seed[] = [
  {
    day: '2026-11-02',
    from: '09:00',
    to: '09:20',
    canal: 'internet',
    type: 'physique',
    leadDays: 5,
    motif: 'a',
    arrived: true,
  },
  {
    day: '2026-11-03',
    from: '09:00',
    to: '09:20',
    canal: 'agentService',
    type: 'telephone',
    leadDays: 1,
    motif: 'a',
  },
  {
    day: '2026-11-04',
    from: '10:00',
    to: '10:20',
    canal: 'agentExterieur',
    type: 'physique',
    leadDays: 10,
    motif: 'a',
    cancel: 'usager',
  },
  {
    day: '2026-11-05',
    from: '10:00',
    to: '10:40',
    canal: 'internet',
    type: 'physique',
    leadDays: 2,
    motif: 'a',
    arrived: true,
    contreAppel: '2026-11-03',
  },
  {
    day: '2026-11-09',
    from: '09:00',
    to: '09:20',
    canal: 'internet',
    type: 'physique',
    leadDays: 3,
    motif: 'b',
    cancel: 'contre-appel',
    contreAppel: '2026-11-06',
  },
  {
    day: '2026-11-10',
    from: '09:00',
    to: '09:20',
    canal: 'agentService',
    type: 'physique',
    leadDays: 4,
    motif: 'b',
    cancel: 'agent',
  },
  {
    day: '2026-11-12',
    from: '11:00',
    to: '11:20',
    canal: 'internet',
    type: 'telephone',
    leadDays: 6,
    motif: 'b',
    arrived: true,
  },
];

async function seed(s: ServiceFixture, rows: Seed[]) {
  const sql = server.deps.sql;
  for (const r of rows) {
    const start = new Date(`${r.day}T${r.from}:00+01:00`);
    const end = new Date(`${r.day}T${r.to}:00+01:00`);
    const [u] = await sql<{ id: number }[]>`
      insert into usagers (type, civilite, nom_usage, prenoms, telephones)
      values ('particulier', 'M', 'STAT', 'Test', ${['+33612345678']}::text[]) returning id`;
    const cancelled = r.cancel !== undefined;
    await sql`
      insert into rdvs (code, service_id, guichet_id, motif_id, usager_id, type, during, canal, status, cancelled_at,
                        cancel_reason, arrived_at, contre_appel_date, contre_appel_annulation, created_at)
      values (${generateRdvCode()}, ${s.serviceId}, ${s.guichetIds[0]!}, ${r.motif === 'a' ? s.motifId : s.otherMotifId},
              ${u!.id}, ${r.type}, tstzrange(${start}, ${end}, '[)'), ${r.canal}, ${cancelled ? 'annule' : 'confirme'},
              ${cancelled ? start : null}, ${r.cancel ?? null}, ${r.arrived ? start : null}, ${r.contreAppel ?? null},
              ${r.contreAppel ? r.cancel === 'contre-appel' : null}, ${new Date(start.getTime() - r.leadDays * DAY)})`;
  }
}

beforeAll(async () => {
  server = await startTestServer({ clock });
  const sql = server.deps.sql;
  const mornings: [number, string, string][] = [1, 2, 3, 4, 5].map((d) => [d, '08:30', '12:00']);
  svc = await createService(sql, {
    code: '9880001',
    guichets: [{ name: 'Guichet principal', plages: mornings }],
  });
  second = await createService(sql, {
    code: '9880002',
    guichets: [{ name: 'Guichet principal', plages: mornings }],
  });
  await sql`insert into fermetures (service_id, during, reason)
            values (${svc.serviceId}, tstzrange('2026-11-13T08:30:00+01:00', '2026-11-13T10:00:00+01:00'), 'Réunion')`;
  await seed(svc, SEEDS);
  await seed(second, [SEEDS[0]!]);
  const c = await createAgent(sql, {
    on: [
      { serviceId: svc.serviceId, profile: 'chef' },
      { serviceId: second.serviceId, profile: 'chef' },
    ],
  });
  chef = await signIn(server, c.login);
});
afterAll(() => server.close());

const WEEK_1 = {
  booked: { total: 4, internet: 2, agentExterieur: 1, agentService: 1, physique: 3, telephone: 1 },
  honoured: 2,
  notArrived: 1,
  noShowRate: 0.3333,
  cancelled: { total: 1, contreAppel: 0, agent: 0, usager: 1 },
  contreAppels: { made: 1, settled: 0, settledShare: 0 },
  occupancy: { bookedMinutes: 80, offeredMinutes: 1050, rate: 0.0762 },
  leadTimeDays: { mean: 4.5, median: 3.5 },
};
const WEEK_2 = {
  booked: { total: 3, internet: 2, agentExterieur: 0, agentService: 1, physique: 2, telephone: 1 },
  honoured: 1,
  notArrived: 0,
  noShowRate: 0,
  cancelled: { total: 2, contreAppel: 1, agent: 1, usager: 0 },
  contreAppels: { made: 1, settled: 1, settledShare: 1 },
  // 4 days (the 11th is a holiday) × 210, less the 90 minutes of the fermeture.
  occupancy: { bookedMinutes: 20, offeredMinutes: 750, rate: 0.0267 },
  leadTimeDays: { mean: 4.33, median: 4 },
};
const TOTAL = {
  booked: { total: 7, internet: 4, agentExterieur: 1, agentService: 2, physique: 5, telephone: 2 },
  honoured: 3,
  notArrived: 1,
  noShowRate: 0.25,
  cancelled: { total: 3, contreAppel: 1, agent: 1, usager: 1 },
  contreAppels: { made: 2, settled: 1, settledShare: 0.5 },
  occupancy: { bookedMinutes: 100, offeredMinutes: 1800, rate: 0.0556 },
  leadTimeDays: { mean: 4.43, median: 4 },
};

describe('statistics of one service', () => {
  it('equal the hand-computed figures, week by week and in total', async () => {
    const res = await chef.get(
      `/api/v1/agent/services/${svc.code}/stats?from=2026-11-02&to=2026-11-15&by=week`,
    );
    expect(res.status).toBe(200);
    const stats = await res.json();
    expect(stats.buckets.map((b: { label: string }) => b.label)).toEqual([
      'semaine du 02/11/2026',
      'semaine du 09/11/2026',
    ]);
    expect(stats.buckets[0]).toMatchObject(WEEK_1);
    expect(stats.buckets[1]).toMatchObject(WEEK_2);
    expect(stats.total).toEqual(TOTAL);
    expect(stats.motifs.map((m: { id: number; booked: number }) => [m.id, m.booked])).toEqual([
      [svc.motifId, 4],
      [svc.otherMotifId, 3],
    ]);
  });

  it('by month, and in CSV with the same figures', async () => {
    const month = await (
      await chef.get(`/api/v1/agent/services/${svc.code}/stats?from=2026-11-02&to=2026-11-15&by=month`)
    ).json();
    expect(month.buckets).toHaveLength(1);
    expect(month.buckets[0]).toMatchObject({ label: 'novembre 2026', ...TOTAL });
    const csv = await chef.get(
      `/api/v1/agent/services/${svc.code}/stats.csv?from=2026-11-02&to=2026-11-15&by=week`,
    );
    expect(csv.headers.get('content-disposition')).toContain('statistiques_9880001_20261102-20261115.csv');
    const rows = parse((await csv.text()).replace(/^\uFEFF/, ''), {
      delimiter: ';',
      columns: true,
    }) as Record<string, string>[];
    expect(rows.map((r) => r.Période)).toEqual(['semaine du 02/11/2026', 'semaine du 09/11/2026', 'Total']);
    expect(rows[2]).toMatchObject({
      'RDV pris': '7',
      'Taux d’absence': '25 %',
      'Part réglée sans déplacement': '50 %',
      'Taux d’occupation': '5,56 %',
      'Délai moyen (jours)': '4,43',
    });
  });

  it('are the chef’s: an agent gets 403', async () => {
    const agent = await signIn(
      server,
      (await createAgent(server.deps.sql, { on: [{ serviceId: svc.serviceId, profile: 'agent' }] })).login,
    );
    expect(
      (await agent.get(`/api/v1/agent/services/${svc.code}/stats?from=2026-11-02&to=2026-11-15`)).status,
    ).toBe(403);
  });
});

describe('statistiques consolidées', () => {
  it('add up the services of the dashboard', async () => {
    const res = await chef.get('/api/v1/agent/stats?from=2026-11-02&to=2026-11-15&by=month');
    const stats = await res.json();
    expect(stats.services.map((s: { code: string }) => s.code).sort()).toEqual([svc.code, second.code]);
    expect(stats.total.booked.total).toBe(8);
    expect(stats.total.honoured).toBe(4);
    // The second service has no fermeture: 9 days × 210 minutes more.
    expect(stats.total.occupancy.offeredMinutes).toBe(1800 + 1890);
  });
});
