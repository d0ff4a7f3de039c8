import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../server/infra/clock.ts';
import { createAgent, signIn } from '../helpers/agents.ts';
import { startTestServer, type TestServer } from '../helpers/app.ts';
import { createService } from '../helpers/fixtures.ts';

/*
 * "Rechercher les services" by address (reference §3.3), over the national referential: each type
 * of service, the locality, and the trésoreries spécialisées that only a code finds.
 */
const clock = fixedClock(new Date('2026-12-03T09:00:00+01:00'));
let server: TestServer;
type Client = Awaited<ReturnType<typeof signIn>>;
let agent: Client;
const specialised: number[] = [];

beforeAll(async () => {
  server = await startTestServer({ clock });
  const own = await createService(server.deps.sql, { code: '9800201' });
  const a = await createAgent(server.deps.sql, { on: [{ serviceId: own.serviceId, profile: 'agent' }] });
  agent = await signIn(server, a.login);
});
afterAll(async () => {
  if (specialised.length) {
    await server.deps.sql`delete from sectorisation where service_id = any(${specialised}::int[])`;
  }
  await server.close();
});

type Answer = {
  criteria: string[];
  services: { code: string; kind: string; actions: string[] }[];
  message?: string;
};

async function find(q: string): Promise<Answer> {
  const res = await agent.get(`/api/v1/agent/service-search?${q}`);
  expect(res.status, q).toBe(200);
  return res.json();
}

const NEVERS = 'voie=19%20rue%20Camille%20Baynac&postcode=58000';
const kinds = (a: Answer) => a.services.map((s) => s.kind).sort();
const codes = (a: Answer) => a.services.map((s) => s.code).sort();

describe('Rechercher les services par adresse', () => {
  it('filters on each type of service, as the reminder of the criteria says', async () => {
    const sie = await find(`${NEVERS}&types=SIE`);
    expect(kinds(sie)).toEqual(['SIE']);
    expect(sie.criteria.at(-1)).toBe('Types de service : SIE');
    const cdif = await find(`${NEVERS}&types=CDIF`);
    expect(kinds(cdif)).toEqual(['CDIF']);
    expect(cdif.criteria.at(-1)).toBe('Types de service : CDIF');
    const sipCdif = await find(`${NEVERS}&types=SIP-CDIF`);
    expect(kinds(sipCdif)).toEqual(['CDIF', 'SIP']);
    expect(sipCdif.criteria.at(-1)).toBe('Types de service : SIP ou CDIF');
    const all = await find(NEVERS); // "Tous" when no type is chosen
    expect(kinds(all)).toEqual(['CDIF', 'SIE', 'SIP']);
    expect(all.criteria.at(-1)).toBe('Types de service : Tous');
  });

  it('finds the trésorerie of a commune that has one, and says so where there is none', async () => {
    const aix = await find('voie=2%20place%20de%20la%20Mairie&postcode=18220&types=TRESORERIE');
    expect(aix.services.map((s) => [s.code, s.kind])).toEqual([['1800310', 'TRESORERIE']]);
    expect(aix.criteria.at(-1)).toBe('Types de service : Trésorerie');
    const nevers = await find(`${NEVERS}&types=TRESORERIE`);
    expect(nevers.services).toEqual([]);
    expect(nevers.message).toBe('Aucun service de ce type n’est compétent pour cette adresse.');
  });

  it('narrows a postcode shared by communes of different offices with the locality', async () => {
    // 58110 covers Rouy (SIP Nevers) and Achun (the SIP of Château-Chinon's arrondissement).
    const voie = 'voie=1%20rue%20du%20Commerce&postcode=58110&types=SIP';
    expect(codes(await find(voie))).toEqual(['5800450', '5891001']);
    const rouy = await find(`${voie}&city=Rouy`);
    expect(codes(rouy)).toEqual(['5800450']);
    expect(rouy.criteria).toEqual([
      'Voie : 1 rue du Commerce',
      'Localité : Rouy',
      'Code postal : 58110',
      'Types de service : SIP',
    ]);
    expect(codes(await find(`${voie}&city=ACHUN`))).toEqual(['5891001']);
  });

  it('never finds a trésorerie spécialisée by address, only by its SAGES or CODIQUE code', async () => {
    const sql = server.deps.sql;
    for (const [code, codique, kind] of [
      ['9800211', '098021', 'SPL'],
      ['9800212', '098022', 'AMENDE'],
    ] as const) {
      const [row] = await sql<{ id: number }[]>`
        insert into services (code_principal, code_associe, kind, name, street, postcode, city, active)
        values (${code}, ${codique}, ${kind}, ${`TRESORERIE ${kind} DE TEST`}, '19 RUE CAMILLE BAYNAC',
                '58000', 'NEVERS', false)
        returning id`;
      specialised.push(row!.id);
      // Even sectorised over Nevers, the address search leaves them out.
      await sql`insert into sectorisation (code_insee, service_kind, service_id) values ('58194', ${kind}, ${row!.id})`;
    }
    for (const types of ['TOUS', 'TRESORERIE', 'SIP-CDIF']) {
      const found = codes(await find(`${NEVERS}&city=Nevers&types=${types}`));
      expect(found, types).not.toContain('9800211');
      expect(found, types).not.toContain('9800212');
    }
    expect((await find('code=9800211')).services).toMatchObject([{ code: '9800211', kind: 'SPL' }]);
    expect((await find('code=098021')).services).toMatchObject([{ code: '9800211', kind: 'SPL' }]);
    expect((await find('code=9800212')).services).toMatchObject([{ code: '9800212', kind: 'AMENDE' }]);
    expect((await find('code=098022')).services).toMatchObject([{ code: '9800212', kind: 'AMENDE' }]);
  });
});

describe('Prendre RDV from the service search', () => {
  it('is not offered on a service that takes no rdvs, whatever its guichets allow', async () => {
    const sql = server.deps.sql;
    const closed = await createService(sql, { code: '9800202' }); // its guichet is open to agents extérieurs
    await sql`update services set active = false where id = ${closed.serviceId}`;
    const [entry] = (await find(`code=${closed.code}`)).services;
    expect(entry).toMatchObject({ code: closed.code, actions: [] });
    const parcours = await agent.get(`/api/v1/agent/services/${closed.code}/parcours`);
    expect(parcours.status).toBe(403);
    expect((await parcours.json()).detail).toMatch(/agents extérieurs/);
    // Opened by its head of office, it is.
    await sql`update services set active = true where id = ${closed.serviceId}`;
    expect((await find(`code=${closed.code}`)).services[0]!.actions).toEqual(['rdv.book']);
  });
});
