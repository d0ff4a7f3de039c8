import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRdvCode } from '../../server/domain/rdv-code.ts';
import { fixedClock } from '../../server/infra/clock.ts';
import { createAgent, signIn } from '../helpers/agents.ts';
import { startTestServer, type TestServer } from '../helpers/app.ts';
import { createService, type ServiceFixture } from '../helpers/fixtures.ts';

const clock = fixedClock(new Date('2026-12-03T09:00:00+01:00'));
let server: TestServer;
let svc: ServiceFixture;
let second: ServiceFixture;
type Client = Awaited<ReturnType<typeof signIn>>;
let me: Client;
let agentId: number;

/** Inserts rdvs straight in the table (the list reads them; how they were booked is not the point). */
async function seedRdvs(
  s: ServiceFixture,
  day: string,
  rows: { time: string; nom: string; prenoms?: string; status?: 'annule'; contreAppel?: string }[],
) {
  const sql = server.deps.sql;
  for (const r of rows) {
    const start = new Date(`${day}T${r.time}:00+01:00`);
    const [u] = await sql<{ id: number }[]>`
      insert into usagers (type, civilite, nom_usage, prenoms, telephones)
      values ('particulier', 'MME', ${r.nom}, ${r.prenoms ?? 'Christelle'}, ${['+33612345678']}::text[]) returning id`;
    await sql`
      insert into rdvs (code, service_id, guichet_id, motif_id, usager_id, type, during, canal, status, cancelled_at, contre_appel_date)
      values (${generateRdvCode()}, ${s.serviceId}, ${s.guichetIds[0]!}, ${s.motifId}, ${u!.id}, 'physique',
              tstzrange(${start}, ${new Date(start.getTime() + 20 * 60_000)}, '[)'), 'internet',
              ${r.status ?? 'confirme'}, ${r.status ? start : null}, ${r.contreAppel ?? null})`;
  }
}

beforeAll(async () => {
  server = await startTestServer({ clock });
  svc = await createService(server.deps.sql, { code: '9840001' });
  second = await createService(server.deps.sql, { code: '9840002' });
  const agent = await createAgent(server.deps.sql, {
    on: [
      { serviceId: svc.serviceId, profile: 'agent' },
      { serviceId: second.serviceId, profile: 'consultation' },
    ],
  });
  agentId = agent.id;
  me = await signIn(server, agent.login);
  const times = Array.from(
    { length: 10 },
    (_, i) => `${String(8 + Math.floor(i / 3)).padStart(2, '0')}:${String((i % 3) * 20).padStart(2, '0')}`,
  );
  await seedRdvs(
    svc,
    '2026-12-07',
    times.map((time, i) => ({ time, nom: `USAGER${i}` })),
  );
  await seedRdvs(second, '2026-12-08', [
    { time: '09:20', nom: 'REY' },
    { time: '10:00', nom: '=HYPERLINK("http://x")', prenoms: '+33 cmd' },
    { time: '10:20', nom: 'ÉLODIE-ŒUVRE', status: 'annule', contreAppel: '2026-12-03' },
  ]);
});
afterAll(() => server.close());

const list = (query: string) => me.get(`/api/v1/agent/rdvs?${query}`);

