import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRdvCode } from '../../server/domain/rdv-code.ts';
import { fixedClock } from '../../server/infra/clock.ts';
import { createAgent, signIn } from '../helpers/agents.ts';
import { startTestServer, type TestServer } from '../helpers/app.ts';
import { createService, type ServiceFixture, usager } from '../helpers/fixtures.ts';

// Thursday 3 December 2026: an agent extérieur books from Tuesday 8 December.
const clock = fixedClock(new Date('2026-12-03T09:00:00+01:00'));
let server: TestServer;
let nevers: ServiceFixture; // open to agents extérieurs
let closedToOthers: ServiceFixture;
let bourges: ServiceFixture;
type Client = Awaited<ReturnType<typeof signIn>>;
let neversAgent: Client;
let bourgesAgent: Client;
let booked: { id: number; code: string };
let bourgesAgentId: number;

const at = (day: string, time: string) => `${day}T${time}:00+01:00`;

beforeAll(async () => {
  // Few lookups by code and name beyond the zone, so that the allowance can be seen running out.
  server = await startTestServer({ clock, env: { RATE_LIMIT_RDV_LOOKUPS_PER_HOUR: '5' } });
  const sql = server.deps.sql;
  nevers = await createService(sql, { code: '9850001' });
  closedToOthers = await createService(sql, {
    code: '9850002',
    guichets: [
      {
        name: 'Guichet principal',
        agentExterieur: false,
        plages: [1, 2, 3, 4, 5].map((d) => [d, '08:30', '12:00']),
      },
    ],
  });
  bourges = await createService(sql, { code: '9850003' });
  const a = await createAgent(sql, {
    on: [
      { serviceId: nevers.serviceId, profile: 'agent' },
      { serviceId: closedToOthers.serviceId, profile: 'agent' },
    ],
  });
  const b = await createAgent(sql, { on: [{ serviceId: bourges.serviceId, profile: 'agent' }] });
  bourgesAgentId = b.id;
  neversAgent = await signIn(server, a.login);
  bourgesAgent = await signIn(server, b.login);
  const res = await neversAgent.post(`/api/v1/agent/services/${nevers.code}/parcours/rdvs`, {
    motifId: nevers.motifId,
    type: 'physique',
    start: at('2026-12-04', '09:10'),
    usager: usager(1, { nomUsage: 'Élodie-Œuvre', prenoms: 'Anne', siren: undefined }),
    precisions: 'recherche',
  });
  expect(res.status).toBe(201);
  booked = await res.json();
});
afterAll(() => server.close());

const search = (c: Client, q: string) => c.get(`/api/v1/agent/rdv-search?${q}`);
const codes = async (res: Response) => ((await res.json()).items as { code: string }[]).map((i) => i.code);
const usagers = async (res: Response) =>
  ((await res.json()).items as { usager: string }[]).map((i) => i.usager).sort();

/** An rdv straight in the table, for names the booking form would refuse; its code. */
async function seedRdv(s: ServiceFixture, start: string, nom: string, arrived = false): Promise<string> {
  const sql = server.deps.sql;
  const code = generateRdvCode();
  const begin = new Date(start);
  const [u] = await sql<{ id: number }[]>`
    insert into usagers (type, civilite, nom_usage, prenoms, telephones)
    values ('particulier', 'MME', ${nom}, 'Anne', ${['+33612345678']}::text[]) returning id`;
  await sql`
    insert into rdvs (code, service_id, guichet_id, motif_id, usager_id, type, during, canal, arrived_at)
    values (${code}, ${s.serviceId}, ${s.guichetIds[0]!}, ${s.motifId}, ${u!.id}, 'physique',
            tstzrange(${begin}, ${new Date(begin.getTime() + 20 * 60_000)}, '[)'), 'internet',
            ${arrived ? begin : null})`;
  return code;
}

