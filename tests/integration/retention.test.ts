import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retentionTick } from '../../server/app/retention.ts';
import { generateRdvCode } from '../../server/domain/rdv-code.ts';
import { fixedClock } from '../../server/infra/clock.ts';
import { createAgent, signIn } from '../helpers/agents.ts';
import { startTestServer, type TestServer } from '../helpers/app.ts';
import { createService, type ServiceFixture } from '../helpers/fixtures.ts';

// 3 December 2026, 12 months of retention: rdvs that ended before 3 December 2025 are old.
const clock = fixedClock(new Date('2026-12-03T04:00:00+01:00'));
let a: TestServer;
let b: TestServer;
let svc: ServiceFixture;
const ids: Record<string, number> = {};

async function rdv(
  label: string,
  start: string,
  usager: { nom: string; spi?: string; siren?: string; email?: string },
) {
  const sql = a.deps.sql;
  const [u] = await sql<{ id: number }[]>`
    insert into usagers (type, civilite, nom_usage, prenoms, telephones, email, numero_fiscal, siren, raison_sociale, date_naissance)
    values (${usager.siren ? 'professionnel' : 'particulier'}, 'MME', ${usager.nom}, 'Léonie', ${['+33687654321']}::text[],
            ${usager.email ?? null}, ${usager.spi ?? null}, ${usager.siren ?? null}, ${usager.siren ? 'ATELIER LÉONIE' : null}, '1980-05-04')
    returning id`;
  const s = new Date(start);
  const [r] = await sql<{ id: number }[]>`
    insert into rdvs (code, service_id, guichet_id, motif_id, usager_id, type, during, canal, precisions,
                      contre_appel_date, contre_appel_comment, contre_appel_annulation, arrived_at, created_at)
    values (${generateRdvCode()}, ${svc.serviceId}, ${svc.guichetIds[0]!}, ${svc.motifId}, ${u!.id}, 'physique',
            tstzrange(${s}, ${new Date(s.getTime() + 20 * 60_000)}, '[)'), 'internet', 'Héritage de ma tante Léonie',
            ${start.slice(0, 10)}, 'Rappelée au 06 87 65 43 21', false, ${s}, ${new Date(s.getTime() - 3 * 86_400_000)})
    returning id::int as id`;
  ids[label] = r!.id;
  await sql`insert into audit_log (at, actor, action, service_id, rdv_id, after)
            values (${new Date(s.getTime() - 3 * 86_400_000)}, 'agent', 'rdv.cree', ${svc.serviceId}, ${r!.id}, ${sql.json({ start } as never)})`;
}

beforeAll(async () => {
  a = await startTestServer({ clock });
  b = await startTestServer({ clock });
  svc = await createService(a.deps.sql, { code: '9890001' });
  await rdv('old', '2025-10-14T09:00:00+02:00', {
    nom: 'VIEILLEDATE',
    spi: '3000000000011',
    email: 'leonie@example.org',
  });
  await rdv('oldPro', '2025-11-20T09:00:00+01:00', { nom: 'ENTREPRISE', siren: '732829320' });
  await rdv('recent', '2026-11-10T09:00:00+01:00', {
    nom: 'RECENTE',
    spi: '3000000000012',
    email: 'recente@example.org',
  });
});
afterAll(async () => {
  await a.close();
  await b.close();
});

const statsOf = async (client: Awaited<ReturnType<typeof signIn>>) =>
  (
    await (
      await client.get(`/api/v1/agent/services/${svc.code}/stats?from=2025-10-01&to=2026-11-30&by=month`)
    ).json()
  ).total;

describe('the retention job', () => {
  it('anonymises the usagers of old rdvs and their free texts, keeps recent ones, and the statistics stay equal', async () => {
    const chef = await signIn(
      a,
      (await createAgent(a.deps.sql, { on: [{ serviceId: svc.serviceId, profile: 'chef' }] })).login,
    );
    const before = await statsOf(chef);
    const counts = await a.guichet.runRetention();
    expect(counts.usagers).toBe(2);
    const rows = await a.deps.sql<Record<string, unknown>[]>`
      select u.nom_usage, u.prenoms, u.telephones, u.email, u.numero_fiscal, u.siren, u.raison_sociale, u.date_naissance,
             r.precisions, r.contre_appel_comment, r.id::int as id
      from rdvs r join usagers u on u.id = r.usager_id where r.id = any(${[ids.old!, ids.oldPro!, ids.recent!]}::bigint[]) order by r.id`;
    const [old, pro, recent] = rows;
    for (const r of [old!, pro!]) {
      expect(r).toMatchObject({
        nomUsage: 'ANONYME',
        prenoms: '',
        email: null,
        numeroFiscal: null,
        siren: null,
        raisonSociale: null,
        dateNaissance: null,
      });
      expect(r.telephones).toEqual(['']);
      expect(r.precisions).toBe('');
      expect(r.contreAppelComment).toBe('');
      expect(JSON.stringify(r)).not.toMatch(
        /VIEILLEDATE|ENTREPRISE|Léonie|LÉONIE|87 65|87654321|example\.org|3000000000011|732829320/,
      );
    }
    expect(recent).toMatchObject({
      nomUsage: 'RECENTE',
      email: 'recente@example.org',
      numeroFiscal: '3000000000012',
    });
    const [audit] = await a.deps.sql<
      { after: unknown }[]
    >`select after from audit_log where rdv_id = ${ids.old!}`;
    expect(audit!.after).toBeNull();
    expect(await statsOf(chef)).toEqual(before);
    // A second run finds nothing more to do.
    expect((await a.guichet.runRetention()).usagers).toBe(0);
  });

  it('runs once across nodes: of two nodes ticking together, one does the night’s work', async () => {
    const [x, y] = await Promise.all([retentionTick(a.deps), retentionTick(b.deps)]);
    expect([x, y].filter((r) => r !== false)).toHaveLength(1);
    // Until tomorrow night, nobody runs it again.
    expect(await retentionTick(a.deps)).toBe(false);
    expect(await retentionTick(b.deps)).toBe(false);
    const [job] = await a.deps.sql<
      { nextRunAt: Date }[]
    >`select next_run_at from jobs where name = 'retention'`;
    expect(job!.nextRunAt.toISOString()).toBe('2026-12-04T02:30:00.000Z'); // 03:30 in Paris
  });
});
