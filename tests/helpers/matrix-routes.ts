import { expect } from 'vitest';
import { agentClient, PASSWORD } from './agents.ts';
import { usager } from './fixtures.ts';
import { ALL_WARNINGS, type Cell, type MatrixProfile } from './matrix-world.ts';

/*
 * The expectation rows of the authorisation matrix, one per operation of the OpenAPI document
 * under /api/v1/agent and /api/v1/auth (keyed "METHOD /path" as the document spells it, without
 * /api/v1): how to call it validly as a cell, and the status each profile gets, in or out of the
 * zone de compétence. tests/integration/agent-matrix.test.ts fails on an operation without a row.
 */

export type Row = {
  /** false: the route names no service nor rdv, so the zone does not apply (one cell per profile). */
  zoned: boolean;
  /** The one route that needs no session (signing in). */
  public?: boolean;
  call(cell: Cell): Promise<Response>;
  expect(profile: MatrixProfile, inZone: boolean): number;
  /** An allowed write leaves exactly one audit line naming the agent; a refused one none. */
  audited?: boolean;
  /** Refused with a 404 that must read exactly like an rdv that does not exist. */
  hidesRdv?: boolean;
  /** What an allowed answer shows this cell, for routes that filter rather than refuse. */
  shows?(body: never, cell: Cell): void;
};

const api = (path: string) => `/api/v1${path}`;
const admin = (p: MatrixProfile) => p === 'administrateur';

// Who may, in the words of server/domain/habilitations.ts.
const everyone = (ok: number) => () => ok;
/** Rattachés of any profile (the administrateur everywhere); extérieurs get `outside`. */
const rattaches = (ok: number, outside: 403 | 404) => (p: MatrixProfile, z: boolean) =>
  admin(p) || z ? ok : outside;
/** Rattachés agent or chef: consultation is read-only; extérieurs get `outside`. */
const writers = (ok: number, outside: 403 | 404) => (p: MatrixProfile, z: boolean) =>
  admin(p) ? ok : !z ? outside : p === 'consultation' ? 403 : ok;
/** The parcours simplifié: agents and chefs, extérieurs too on a service that opens it to them. */
const bookers = (ok: number) => (p: MatrixProfile) => (p === 'consultation' ? 403 : ok);
/** The chef of the service, or an administrateur. */
const chefs = (ok: number) => (p: MatrixProfile, z: boolean) => (admin(p) || (z && p === 'chef') ? ok : 403);
const administrateurs = (ok: number) => (p: MatrixProfile) => (admin(p) ? ok : 403);

const svc = (c: Cell, rest = '') => api(`/agent/services/${c.target.code}${rest}`);
const PERIOD = 'from=2026-12-01&to=2026-12-31';
const codes = (body: { services: { code: string }[] }) => body.services.map((s) => s.code);

/** The services a dashboard-wide answer covers: the zone (the administrateur's: every active one). */
function zoneCodes(c: Cell, body: { services: { code: string }[] }, only?: MatrixProfile) {
  const { home, elsewhere } = c.world;
  if (admin(c.profile)) expect(codes(body)).toEqual(expect.arrayContaining([home.code, elsewhere.code]));
  else expect(codes(body)).toEqual(!only || c.profile === only ? [home.code] : []);
}

