import type { Profile } from '../../server/domain/habilitations.ts';
import { generateRdvCode } from '../../server/domain/rdv-code.ts';
import { type agentClient, createAgent, sessionOf } from './agents.ts';
import type { TestServer } from './app.ts';
import { createService, type GuichetFixture, type ServiceFixture } from './fixtures.ts';

/*
 * The world the authorisation matrix (tests/integration/agent-matrix.test.ts) acts upon: two
 * services of Nevers, one agent per profile attached to the first ("home"), an administrateur
 * attached to none, and factories of fresh objects so that no cell depends on another's writes.
 */

export type MatrixProfile = Profile | 'administrateur';
export const MATRIX_PROFILES: readonly MatrixProfile[] = ['consultation', 'agent', 'chef', 'administrateur'];
export type Client = ReturnType<typeof agentClient>;

/** Every warning an agent's free booking may ask him to confirm: the matrix is about rights. */
export const ALL_WARNINGS = [
  'OUTSIDE_PLAGES',
  'DURATION_DIFFERS',
  'TELEPHONE_ON_PHYSIQUE_ONLY',
  'PHYSIQUE_ON_TELEPHONE_ONLY',
  'USAGER_HAS_FUTURE_RDV',
];

/** An rdv id no row has: what a refused 404 must be indistinguishable from. */
export const MISSING_RDV = { id: 2_147_483_000, code: 'ZZZZZZ' };

const MORNINGS: [number, string, string][] = [1, 2, 3, 4, 5].map((d) => [d, '08:30', '12:00']);
const GUICHETS: GuichetFixture[] = [
  // The agenda's rdvs (fresh ones, creations, replans) go here; the parcours simplifié never does,
  // so that the slots it lists are never taken behind the offer cache's back.
  { name: 'Guichet agenda', internet: false, agentExterieur: false, agentService: false, plages: MORNINGS },
  {
    name: 'Guichet parcours',
    plages: [...MORNINGS, ...[1, 2, 3, 4, 5].map((d): [number, string, string] => [d, '13:30', '16:30'])],
  },
];

export type World = Awaited<ReturnType<typeof buildWorld>>;

export async function buildWorld(server: TestServer) {
  const sql = server.deps.sql;
  const home = await createService(sql, { code: '9830001', guichets: GUICHETS });
  const elsewhere = await createService(sql, { code: '9830002', guichets: GUICHETS });
  let serial = 0;
  const next = () => ++serial;
  const todayMinutes = new Map<number, number>();

  const agentOf = (profile: MatrixProfile, name: string = profile) =>
    createAgent(sql, {
      name,
      administrateur: profile === 'administrateur',
      on: profile === 'administrateur' ? [] : [{ serviceId: home.serviceId, profile }],
    });
  /** The numéro fiscal of the usagers of a service's rdvs (one per service: "known in the zone"). */
  const numeroFiscal = (s: ServiceFixture) => (s === home ? '3000000000001' : '3000000000002');
  /** A fresh guichet of `s` that offers nothing (no motif): changing it affects no rdv. */
  const guichet = async (s: ServiceFixture): Promise<number> => {
    const [g] = await sql<{ id: number }[]>`
      insert into guichets (service_id, name, bookable_agent_service, position)
      values (${s.serviceId}, ${`Guichet matrice ${next()}`}, false, 9) returning id`;
    return g!.id;
  };
  const agents = new Map<MatrixProfile, { id: number; login: string; client: Client }>();
  for (const profile of MATRIX_PROFILES) {
    const agent = await agentOf(profile);
    agents.set(profile, { ...agent, client: await sessionOf(server, agent.id) });
  }

  return {
    server,
    home,
    elsewhere,
    agents,
    next,
    numeroFiscal,
    guichet,
    /** A fresh rdv of `s` today (an arrival may be flagged), 5 minutes long, on its agenda guichet. */
    async rdv(s: ServiceFixture): Promise<{ id: number; code: string }> {
      const n = todayMinutes.get(s.serviceId) ?? 0;
      todayMinutes.set(s.serviceId, n + 5);
      const start = new Date(Date.parse('2026-12-03T09:30:00+01:00') + n * 60_000);
      const [u] = await sql<{ id: number }[]>`
        insert into usagers (type, civilite, nom_usage, prenoms, telephones, numero_fiscal)
        values ('particulier', 'M', 'MATRICE', 'Test', ${['+33612345678']}::text[], ${numeroFiscal(s)})
        returning id`;
      const [r] = await sql<{ id: number; code: string }[]>`
        insert into rdvs (code, service_id, guichet_id, motif_id, usager_id, type, during, canal)
        values (${generateRdvCode()}, ${s.serviceId}, ${s.guichetIds[0]!}, ${s.motifId}, ${u!.id}, 'physique',
                tstzrange(${start}, ${new Date(start.getTime() + 5 * 60_000)}, '[)'), 'internet')
        returning id::int as id, code`;
      return r!;
    },
    /** 20 free minutes tomorrow, never given twice (creations and replans on the agenda guichet). */
    later(): { start: string; end: string } {
      const start = Date.parse('2026-12-04T07:00:00+01:00') + next() * 20 * 60_000;
      return { start: new Date(start).toISOString(), end: new Date(start + 20 * 60_000).toISOString() };
    },
    /** A fresh fermeture of a fresh guichet of `s`. */
    async fermeture(s: ServiceFixture): Promise<number> {
      const guichetId = await guichet(s);
      const [f] = await sql<{ id: number }[]>`
        insert into fermetures (service_id, guichet_id, during, reason)
        values (${s.serviceId}, ${guichetId},
                tstzrange('2027-01-11T08:00:00+01:00', '2027-01-11T12:00:00+01:00', '[)'), 'Matrice')
        returning id`;
      return f!.id;
    },
    /** An agent attached to no service (to attach), or a consultation of `s` (to change, to detach). */
    newcomer: () => createAgent(sql, { name: 'nouveau' }),
    member: (s: ServiceFixture) =>
      createAgent(sql, { name: 'membre', on: [{ serviceId: s.serviceId, profile: 'consultation' }] }),
    /** A signed-in throwaway agent of this profile, for the routes that end sessions. */
    async throwaway(profile: MatrixProfile): Promise<Client> {
      return sessionOf(server, (await agentOf(profile, `jetable-${profile}`)).id);
    },
    /** A service code of the matrix's own range, never used before. */
    freshCode: () => `9833${String(next()).padStart(3, '0')}`,
    async audited(agentId: number): Promise<number> {
      const [row] = await sql<
        { n: number }[]
      >`select count(*)::int as n from audit_log where agent_id = ${agentId}`;
      return row!.n;
    },
  };
}

/** One cell of the matrix: who acts, on an object of which service, with which session. */
export type Cell = {
  world: World;
  profile: MatrixProfile;
  /** The object acted upon is of `home` (the agent's zone) rather than of `elsewhere`. */
  inZone: boolean;
  target: ServiceFixture;
  login: string;
  client: Client;
  /** A session this cell may end (sign-out, password): a throwaway agent's; signed out, none. */
  disposable(): Promise<Client>;
  /** A fresh rdv of the target (or, to compare refusals with absence, an id no rdv has). */
  rdv(): Promise<{ id: number; code: string }>;
};