/** The audit lines of rdvs reached from outside their office, by this agent. */
const exteriorAccesses = (agentId: number) =>
  server.deps.sql<{ rdvId: number; serviceId: number; details: Record<string, unknown> }[]>`
    select rdv_id::int, service_id, details from audit_log
    where agent_id = ${agentId} and action = 'rdv.acces-exterieur' order by id`;

describe('Rechercher les RDV', () => {
  it('by exact code, name prefix whatever accents and case, numéro fiscal, period and state', async () => {
    expect(await codes(await search(neversAgent, `code=${booked.code}`))).toEqual([booked.code]);
    expect(await codes(await search(neversAgent, `code=${booked.code.toLowerCase()}`))).toEqual([
      booked.code,
    ]);
    expect(await codes(await search(neversAgent, 'nom=elodie'))).toEqual([booked.code]);
    // unaccent folds the ligature: Œ is searched as OE.
    expect(await codes(await search(neversAgent, 'nom=ELODIE-OE'))).toEqual([booked.code]);
    expect(await codes(await search(neversAgent, 'nom=elodie-œ'))).toEqual([booked.code]);
    expect(await codes(await search(neversAgent, `numeroFiscal=${usager(1).numeroFiscal}`))).toEqual([
      booked.code,
    ]);
    expect(await codes(await search(neversAgent, 'nom=elo&from=2026-12-04&to=2026-12-04'))).toEqual([
      booked.code,
    ]);
    expect(await codes(await search(neversAgent, 'nom=elo&from=2026-12-05&to=2026-12-31'))).toEqual([]);
    expect(await codes(await search(neversAgent, 'nom=elo&state=annule'))).toEqual([]);
    const none = await search(neversAgent, '');
    expect(none.status).toBe(422);
    expect((await none.json()).detail).toMatch(/au moins un critère/);
  });

  it('by SIREN for a company', async () => {
    const siren = '732829320';
    const res = await neversAgent.post(`/api/v1/agent/services/${nevers.code}/parcours/rdvs`, {
      motifId: nevers.motifId,
      type: 'physique',
      start: at('2026-12-04', '09:30'),
      usager: usager(2, {
        type: 'professionnel',
        siren,
        raisonSociale: 'BOULANGERIE DU CENTRE',
        numeroFiscal: undefined,
      }),
      precisions: 'entreprise',
    });
    expect(res.status).toBe(201);
    const { code } = await res.json();
    expect(await codes(await search(neversAgent, `siren=${siren}`))).toEqual([code]);
    expect(await codes(await search(neversAgent, 'nom=boulang'))).toEqual([code]);
  });

  it('an agent extérieur never lists another office’s rdvs, and reaches one only with its code and the name together', async () => {
    expect(await codes(await search(bourgesAgent, 'nom=elodie'))).toEqual([]);
    expect(await codes(await search(bourgesAgent, `code=${booked.code}`))).toEqual([]);
    expect(await codes(await search(bourgesAgent, `numeroFiscal=${usager(1).numeroFiscal}`))).toEqual([]);
    expect(await codes(await search(bourgesAgent, `code=${booked.code}&nom=Dupont`))).toEqual([]);
    expect((await bourgesAgent.get(`/api/v1/agent/rdvs/${booked.id}`)).status).toBe(404);
    expect(await exteriorAccesses(bourgesAgentId)).toEqual([]); // nothing reached, nothing to audit

    const found = await (await search(bourgesAgent, `code=${booked.code}&nom=ELODIE-ŒUVRE`)).json();
    expect(found.items).toHaveLength(1);
    expect(found.items[0]).toMatchObject({ code: booked.code, inZone: false, access: expect.any(String) });
    // Nevers can see who reached its rdv from elsewhere; the name said on the phone is not kept.
    expect(await exteriorAccesses(bourgesAgentId)).toEqual([
      { rdvId: booked.id, serviceId: nevers.serviceId, details: {} },
    ]);
    const access = encodeURIComponent(found.items[0].access);
    const fiche = await bourgesAgent.get(`/api/v1/agent/rdvs/${booked.id}?acces=${access}`);
    expect(fiche.status).toBe(200);
    expect((await fiche.json()).can).toMatchObject({
      arrival: false,
      contreAppel: false,
      replan: true,
      cancel: true,
    });
    // The token opens this rdv only: another id stays hidden.
    expect((await bourgesAgent.get(`/api/v1/agent/rdvs/${booked.id + 1}?acces=${access}`)).status).toBe(404);
    // Outside the zone a replan takes only an offered slot of the extérieur window.
    const early = await bourgesAgent.post(`/api/v1/agent/rdvs/${booked.id}/replan?acces=${access}`, {
      start: at('2026-12-07', '09:10'),
    });
    expect((await early.json()).code).toBe('OUTSIDE_BOOKING_WINDOW');
    const moved = await bourgesAgent.post(`/api/v1/agent/rdvs/${booked.id}/replan?acces=${access}`, {
      start: at('2026-12-08', '09:10'),
    });
    expect(moved.status).toBe(200);
    expect((await bourgesAgent.post(`/api/v1/agent/rdvs/${booked.id}/cancel?acces=${access}`)).status).toBe(
      200,
    );
  });
});

