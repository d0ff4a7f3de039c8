import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRdvCode } from '../../server/domain/rdv-code.ts';
import { fixedClock } from '../../server/infra/clock.ts';
import { createAgent, signIn } from '../helpers/agents.ts';
import { startTestServer, type TestServer } from '../helpers/app.ts';
import { createService, type ServiceFixture, usager } from '../helpers/fixtures.ts';

/*
 * The authorisation matrix against the real API: every agent route × every profile × inside or
 * outside the zone de compétence. Refusals are 403 in French, or 404 where an rdv's existence must
 * not leak; every write that passes leaves an audit line naming the agent.
 */
const clock = fixedClock(new Date('2026-12-03T09:00:00+01:00'));
let server: TestServer;
let home: ServiceFixture;
let elsewhere: ServiceFixture;
type Client = Awaited<ReturnType<typeof signIn>>;

type Who = { label: string; profile: 'consultation' | 'agent' | 'chef' | 'administrateur'; inZone: boolean };
const WHO: Who[] = [
  ...(['consultation', 'agent', 'chef'] as const).flatMap((profile) => [
    { label: `${profile} rattaché`, profile, inZone: true },
    { label: `${profile} extérieur`, profile, inZone: false },
  ]),
  { label: 'administrateur', profile: 'administrateur', inZone: true },
];

const clients = new Map<string, { client: Client; agentId: number }>();
let minute = 0;

/** A fresh rdv of the home service, today (so that arrival may be flagged), for the write routes. */
async function freshRdv(): Promise<number> {
  const sql = server.deps.sql;
  const start = new Date(Date.parse('2026-12-03T10:00:00+01:00') + minute * 60_000);
  minute += 20;
  const [u] = await sql<{ id: number }[]>`
    insert into usagers (type, civilite, nom_usage, prenoms, telephones, numero_fiscal)
    values ('particulier', 'M', 'MATRICE', 'Test', ${['+33612345678']}::text[], '3000000000001') returning id`;
  const [r] = await sql<{ id: number }[]>`
    insert into rdvs (code, service_id, guichet_id, motif_id, usager_id, type, during, canal)
    values (${generateRdvCode()}, ${home.serviceId},
            ${home.guichetIds[0]!}, ${home.motifId}, ${u!.id}, 'physique',
            tstzrange(${start}, ${new Date(start.getTime() + 20 * 60_000)}, '[)'), 'internet')
    returning id::int as id`;
  return r!.id;
}

type Route = {
  name: string;
  write: boolean;
  call: (c: Client) => Promise<Response>;
  /** Expected status for an agent of this profile, inside or outside the zone. */
  expect: (w: Who) => number;
};

const bookingBody = () => {
  const start = new Date(Date.parse('2026-12-04T09:00:00+01:00') + minute * 60_000);
  minute += 20;
  return {
    guichetId: home.guichetIds[0],
    motifId: home.motifId,
    type: 'physique',
    start: start.toISOString(),
    end: new Date(start.getTime() + 20 * 60_000).toISOString(),
    usager: usager(900 + minute, { numeroFiscal: undefined }),
    precisions: 'matrice',
    acknowledge: ['OUTSIDE_PLAGES'],
  };
};

const reader = (w: Who) => (w.inZone || w.profile === 'administrateur' ? 200 : 0);
const writer = (ok: number, outside: number) => (w: Who) =>
  w.profile === 'administrateur' ? ok : !w.inZone ? outside : w.profile === 'consultation' ? 403 : ok;

