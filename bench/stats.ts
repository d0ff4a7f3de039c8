/*
 * Statistics in `npm run bench`: one service with a year of 50,000 rdvs, and the consolidated
 * figures of 20 services, through the API, beside a bare count of the same rows; and the query
 * plan, to show the start index at work.
 */
import { randomUUID } from 'node:crypto';
import { sessionIdOf } from '../server/app/auth.ts';
import type { Guichet } from '../server/boot.ts';
import { explainStats } from '../server/store/stats.ts';
import { createService } from '../tests/helpers/fixtures.ts';
import type { BenchRow } from './agenda.ts';

const fmt = (n: number, digits = 1) => n.toFixed(digits);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** `count` rdvs over 2025 on 20 guichets, every state represented; code clashes are skipped. */
async function year(guichet: Guichet, code: string, count: number) {
  const { sql } = guichet.deps;
  const svc = await createService(sql, {
    code,
    guichets: Array.from({ length: 20 }, (_, i) => ({
      name: `G${i}`,
      plages: [1, 2, 3, 4, 5].map((d) => [d, '08:00', '18:00'] as [number, string, string]),
    })),
  });
  await sql`
    with u as (
      insert into usagers (type, civilite, nom_usage, prenoms, telephones)
      select 'particulier', 'M', 'STAT ' || i, 'Paul', array['+33612345678'] from generate_series(1, ${count}) i
      returning id),
    n as (select id, (row_number() over (order by id) - 1)::int as k from u)
    insert into rdvs (code, service_id, guichet_id, motif_id, usager_id, type, during, canal, status, cancelled_at,
                      cancel_reason, arrived_at, contre_appel_date, contre_appel_annulation, created_at)
    select chr(65 + (k / 456976) % 26) || chr(65 + (k / 17576) % 26) || chr(65 + (k / 676) % 26)
             || chr(65 + (k / 26) % 26) || chr(65 + k % 26) || chr(65 + (${Number(code) % 26}) % 26),
           ${svc.serviceId}, (${svc.guichetIds}::int[])[1 + k % 20],
           case when k % 3 = 0 then ${svc.otherMotifId}::int else ${svc.motifId}::int end, id,
           case when k % 4 = 0 then 'telephone' else 'physique' end,
           tstzrange('2025-01-01T08:00:00+01:00'::timestamptz + (k / 20) * (interval '1 day' * 365 / (${count} / 20 + 1)),
                     '2025-01-01T08:20:00+01:00'::timestamptz + (k / 20) * (interval '1 day' * 365 / (${count} / 20 + 1)), '[)'),
           (array['internet', 'agentExterieur', 'agentService'])[1 + k % 3],
           case when k % 11 = 0 then 'annule' else 'confirme' end,
           case when k % 11 = 0 then now() end,
           case when k % 11 = 0 then (array['usager', 'agent', 'contre-appel'])[1 + k % 3] end,
           case when k % 11 <> 0 and k % 5 <> 0 then now() end,
           case when k % 7 = 0 then date '2024-12-31' end,
           case when k % 7 = 0 then k % 11 = 0 end,
           '2024-12-01'::timestamptz + (k % 30) * interval '1 day'
    from n
    on conflict do nothing`;
  return svc;
}

export async function runStatsBench(
  guichet: Guichet,
  productUrl: string,
  pingUrl: string,
): Promise<{ rows: BenchRow[]; plan: string }> {
  const { sql } = guichet.deps;
  const services = [await year(guichet, '9990100', 50_000)];
  for (let i = 1; i < 20; i++) services.push(await year(guichet, String(9990100 + i), 2_500));
  const [agent] = await sql<{ id: number }[]>`
    insert into agents (login, display_name, password_hash) values (${`banc.stats.${randomUUID()}`}, 'Banc stats', 'x') returning id`;
  for (const s of services) {
    await sql`insert into habilitations (agent_id, service_id, profile) values (${agent!.id}, ${s.serviceId}, 'chef')`;
  }
  await sql`analyze rdvs`;
  const token = randomUUID();
  await sql`insert into sessions (id, agent_id, expires_at) values (${sessionIdOf(token)}, ${agent!.id}, ${new Date(Date.now() + 3_600_000)})`;
  const headers = { cookie: `guichet_session=${token}` };
  const time = async (url: string, runs = 7) => {
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      const res = await fetch(url, { headers });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${url} : ${res.status}`);
      ms.push(performance.now() - t);
    }
    return median(ms.slice(1));
  };
  const one = await time(
    `${productUrl}/api/v1/agent/services/${services[0]!.code}/stats?from=2025-01-01&to=2025-12-31&by=month`,
  );
  const all = await time(`${productUrl}/api/v1/agent/stats?from=2025-01-01&to=2025-12-31&by=month`);
  const ping = await time(`${pingUrl}/ping`);
  const bare = async (ids: number[]) => {
    const ms: number[] = [];
    for (let i = 0; i < 7; i++) {
      const t = performance.now();
      await sql`select count(*) from rdvs where service_id = any(${ids}::int[])
                and lower(during) >= '2025-01-01T00:00:00+01:00' and lower(during) < '2026-01-01T00:00:00+01:00'`;
      ms.push(performance.now() - t);
    }
    return median(ms.slice(1));
  };
  const [count] = await sql<
    { n: number }[]
  >`select count(*)::int as n from rdvs where service_id = ${services[0]!.serviceId}`;
  const [total] = await sql<{ n: number }[]>`
    select count(*)::int as n from rdvs where service_id = any(${services.map((s) => s.serviceId)}::int[])`;
  const plan = await explainStats(sql, {
    serviceIds: services.map((s) => s.serviceId),
    from: '2025-01-01',
    to: '2025-12-31',
    by: 'month',
    now: new Date(),
  });
  const indexes = [...new Set([...plan.matchAll(/using (\w+)/gi)].map((m) => m[1]))].join(', ');
  const bareOne = await bare([services[0]!.serviceId]);
  const bareAll = await bare(services.map((s) => s.serviceId));
  const rows = [
    {
      what: `stats, 1 service, a year of ${count!.n.toLocaleString('en')} rdvs, by month, via the API — ms (vs a bare count)`,
      value: fmt(one, 1),
      baseline: fmt(bareOne, 1),
      ratio: fmt(one / bareOne, 1),
    },
    {
      what: `stats consolidated, 20 services (the one above and 19 of 2,500), a year of ${total!.n.toLocaleString('en')} rdvs — ms (index: ${indexes || 'none'})`,
      value: fmt(all, 1),
      baseline: fmt(bareAll, 1),
      ratio: fmt(all / bareAll, 1),
    },
    { what: 'trivial route, same HTTP stack — ms', value: fmt(ping, 2), baseline: '—', ratio: '—' },
  ];
  return { rows, plan };
}