describe('Rechercher les RDV: names, arrivals and lookups beyond the zone', () => {
  it('takes a name literally (%, _ and \\ are characters, not wildcards), three characters at least', async () => {
    for (const [i, nom] of ['AB%CD', 'AB_CD', 'AB\\CD', 'ABXYZ'].entries()) {
      await seedRdv(closedToOthers, at('2026-12-21', ['08:00', '08:20', '08:40', '09:00'][i]!), nom);
    }
    expect(await usagers(await search(neversAgent, 'nom=abx'))).toEqual(['ABXYZ ANNE']);
    expect(await usagers(await search(neversAgent, 'nom=ab%25'))).toEqual(['AB%CD ANNE']);
    expect(await usagers(await search(neversAgent, 'nom=ab_'))).toEqual(['AB_CD ANNE']);
    expect(await usagers(await search(neversAgent, 'nom=ab%5C'))).toEqual(['AB\\CD ANNE']);
    // Before, each of these listed every usager of the zone.
    for (const nom of ['%25%25%25', '___', '%5C%5C%5C', '%25_%25']) {
      const res = await search(neversAgent, `nom=${nom}`);
      expect(res.status, nom).toBe(200);
      expect(await codes(res), nom).toEqual([]);
    }
    const short = await search(neversAgent, 'nom=ab');
    expect(short.status).toBe(422);
    const problem = await short.json();
    expect(problem.detail).toMatch(/trois caractères du nom/);
    expect(problem.errors).toEqual([{ field: 'nom', message: 'Trois caractères au moins.' }]);
    // With the code, a short name is compared to one rdv: a citizen named Ly is found.
    const code = await seedRdv(closedToOthers, at('2026-12-21', '09:20'), 'LY');
    expect(await codes(await search(neversAgent, `code=${code}&nom=ly`))).toEqual([code]);
    const outside = await (await search(bourgesAgent, `code=${code}&nom=Ly`)).json();
    expect(outside.items).toMatchObject([{ code, inZone: false, access: expect.any(String) }]);
  });

  it('filters on arrival: arrive and non-arrive', async () => {
    const came = await seedRdv(closedToOthers, at('2026-12-22', '09:00'), 'ARRIVEE', true);
    const waited = await seedRdv(closedToOthers, at('2026-12-22', '09:20'), 'ARRIVEE');
    const found = async (q: string) => (await codes(await search(neversAgent, q))).sort();
    expect(await found('nom=arrivee')).toEqual([came, waited].sort());
    expect(await found('nom=arrivee&state=arrive')).toEqual([came]);
    expect(await found('nom=arrivee&state=non-arrive')).toEqual([waited]);
    const res = await (await search(neversAgent, 'nom=arrivee&state=arrive')).json();
    expect(res.items[0]).toMatchObject({ etat: 'Arrivé', arrived: true });
  });

  it('limits an agent’s lookups by code and name beyond his zone, in French (429)', async () => {
    const sql = server.deps.sql;
    const target = await seedRdv(closedToOthers, at('2026-12-23', '09:00'), 'CIBLE');
    const guesser = await signIn(
      server,
      (await createAgent(sql, { on: [{ serviceId: bourges.serviceId, profile: 'agent' }] })).login,
    );
    // Five an hour in this suite: guessed codes for a known name run the allowance out.
    for (let i = 0; i < 5; i++) {
      const res = await search(guesser, `code=${generateRdvCode()}&nom=cible`);
      expect(res.status).toBe(200);
    }
    const refused = await search(guesser, `code=${target}&nom=cible`);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await refused.json()).detail).toMatch(
      /Trop de recherches par code et nom.*Réessayez dans \d+ minutes?/,
    );
    // His own zone stays open to him.
    expect((await search(guesser, 'nom=cible')).status).toBe(200);
    // Lookups of rdvs of one's own zone by code and name are not counted.
    const neversOwn = await signIn(
      server,
      (await createAgent(sql, { on: [{ serviceId: closedToOthers.serviceId, profile: 'agent' }] })).login,
    );
    for (let i = 0; i < 7; i++) {
      expect(await codes(await search(neversOwn, `code=${target}&nom=cible`))).toEqual([target]);
    }
  });
});