describe('Liste des RDV', () => {
  it('covers every service of the dashboard, sorted by date and time, with the reference’s columns', async () => {
    const res = await list('from=2026-12-07&to=2026-12-08&limit=50');
    expect(res.status).toBe(200);
    const { items, total, nextCursor } = await res.json();
    expect(total).toBe(13);
    expect(nextCursor).toBeUndefined();
    expect(items.map((i: { start: string }) => i.start)).toEqual(
      [...items.map((i: { start: string }) => i.start)].sort(),
    );
    expect(items[10]).toMatchObject({
      service: { code: second.code, name: `SERVICE DE TEST ${second.code}` },
      date: '2026-12-08',
      horaires: '09:20 - 09:40',
      usager: 'REY CHRISTELLE',
      typeLabel: 'RDV guichet physique',
      guichet: 'Guichet principal',
      etat: 'Non arrivé',
      arrived: false,
    });
    expect(items[12]).toMatchObject({ etat: 'Annulé', contreAppelDate: '2026-12-03' });
  });

  it('filters by service and by state', async () => {
    const one = await (await list(`from=2026-12-07&to=2026-12-08&service=${second.code}&limit=50`)).json();
    expect(one.total).toBe(3);
    const cancelled = await (await list('from=2026-12-07&to=2026-12-08&state=annule&limit=50')).json();
    expect(cancelled.items.map((i: { etat: string }) => i.etat)).toEqual(['Annulé']);
  });

  it('pages by keyset: no row skipped nor repeated while rdvs are inserted between pages', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let page = 0;
    do {
      const res = await list(`from=2026-12-07&to=2026-12-07&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      const body = await res.json();
      seen.push(...body.items.map((i: { start: string; usager: string }) => `${i.start} ${i.usager}`));
      cursor = body.nextCursor;
      // Someone books meanwhile: one before what was read, one after.
      if (page === 0) {
        await seedRdvs(svc, '2026-12-07', [
          { time: '07:00', nom: 'AVANT' },
          { time: '12:00', nom: 'APRES' },
        ]);
      }
      page++;
    } while (cursor && page < 20);
    expect(new Set(seen).size).toBe(seen.length); // nothing repeated
    const names = seen.map((s) => s.split(' ')[1]);
    for (let i = 0; i < 10; i++) expect(names).toContain(`USAGER${i}`); // nothing skipped
    expect(names).toContain('APRES'); // added after the reading point: seen
    expect(names).not.toContain('AVANT'); // added before it: not seen again, nor does it shift the rest
  });

  it('pages by keyset through rdvs that start at the same time, and one added at the cursor’s own time', async () => {
    // Five guichets, so that several confirmed rdvs share a start: the id breaks the ties.
    const sql = server.deps.sql;
    const ties = await createService(sql, {
      code: '9840005',
      guichets: Array.from({ length: 5 }, (_, i) => ({ name: `G${i}`, plages: [] })),
    });
    await sql`insert into habilitations (agent_id, service_id, profile) values (${agentId}, ${ties.serviceId}, 'agent')`;
    const [u] = await sql<{ id: number }[]>`
      insert into usagers (type, civilite, nom_usage, prenoms, telephones)
      values ('particulier', 'M', 'EGAL', 'Paul', ${['+33612345678']}::text[]) returning id`;
    const add = async (time: string, guichet: number) => {
      const start = new Date(`2026-12-09T${time}:00+01:00`);
      const [row] = await sql<{ id: number }[]>`
        insert into rdvs (code, service_id, guichet_id, motif_id, usager_id, type, during, canal)
        values (${generateRdvCode()}, ${ties.serviceId}, ${ties.guichetIds[guichet]!}, ${ties.motifId}, ${u!.id},
                'physique', tstzrange(${start}, ${new Date(start.getTime() + 20 * 60_000)}, '[)'), 'internet')
        returning id::int`;
      return `${time} ${row!.id}`;
    };
    const expected = [await add('09:40', 0)];
    for (let g = 0; g < 4; g++) expected.push(await add('10:00', g));
    expected.push(await add('10:20', 0));

    const seen: string[] = [];
    let cursor: string | undefined;
    let page = 0;
    do {
      const res = await list(
        `from=2026-12-09&to=2026-12-09&service=${ties.code}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      const body = await res.json();
      seen.push(
        ...body.items.map((i: { horaires: string; id: number }) => `${i.horaires.slice(0, 5)} ${i.id}`),
      );
      cursor = body.nextCursor;
      // The first page ended on the first 10:00 rdv: another one at 10:00 is booked meanwhile.
      if (page === 0) {
        expect(seen.at(-1)).toBe(expected[1]);
        expected.splice(5, 0, await add('10:00', 4));
      }
      page++;
    } while (cursor && page < 10);
    // Every rdv once, in (start, id) order, the one added at the cursor's time included.
    expect(seen).toEqual(expected);
  });

  it('filters on arrival: arrive and non-arrive, in the list as in the export', async () => {
    const sql = server.deps.sql;
    await sql`
      update rdvs r set arrived_at = lower(r.during) from usagers u
      where u.id = r.usager_id and r.service_id = ${svc.serviceId} and u.nom_usage in ('USAGER1', 'USAGER4')`;
    type Item = { usager: string; etat: string; status: string; arrived: boolean };
    const items = async (state?: string) => {
      const q = `from=2026-12-07&to=2026-12-08&limit=50${state ? `&state=${state}` : ''}`;
      return (await (await list(q)).json()).items as Item[];
    };
    const names = (rows: Item[]) => rows.map((i) => `${i.usager.split(' ')[0]} ${i.etat}`);
    expect(names(await items('arrive'))).toEqual(['USAGER1 Arrivé', 'USAGER4 Arrivé']);
    // Every confirmed rdv not flagged, and neither the flagged nor the cancelled ones.
    const all = await items();
    const waiting = names(await items('non-arrive'));
    expect(waiting).toEqual(names(all.filter((i) => i.status === 'confirme' && !i.arrived)));
    expect(waiting).toContain('USAGER0 Non arrivé');
    expect(waiting).not.toContain('USAGER1 Arrivé');
    expect(all.some((i) => i.etat === 'Annulé')).toBe(true);
    expect(waiting.some((e) => e.endsWith('Annulé'))).toBe(false);
    const csv = await me.get(`/api/v1/agent/rdvs.csv?from=2026-12-07&to=2026-12-08&state=arrive`);
    const rows = parse(new TextDecoder().decode(new Uint8Array(await csv.arrayBuffer()).slice(3)), {
      delimiter: ';',
    }) as string[][];
    expect(rows.slice(1).map((r) => [r[3], r[7]])).toEqual([
      ['USAGER1 CHRISTELLE', 'Arrivé'],
      ['USAGER4 CHRISTELLE', 'Arrivé'],
    ]);
  });

  it('refuses a service outside the zone (403) and a bad cursor (422), in French', async () => {
    const outside = await createService(server.deps.sql, { code: '9840003' });
    const res = await list(`from=2026-12-07&to=2026-12-08&service=${outside.code}`);
    expect(res.status).toBe(403);
    expect((await res.json()).detail).toMatch(/zone de compétence/);
    const bad = await list('from=2026-12-07&to=2026-12-08&cursor=nimportequoi');
    expect(bad.status).toBe(422);
    expect((await bad.json()).detail).toMatch(/Curseur/);
  });
});