export const ROWS: Record<string, Row> = {
  // Sessions: anyone with an account.
  'POST /auth/login': {
    zoned: false,
    public: true,
    call: (c) => agentClient(c.world.server).post(api('/auth/login'), { login: c.login, password: PASSWORD }),
    expect: everyone(200),
  },
  'POST /auth/logout': {
    zoned: false,
    call: async (c) => (await c.disposable()).post(api('/auth/logout')),
    expect: everyone(204),
  },
  'POST /auth/logout-all': {
    zoned: false,
    call: async (c) => (await c.disposable()).post(api('/auth/logout-all')),
    expect: everyone(200),
  },
  'GET /auth/me': {
    zoned: false,
    call: (c) => c.client.get(api('/auth/me')),
    expect: everyone(200),
    shows: (me: { profile: string }, c) => expect(me.profile).toBe(c.profile),
  },
  'POST /auth/password': {
    zoned: false,
    call: async (c) =>
      (await c.disposable()).post(api('/auth/password'), {
        current: PASSWORD,
        next: 'un nouveau mot de passe',
      }),
    expect: everyone(204),
  },

  // The dashboard and the searches: everyone, each seeing his zone.
  'GET /agent/services': {
    zoned: false,
    call: (c) => c.client.get(api('/agent/services')),
    expect: everyone(200),
    shows: (body: { services: { code: string }[] }, c) => zoneCodes(c, body),
  },
  'GET /agent/service-search': {
    zoned: true,
    call: (c) => c.client.get(api(`/agent/service-search?code=${c.target.code}`)),
    expect: everyone(200),
    shows: (body: { services: { actions: string[] }[] }, c) =>
      expect(body.services[0]!.actions.includes('agenda.read')).toBe(admin(c.profile) || c.inZone),
  },
  'GET /agent/rdv-search': {
    zoned: true,
    call: async (c) => c.client.get(api(`/agent/rdv-search?code=${(await c.rdv()).code}`)),
    expect: everyone(200),
    // By its code alone, an rdv is found in the zone only (outside, the usager's name is needed too).
    shows: (body: { items: unknown[] }, c) =>
      expect(body.items).toHaveLength(admin(c.profile) || c.inZone ? 1 : 0),
  },
  'GET /agent/usagers': {
    zoned: true,
    call: async (c) => {
      await c.rdv();
      return c.client.get(api(`/agent/usagers?numeroFiscal=${c.world.numeroFiscal(c.target)}`));
    },
    expect: rattaches(200, 404),
  },

  // Reading a service's agenda, lists and rdvs: its rattachés.
  'GET /agent/services/{code}/agenda': {
    zoned: true,
    call: (c) => c.client.get(svc(c, '/agenda?from=2026-12-03&to=2026-12-09')),
    expect: rattaches(200, 403),
  },
  'GET /agent/rdvs': {
    zoned: true,
    call: (c) => c.client.get(api(`/agent/rdvs?${PERIOD}&service=${c.target.code}`)),
    expect: rattaches(200, 403),
  },
  'GET /agent/rdvs.csv': {
    zoned: true,
    call: (c) => c.client.get(api(`/agent/rdvs.csv?${PERIOD}&service=${c.target.code}`)),
    expect: rattaches(200, 403),
  },
  'GET /agent/rdvs/{id}': {
    zoned: true,
    call: async (c) => c.client.get(api(`/agent/rdvs/${(await c.rdv()).id}`)),
    expect: rattaches(200, 404),
    hidesRdv: true,
  },

  // Acting on rdvs: rattachés agent or chef; outside the zone an rdv does not exist.
  'POST /agent/services/{code}/rdvs': {
    zoned: true,
    call: (c) =>
      c.client.post(svc(c, '/rdvs'), {
        guichetId: c.target.guichetIds[0],
        motifId: c.target.motifId,
        type: 'physique',
        ...c.world.later(),
        usager: usager(c.world.next(), { numeroFiscal: undefined }),
        precisions: 'Matrice des habilitations',
        acknowledge: ALL_WARNINGS,
      }),
    expect: writers(201, 403),
    audited: true,
  },
  'POST /agent/rdvs/{id}/arrival': {
    zoned: true,
    call: async (c) => c.client.post(api(`/agent/rdvs/${(await c.rdv()).id}/arrival`), { arrived: true }),
    expect: writers(200, 404),
    audited: true,
    hidesRdv: true,
  },
  'POST /agent/rdvs/{id}/contre-appels': {
    zoned: true,
    call: async (c) =>
      c.client.post(api(`/agent/rdvs/${(await c.rdv()).id}/contre-appels`), {
        date: '2026-12-03',
        comment: 'Appel de la matrice',
        cancel: false,
      }),
    expect: writers(200, 404),
    audited: true,
    hidesRdv: true,
  },
  'POST /agent/rdvs/{id}/replan': {
    zoned: true,
    call: async (c) =>
      c.client.post(api(`/agent/rdvs/${(await c.rdv()).id}/replan`), {
        start: c.world.later().start,
        acknowledge: ALL_WARNINGS,
      }),
    expect: writers(200, 404),
    audited: true,
    hidesRdv: true,
  },
  'POST /agent/rdvs/{id}/cancel': {
    zoned: true,
    call: async (c) => c.client.post(api(`/agent/rdvs/${(await c.rdv()).id}/cancel`)),
    expect: writers(200, 404),
    audited: true,
    hidesRdv: true,
  },

  // The parcours simplifié: offered slots only, extérieurs included.
  'GET /agent/services/{code}/parcours': {
    zoned: true,
    call: (c) => c.client.get(svc(c, '/parcours')),
    expect: bookers(200),
  },
  'GET /agent/services/{code}/parcours/slots': {
    zoned: true,
    call: (c) => c.client.get(svc(c, `/parcours/slots?motif=${c.target.motifId}&type=physique&${PERIOD}`)),
    expect: bookers(200),
  },
  'POST /agent/services/{code}/parcours/rdvs': {
    zoned: true,
    call: async (c) => {
      // The first slot this agent is offered (refused agents are offered none: any start will do).
      const listed = await c.client.get(
        svc(c, `/parcours/slots?motif=${c.target.motifId}&type=physique&${PERIOD}`),
      );
      const days = listed.ok
        ? ((await listed.json()) as { days: { slots: { start: string }[] }[] }).days
        : [];
      return c.client.post(svc(c, '/parcours/rdvs'), {
        motifId: c.target.motifId,
        type: 'physique',
        start: days[0]?.slots[0]?.start ?? '2026-12-08T09:00:00+01:00',
        usager: usager(c.world.next(), { numeroFiscal: undefined }),
        precisions: 'Matrice des habilitations',
      });
    },
    expect: bookers(201),
    audited: true,
  },

  // Configurer le service: its chef.
  'GET /agent/services/{code}/config': {
    zoned: true,
    call: (c) => c.client.get(svc(c, '/config')),
    expect: chefs(200),
  },
  'PUT /agent/services/{code}/config': {
    zoned: true,
    call: (c) =>
      c.client.put(svc(c, '/config'), {
        active: true,
        durationMinutes: 20,
        holidayCalendar: 'metropole',
        selfCancellation: true,
      }),
    expect: chefs(200),
    audited: true,
  },
  'POST /agent/services/{code}/guichets': {
    zoned: true,
    call: (c) =>
      c.client.post(svc(c, '/guichets'), {
        name: `Nouveau guichet ${c.world.next()}`,
        types: ['physique'],
        bookableBy: ['agentService'],
      }),
    expect: chefs(201),
    audited: true,
  },
  'PATCH /agent/services/{code}/guichets/{id}': {
    zoned: true,
    call: async (c) =>
      c.client.patch(svc(c, `/guichets/${await c.world.guichet(c.target)}`), { open: false }),
    expect: chefs(200),
    audited: true,
  },
  'PUT /agent/services/{code}/guichets/{id}/plages': {
    zoned: true,
    call: async (c) =>
      c.client.put(svc(c, `/guichets/${await c.world.guichet(c.target)}/plages`), {
        plages: [{ weekday: 1, start: '08:30', end: '12:00' }],
      }),
    expect: chefs(200),
    audited: true,
  },
  'POST /agent/services/{code}/guichets/{id}/copy-week': {
    zoned: true,
    call: async (c) => {
      const [from, to] = [await c.world.guichet(c.target), await c.world.guichet(c.target)];
      return c.client.post(svc(c, `/guichets/${from}/copy-week`), { toGuichetId: to });
    },
    expect: chefs(200),
    audited: true,
  },
  'POST /agent/services/{code}/fermetures': {
    zoned: true,
    call: async (c) =>
      c.client.post(svc(c, '/fermetures'), {
        guichetId: await c.world.guichet(c.target),
        start: '2027-01-12T08:00:00+01:00',
        end: '2027-01-12T12:00:00+01:00',
        reason: 'Formation',
      }),
    expect: chefs(200),
    audited: true,
  },
  'DELETE /agent/services/{code}/fermetures/{id}': {
    zoned: true,
    call: async (c) =>
      c.client.call(svc(c, `/fermetures/${await c.world.fermeture(c.target)}`), { method: 'DELETE' }),
    expect: chefs(204),
    audited: true,
  },

  // Organiser le service: its chef; creating agents and services: the administrateurs.
  'GET /agent/services/{code}/agents': {
    zoned: true,
    call: (c) => c.client.get(svc(c, '/agents')),
    expect: chefs(200),
  },
  'POST /agent/services/{code}/agents': {
    zoned: true,
    call: async (c) =>
      c.client.post(svc(c, '/agents'), { login: (await c.world.newcomer()).login, profile: 'consultation' }),
    expect: chefs(200),
    audited: true,
  },
  'PUT /agent/services/{code}/agents/{agentId}': {
    zoned: true,
    call: async (c) =>
      c.client.put(svc(c, `/agents/${(await c.world.member(c.target)).id}`), { profile: 'agent' }),
    expect: chefs(200),
    audited: true,
  },
  'DELETE /agent/services/{code}/agents/{agentId}': {
    zoned: true,
    call: async (c) =>
      c.client.call(svc(c, `/agents/${(await c.world.member(c.target)).id}`), { method: 'DELETE' }),
    expect: chefs(200),
    audited: true,
  },
  'POST /agent/agents': {
    zoned: false,
    call: (c) =>
      c.client.post(api('/agent/agents'), {
        login: `cree.${c.world.next()}.${c.profile}`,
        name: 'Agent créé par la matrice',
        password: 'un premier mot de passe',
      }),
    expect: administrateurs(201),
    audited: true,
  },
  'POST /agent/services': {
    zoned: false,
    call: (c) =>
      c.client.post(api('/agent/services'), {
        codePrincipal: c.world.freshCode(),
        kind: 'SIP',
        name: 'SERVICE CRÉÉ PAR LA MATRICE',
        postcode: '58000',
        city: 'NEVERS',
      }),
    expect: administrateurs(201),
    audited: true,
  },

  // Statistics: a service's, its chef; consolidated, everyone over the services he may read.
  'GET /agent/services/{code}/stats': {
    zoned: true,
    call: (c) => c.client.get(svc(c, `/stats?${PERIOD}`)),
    expect: chefs(200),
  },
  'GET /agent/services/{code}/stats.csv': {
    zoned: true,
    call: (c) => c.client.get(svc(c, `/stats.csv?${PERIOD}`)),
    expect: chefs(200),
  },
  'GET /agent/services/{code}/stats.svg': {
    zoned: true,
    call: (c) => c.client.get(svc(c, `/stats.svg?${PERIOD}&chart=canal`)),
    expect: chefs(200),
  },
  'GET /agent/stats': {
    zoned: false,
    call: (c) => c.client.get(api(`/agent/stats?${PERIOD}`)),
    expect: everyone(200),
    shows: (body: { services: { code: string }[] }, c) => zoneCodes(c, body, 'chef'),
  },
  'GET /agent/stats.csv': {
    zoned: false,
    call: (c) => c.client.get(api(`/agent/stats.csv?${PERIOD}`)),
    expect: everyone(200),
  },
  'GET /agent/stats.svg': {
    zoned: false,
    call: (c) => c.client.get(api(`/agent/stats.svg?${PERIOD}&chart=canal`)),
    expect: everyone(200),
  },
};
