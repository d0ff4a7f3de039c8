import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../db/seed/load-demo.ts';
import { seedReferential } from '../../db/seed/load-referential.ts';
import type { Sql } from '../../server/infra/db.ts';
import { migrate } from '../../server/infra/migrate.ts';
import { verifyPassword } from '../../server/infra/password.ts';
import { referentialCounts } from '../../server/store/referential.ts';
import { findCompetentServices } from '../../server/store/sectorisation.ts';
import { scratchDatabase, sharedDatabase } from '../helpers/db.ts';

describe('referential (loaded by the global setup)', () => {
  let sql: Sql;
  beforeAll(() => {
    sql = sharedDatabase(4);
  });
  afterAll(async () => {
    await sql.end();
  });

  it('holds every commune and a national network', async () => {
    const counts = await referentialCounts(sql);
    expect(counts.communes).toBeGreaterThan(34_000);
    const kinds = await sql<
      { kind: string; n: number }[]
    >`select kind, count(*)::int as n from services group by kind`;
    const byKind = Object.fromEntries(kinds.map((k) => [k.kind, k.n]));
    expect(byKind.SIP).toBeGreaterThan(300);
    expect(byKind.SIE).toBeGreaterThan(300);
    expect(byKind.CDIF).toBeGreaterThanOrEqual(101);
    expect(byKind.DGE).toBe(1);
    expect(byKind.DRESG).toBe(1);
    const [codes] = await sql<{ bad: number }[]>`
      select count(*)::int as bad from services
      where code_principal !~ '^[0-9]{7}$' or (code_associe is not null and code_associe !~ '^[0-9]{6}$')`;
    expect(codes!.bad).toBe(0);
    const zones = await sql<{ departement: string; timeZone: string; holidayCalendar: string }[]>`
      select distinct departement, time_zone, holiday_calendar from services
      where departement in ('58', '57', '67', '971', '973', '974', '976') order by departement`;
    expect(zones.map((z) => `${z.departement} ${z.timeZone} ${z.holidayCalendar}`)).toEqual([
      '57 Europe/Paris alsace-moselle',
      '58 Europe/Paris metropole',
      '67 Europe/Paris alsace-moselle',
      '971 America/Guadeloupe guadeloupe',
      '973 America/Cayenne guyane',
      '974 Indian/Reunion reunion',
      '976 Indian/Mayotte mayotte',
    ]);
  });

  it('gives every commune a SIP, a SIE and a CDIF by default', async () => {
    const missing = await sql<{ codeInsee: string; kinds: number }[]>`
      with defaults as (
        select z.code_insee, count(distinct z.service_kind)::int as kinds
        from sectorisation z join services s on s.id = z.service_id and s.kind = z.service_kind
        where z.voies is null and z.service_kind in ('SIP', 'SIE', 'CDIF')
        group by z.code_insee)
      select c.code_insee, coalesce(d.kinds, 0) as kinds
      from communes c left join defaults d using (code_insee)
      where coalesce(d.kinds, 0) <> 3
      limit 5`;
    expect(missing).toEqual([]);
  });

  it('has the reference list of SIP motifs, with the documents to bring', async () => {
    const top = await sql<{ label: string }[]>`
      select label from motifs where service_kind = 'SIP' and parent_id is null and active order by position`;
    expect(top.map((m) => m.label)).toEqual([
      "Déclaration et calcul de l'impôt sur le revenu",
      'Déclaration et calcul de la taxe foncière',
      "Conséquences d'un changement de situation familiale (naissance, mariage, PACS, divorce, séparation, décès)",
      "Calcul de la taxe d'habitation, contribution à l'audiovisuel public, taxe sur les logements vacants",
      "Problème de paiement d'un impôt (IR, TH, TF...)",
      'Autre demande',
    ]);
    const subs = await sql<{ label: string }[]>`
      select m.label from motifs m join motifs p on p.id = m.parent_id where p.code = 'SIP-IR' order by m.position`;
    expect(subs.map((m) => m.label)).toEqual([
      'Autres revenus particuliers (assistance maternelle...)',
      'Investissements locatifs et revenus fonciers',
      'Première déclaration de revenus',
      'Revenus exceptionnels ou différés (départ à la retraite, licenciement...)',
      "Revenus perçus à l'étranger",
      "Autre demande sur l'impôt sur le revenu",
    ]);
    const [ir] = await sql<{ documents: string }[]>`select documents from motifs where code = 'SIP-IR'`;
    expect(ir!.documents).toMatch(/^Tous les documents pouvant être utiles .* relevé d'identité bancaire\.$/);
  });

  it('sends 58000 Nevers to SIP Nevers', async () => {
    const found = await findCompetentServices(sql, {
      postcode: '58000',
      city: 'Nevers',
      street: '19 rue camille baynac',
      kind: 'SIP',
    });
    expect(found).toHaveLength(1);
    expect(found[0]!.service).toMatchObject({
      codePrincipal: '5800450',
      codeAssocie: '058019',
      name: 'SERVICE IMPOTS PARTICULIERS NEVERS',
      postcode: '58015',
      city: 'NEVERS CEDEX',
    });
    expect(found[0]!.communes).toEqual([{ codeInsee: '58194', nom: 'Nevers' }]);
  });

  it('finds all kinds for an address, and big cities by any of their postcodes', async () => {
    const all = await findCompetentServices(sql, { postcode: '58000' });
    expect(all.map((s) => s.sectorKind)).toEqual(['SIP', 'SIE', 'CDIF']);
    for (const postcode of ['75001', '75116', '69001', '13001', '13016', '97600', '20000']) {
      const sip = await findCompetentServices(sql, { postcode, kind: 'SIP' });
      expect(sip.length, postcode).toBeGreaterThan(0);
    }
    expect(await findCompetentServices(sql, { postcode: '00000' })).toEqual([]);
  });

  it('splits Caen, Lyon and Bourges by street', async () => {
    const sipOf = async (postcode: string, street: string) => {
      const [s] = await findCompetentServices(sql, { postcode, street, kind: 'SIP' });
      return s && { code: s.service.codePrincipal, byStreet: s.byStreet };
    };
    expect(await sipOf('14000', '145 rue de la Délivrande')).toEqual({ code: '1400410', byStreet: true });
    expect(await sipOf('14000', '12 rue Saint-Jean')).toEqual({ code: '1400420', byStreet: false });
    expect(await sipOf('14000', '')).toEqual({ code: '1400420', byStreet: false });
    expect(await sipOf('69004', '10 boulevard de la Croix-Rousse')).toEqual({
      code: '6900610',
      byStreet: true,
    });
    expect(await sipOf('69007', '20 avenue Berthelot')).toEqual({ code: '6900620', byStreet: false });
    expect(await sipOf('18000', '5 rue de Lazenay')).toEqual({ code: '1800152', byStreet: true });
    expect(await sipOf('18000', '1 rue Moyenne')).toEqual({ code: '1800151', byStreet: false });
    // The rest of Caen's arrondissement goes to Caen Nord, Plaisir's carve-out to SIP Plaisir.
    expect(await sipOf('14200', '1 rue de la Paix')).toMatchObject({ code: '1400410' });
    expect(await sipOf('78370', '')).toMatchObject({ code: '7800710' });
  });

  it('finds the trésorerie of Les Aix-d’Angillon', async () => {
    const [t] = await findCompetentServices(sql, {
      postcode: '18220',
      city: "Les Aix-d'Angillon",
      kind: 'TRESORERIE',
    });
    expect(t?.service.name).toBe('TRESORERIE DES AIX D ANGILLON');
  });

  it('skips a second load of the same referential', async () => {
    const before = await referentialCounts(sql);
    const started = performance.now();
    const again = await seedReferential(sql);
    expect(performance.now() - started).toBeLessThan(500);
    expect(again).toEqual({ ...before, skipped: true });
  });
});

describe('seeding a blank database', () => {
  let db: Awaited<ReturnType<typeof scratchDatabase>>;
  beforeAll(async () => {
    db = await scratchDatabase();
    await migrate(db.sql);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('loads the referential once when two nodes start together', async () => {
    const messages: string[] = [];
    const started = performance.now();
    const [a, b] = await Promise.all([
      seedReferential(db.sql, (m) => messages.push(m)),
      seedReferential(db.sql, (m) => messages.push(m)),
    ]);
    expect(performance.now() - started).toBeLessThan(20_000);
    expect([a.skipped, b.skipped].sort()).toEqual([false, true]);
    expect(a.communes).toBe(b.communes);
    expect(messages).toHaveLength(1);
    expect((await seedReferential(db.sql)).skipped).toBe(true);
  });

  it('refuses demo data in production', async () => {
    await expect(seedDemo(db.sql, new Date(), { production: true })).rejects.toThrow(/production/);
    const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from agents`;
    expect(row!.n).toBe(0);
  });

  it('loads the demo once, with an agenda that never overlaps', async () => {
    const now = new Date('2026-03-20T10:00:00Z'); // spans the change to summer time on 29 March
    const first = await seedDemo(db.sql, now, { production: false });
    expect(first.skipped).toBe(false);
    expect(first.agents).toBe(6);
    expect(first.rdvs).toBeGreaterThanOrEqual(60);
    expect(first.rdvs).toBeLessThanOrEqual(200);
    expect(await seedDemo(db.sql, now, { production: false })).toEqual({ agents: 0, rdvs: 0, skipped: true });

    const [overlaps] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from rdvs a join rdvs b
        on a.guichet_id = b.guichet_id and a.id < b.id and a.during && b.during
      where a.active and b.active`;
    expect(overlaps!.n).toBe(0);

    // Every active rdv sits inside a plage of its guichet, in the service's local time.
    const [outside] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from rdvs r join services s on s.id = r.service_id
      where not exists (
        select 1 from plages p where p.guichet_id = r.guichet_id
          and p.weekday = extract(isodow from lower(r.during) at time zone s.time_zone)
          and (lower(r.during) at time zone s.time_zone)::time >= p.start_time
          and (upper(r.during) at time zone s.time_zone)::time <= p.end_time)`;
    expect(outside!.n).toBe(0);

    const [mix] = await db.sql<Record<string, number>[]>`
      select count(*) filter (where type = 'telephone')::int as telephone,
             count(*) filter (where status = 'annule')::int as annule,
             count(*) filter (where arrived_at is not null)::int as arrived,
             count(*) filter (where contre_appel_date is not null)::int as contre_appel,
             count(distinct canal)::int as canaux,
             count(*) filter (where upper(during) <= ${now})::int as past,
             count(*) filter (where lower(during) > ${now})::int as future,
             count(*) filter (where created_at > ${now})::int as created_later
      from rdvs`;
    expect(mix!.telephone).toBeGreaterThan(0);
    expect(mix!.annule).toBeGreaterThan(0);
    expect(mix!.arrived).toBeGreaterThan(0);
    expect(mix!.contreAppel).toBeGreaterThan(0);
    expect(mix!.canaux).toBe(3);
    expect(mix!.past).toBeGreaterThan(0);
    expect(mix!.future).toBeGreaterThan(0);
    expect(mix!.createdLater).toBe(0);

    const [nevers] = await db.sql<{ active: boolean; rdvDurationMinutes: number; guichets: string[] }[]>`
      select s.active, s.rdv_duration_minutes, array_agg(g.name order by g.position) as guichets
      from services s join guichets g on g.service_id = s.id where s.code_principal = '5800450'
      group by s.id`;
    expect(nevers).toEqual({
      active: true,
      rdvDurationMinutes: 20,
      guichets: ['Guichet principal', 'Guichet n°2', 'Guichet n°3'],
    });

    const agents = await db.sql<{ login: string; passwordHash: string; administrateur: boolean }[]>`
      select login, password_hash, administrateur from agents order by login`;
    expect(agents.map((a) => a.login)).toEqual([
      'accueil.nevers',
      'admin',
      'agent.bourges',
      'agent.nevers',
      'chef.nevers',
      'consultation.nevers',
    ]);
    expect(agents.find((a) => a.login === 'admin')!.administrateur).toBe(true);
    expect(await verifyPassword('guichet-demo', agents[0]!.passwordHash)).toBe(true);
    const [chef] = await db.sql<{ profile: string; codePrincipal: string }[]>`
      select h.profile, s.code_principal from habilitations h join agents a on a.id = h.agent_id
      join services s on s.id = h.service_id where a.login = 'chef.nevers'`;
    expect(chef).toEqual({ profile: 'chef', codePrincipal: '5800450' });
  });
});