const ROUTES: Route[] = [
  { name: 'GET /auth/me', write: false, call: (c) => c.get('/api/v1/auth/me'), expect: () => 200 },
  {
    name: 'GET /agent/services',
    write: false,
    call: (c) => c.get('/api/v1/agent/services'),
    expect: () => 200,
  },
  {
    name: 'GET /agent/services/:code/agenda',
    write: false,
    call: (c) => c.get(`/api/v1/agent/services/${home.code}/agenda?from=2026-12-03&to=2026-12-09`),
    expect: (w) => reader(w) || 403,
  },
  {
    name: 'POST /agent/services/:code/rdvs',
    write: true,
    call: (c) => c.post(`/api/v1/agent/services/${home.code}/rdvs`, bookingBody()),
    expect: writer(201, 403),
  },
  {
    name: 'GET /agent/rdvs/:id',
    write: false,
    call: async (c) => c.get(`/api/v1/agent/rdvs/${await freshRdv()}`),
    expect: (w) => reader(w) || 404,
  },
  {
    name: 'GET /agent/usagers',
    write: false,
    call: async (c) => {
      await freshRdv();
      return c.get('/api/v1/agent/usagers?numeroFiscal=3000000000001');
    },
    expect: (w) => reader(w) || 404,
  },
  {
    name: 'POST /agent/rdvs/:id/arrival',
    write: true,
    call: async (c) => c.post(`/api/v1/agent/rdvs/${await freshRdv()}/arrival`, { arrived: true }),
    expect: writer(200, 404),
  },
  {
    name: 'POST /agent/rdvs/:id/contre-appels',
    write: true,
    call: async (c) =>
      c.post(`/api/v1/agent/rdvs/${await freshRdv()}/contre-appels`, {
        date: '2026-12-03',
        comment: 'Appel de la matrice',
        cancel: false,
      }),
    expect: writer(200, 404),
  },
  {
    name: 'POST /agent/rdvs/:id/replan',
    write: true,
    call: async (c) => {
      const id = await freshRdv();
      const start = new Date(Date.parse('2026-12-07T08:30:00+01:00') + minute * 60_000).toISOString();
      return c.post(`/api/v1/agent/rdvs/${id}/replan`, { start, acknowledge: ['OUTSIDE_PLAGES'] });
    },
    expect: writer(200, 404),
  },
  {
    name: 'POST /agent/rdvs/:id/cancel',
    write: true,
    call: async (c) => c.post(`/api/v1/agent/rdvs/${await freshRdv()}/cancel`),
    expect: writer(200, 404),
  },
];

beforeAll(async () => {
  server = await startTestServer({ clock });
  home = await createService(server.deps.sql, {
    code: '9830001',
    guichets: [{ name: 'Guichet principal', plages: [1, 2, 3, 4, 5].map((d) => [d, '08:30', '12:00']) }],
  });
  elsewhere = await createService(server.deps.sql, { code: '9830002' });
  for (const w of WHO) {
    const agent = await createAgent(server.deps.sql, {
      name: w.profile,
      administrateur: w.profile === 'administrateur',
      on:
        w.profile === 'administrateur'
          ? []
          : [{ serviceId: w.inZone ? home.serviceId : elsewhere.serviceId, profile: w.profile }],
    });
    clients.set(w.label, { client: await signIn(server, agent.login), agentId: agent.id });
  }
}, 120_000);
afterAll(() => server.close());

describe('every agent route × every profile × in and out of the zone', () => {
  for (const route of ROUTES) {
    for (const w of WHO) {
      it(`${route.name} — ${w.label} → ${route.expect(w)}`, async () => {
        const { client, agentId } = clients.get(w.label)!;
        const audited = async () =>
          (
            await server.deps.sql<
              { n: number }[]
            >`select count(*)::int as n from audit_log where agent_id = ${agentId}`
          )[0]!.n;
        const before = await audited();
        const res = await route.call(client);
        const expected = route.expect(w);
        expect(res.status, await res.clone().text()).toBe(expected);
        if (expected >= 400) {
          expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
          const problem = await res.json();
          expect(problem.detail).toMatch(/[a-zàâçéèêëîïôûùüÿœ]/);
          if (expected === 404) expect(problem.detail).not.toMatch(/zone de compétence/);
        }
        if (route.write) expect(await audited()).toBe(before + (expected < 400 ? 1 : 0));
      });
    }
  }

  it('without a session every agent route answers 401', async () => {
    for (const path of [
      '/api/v1/agent/services',
      `/api/v1/agent/services/${home.code}/agenda?from=2026-12-03&to=2026-12-03`,
      '/api/v1/agent/rdvs/1',
    ]) {
      expect((await fetch(`${server.url}${path}`)).status, path).toBe(401);
    }
  });
});