describe('Exporter la liste en csv', () => {
  it('is UTF-8 with BOM, “;”-separated, French dates and accents, formula cells escaped, and audited', async () => {
    const res = await me.get(`/api/v1/agent/rdvs.csv?from=2026-12-08&to=2026-12-08&service=${second.code}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="rdv_${second.code}_20261208-20261208.csv"`,
    );
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    expect(text).toContain('\r\n');
    const rows = parse(text, { delimiter: ';' }) as string[][];
    expect(rows[0]).toEqual([
      'Service',
      'Date',
      'Horaires',
      'Usager',
      'Type de RDV',
      'Guichet',
      'Date du contre-appel',
      'Etat du RDV',
      'Code du RDV',
    ]);
    expect(rows[1]!.slice(0, 6)).toEqual([
      'SERVICE DE TEST 9840002',
      '08/12/2026',
      '09:20 - 09:40',
      'REY CHRISTELLE',
      'RDV guichet physique',
      'Guichet principal',
    ]);
    // The usager cell began with "=": a spreadsheet would run it; a leading quote neutralises it.
    expect(rows[2]![3]).toBe(`'=HYPERLINK("HTTP://X") +33 CMD`);
    expect(rows[3]!.slice(3, 8)).toEqual([
      'ÉLODIE-ŒUVRE CHRISTELLE',
      'RDV guichet physique',
      'Guichet principal',
      '03/12/2026',
      'Annulé',
    ]);
    const [audit] = await server.deps.sql<{ details: Record<string, unknown> }[]>`
      select details from audit_log where agent_id = ${agentId} and action = 'rdv.export-csv' order by id desc limit 1`;
    expect(audit!.details).toMatchObject({
      du: '2026-12-08',
      au: '2026-12-08',
      service: second.code,
      lignes: 3,
      complet: true,
    });
  });
});