describe('Rechercher les services', () => {
  const services = async (c: Client, q: string) => {
    const res = await c.get(`/api/v1/agent/service-search?${q}`);
    expect(res.status, q).toBe(200);
    return res.json();
  };

  it('by address in France, with the types of service', async () => {
    const all = await services(bourgesAgent, 'voie=19%20rue%20Camille%20Baynac&postcode=58000&types=TOUS');
    const kinds = all.services.map((s: { kind: string }) => s.kind).sort();
    expect(kinds).toEqual(expect.arrayContaining(['CDIF', 'SIE', 'SIP']));
    const sip = await services(bourgesAgent, 'voie=19%20rue%20Camille%20Baynac&postcode=58000&types=SIP');
    expect(sip.services.map((s: { code: string }) => s.code)).toEqual(['5800450']);
    expect(sip.criteria).toEqual([
      'Voie : 19 rue Camille Baynac',
      'Code postal : 58000',
      'Types de service : SIP',
    ]);
    const missing = await bourgesAgent.get('/api/v1/agent/service-search?postcode=58000');
    expect(missing.status).toBe(422);
  });

  it('the DGE, the DRESG, a SAGES or a CODIQUE code', async () => {
    const dge = await services(bourgesAgent, 'mode=dge&siren=732829320');
    expect(dge.services.map((s: { kind: string }) => s.kind)).toEqual(['DGE']);
    expect(dge.criteria[0]).toMatch(/SIREN : 732829320/);
    const dresg = await services(bourgesAgent, 'mode=dresg');
    expect(dresg.services.map((s: { kind: string }) => s.kind)).toEqual(['DRESG']);
    const sages = await services(bourgesAgent, 'code=5800450');
    expect(sages.services[0]).toMatchObject({ code: '5800450', codeAssocie: '058019' });
    expect(sages.criteria).toEqual(['Votre recherche a porté sur le code suivant : Code SAGES : 5800450']);
    const codique = await services(bourgesAgent, 'code=058019');
    expect(codique.services.map((s: { code: string }) => s.code)).toEqual(['5800450']);
  });

  it('offers "Prendre RDV" only where the office lets agents extérieurs book', async () => {
    const open = await services(bourgesAgent, `code=${nevers.code}`);
    expect(open.services[0].actions).toEqual(['rdv.book']);
    const closed = await services(bourgesAgent, `code=${closedToOthers.code}`);
    expect(closed.services[0].actions).toEqual([]);
    const own = await services(neversAgent, `code=${nevers.code}`);
    expect(own.services[0].actions).toEqual(
      expect.arrayContaining(['agenda.read', 'rdv.create', 'rdv.book']),
    );
  });
});

describe('Prendre RDV — parcours simplifié', () => {
  const book = (c: Client, s: ServiceFixture, start: string, n: number) =>
    c.post(`/api/v1/agent/services/${s.code}/parcours/rdvs`, {
      motifId: s.motifId,
      type: 'physique',
      start,
      usager: usager(n),
      precisions: 'parcours simplifié',
    });

  it('an agent extérieur books only where allowed, only in the extérieur window, with the canal recorded', async () => {
    const offer = await (await bourgesAgent.get(`/api/v1/agent/services/${nevers.code}/parcours`)).json();
    expect(offer).toMatchObject({
      canal: 'agentExterieur',
      rattache: false,
      window: { from: '2026-12-08', to: '2027-01-02' },
    });
    expect((await book(bourgesAgent, nevers, at('2026-12-07', '09:10'), 30)).status).toBe(422);
    const res = await book(bourgesAgent, nevers, at('2026-12-08', '09:30'), 31);
    expect(res.status).toBe(201);
    const rdv = await res.json();
    expect(rdv.canal).toBe('agentExterieur');
    const [row] = await server.deps.sql<
      { createdByAgentId: number | null }[]
    >`select created_by_agent_id from rdvs where id = ${rdv.id}`;
    expect(row!.createdByAgentId).not.toBeNull();
    const refused = await bourgesAgent.get(`/api/v1/agent/services/${closedToOthers.code}/parcours`);
    expect(refused.status).toBe(403);
    expect((await refused.json()).detail).toMatch(/agents extérieurs/);
    expect((await book(bourgesAgent, closedToOthers, at('2026-12-08', '09:30'), 32)).status).toBe(403);
  });

  it('an agent rattaché books through his canal, in the 60-day window and immediately', async () => {
    const offer = await (await neversAgent.get(`/api/v1/agent/services/${nevers.code}/parcours`)).json();
    expect(offer).toMatchObject({
      canal: 'agentService',
      rattache: true,
      window: { from: '2026-12-03', to: '2027-02-01' },
    });
    const slots = await (
      await neversAgent.get(
        `/api/v1/agent/services/${nevers.code}/parcours/slots?motif=${nevers.motifId}&type=physique&from=2026-12-03&to=2026-12-03`,
      )
    ).json();
    expect(slots.days[0].slots[0].start).toBe(at('2026-12-03', '09:10')); // today, from now on the grid
    expect((await book(neversAgent, nevers, at('2027-01-29', '09:10'), 33)).status).toBe(201);
    expect((await book(neversAgent, nevers, at('2027-02-05', '09:10'), 34)).status).toBe(422);
  });

  it('nobody forces the parcours: off the grid, outside the plages or on a taken slot, it refuses', async () => {
    expect((await book(neversAgent, nevers, at('2026-12-09', '09:15'), 35)).status).toBe(409);
    expect((await book(neversAgent, nevers, at('2026-12-09', '14:30'), 36)).status).toBe(409);
    expect((await book(neversAgent, nevers, at('2026-12-09', '09:30'), 37)).status).toBe(201);
    // The agenda's forcing fields are refused, not silently dropped.
    const forced = await neversAgent.post(`/api/v1/agent/services/${nevers.code}/parcours/rdvs`, {
      motifId: nevers.motifId,
      type: 'physique',
      start: at('2026-12-09', '14:30'),
      end: at('2026-12-09', '15:30'),
      acknowledge: ['OUTSIDE_PLAGES', 'DURATION_DIFFERS'],
      usager: usager(39),
      precisions: 'forçage',
    });
    expect(forced.status).toBe(422);
    expect((await forced.json()).detail).toMatch(/ne permet pas de forcer.*end, acknowledge/);
    const taken = await book(bourgesAgent, nevers, at('2026-12-09', '09:30'), 38);
    expect(taken.status).toBe(409);
    expect((await taken.json()).detail).toMatch(/plus disponible/);
  });
});
