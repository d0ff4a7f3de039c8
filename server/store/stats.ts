import type { Db, Sql } from '../infra/db.ts';

/*
 * Statistics, computed in PostgreSQL over (service_id, lower(during)): one pass over the period's
 * rdvs per query, aggregated by week or month in each service's own time zone. No rdv is loaded
 * into Node.
 */

export type StatsScope = { serviceIds: number[]; from: string; to: string; by: 'week' | 'month'; now: Date };

export type BucketRow = {
  bucket: string;
  booked: number;
  internet: number;
  agentExterieur: number;
  agentService: number;
  physique: number;
  telephone: number;
  cancelled: number;
  cancelledContreAppel: number;
  cancelledUsager: number;
  cancelledAgent: number;
  past: number;
  honoured: number;
  contreAppels: number;
  contreAppelsSettled: number;
  bookedMinutes: number;
  leadTimeMeanDays: number | null;
  leadTimeMedianDays: number | null;
};

export type MotifRow = { motifId: number; label: string; parentLabel: string | null; booked: number };

/** The figures of the scope: by bucket (week or month), the total, and the count by motif. */
export type StatsRows = { buckets: BucketRow[]; total: BucketRow | undefined; motifs: MotifRow[] };

// The scope's rdvs — those starting on the local days [from, to] of each service — read by one
// range scan of (service_id, lower(during)) per service.
const scoped = (db: Db, s: StatsScope) => db`
  svc as (
    select s.id, s.time_zone,
           (${s.from}::date)::timestamp at time zone s.time_zone as lo,
           (${s.to}::date + 1)::timestamp at time zone s.time_zone as hi
    from services s where s.id = any(${s.serviceIds}::int[])
  ),
  r as (
    select x.canal, x.type, x.status, x.cancel_reason, x.contre_appel_date, x.contre_appel_annulation,
           x.arrived_at, x.motif_id, upper(x.during) <= ${s.now} as past,
           extract(epoch from upper(x.during) - lower(x.during)) / 60 as minutes,
           extract(epoch from lower(x.during) - x.created_at) as lead,
           (lower(x.during) at time zone svc.time_zone)::date as day
    -- "offset 0" keeps the planner from flattening the lateral into one big join, which it would
    -- answer with a scan of the table.
    from svc cross join lateral (
      select * from rdvs x where x.service_id = svc.id and lower(x.during) >= svc.lo and lower(x.during) < svc.hi offset 0
    ) x
  )`;

// Every count and sum, first by local day and motif (hashed: no sort of the rdvs), then those few
// thousand partial rows three ways at once (grouping sets): by bucket, in total, and by motif.
// The median (an ordered-set aggregate, which cannot be summed from parts) has its own query.
const statsQuery = (db: Db, s: StatsScope) => db`
  with ${scoped(db, s)},
  d as (
    select day, motif_id,
      count(*) as booked,
      count(*) filter (where canal = 'internet') as internet,
      count(*) filter (where canal = 'agentExterieur') as agent_exterieur,
      count(*) filter (where canal = 'agentService') as agent_service,
      count(*) filter (where type = 'physique') as physique,
      count(*) filter (where type = 'telephone') as telephone,
      count(*) filter (where status = 'annule') as cancelled,
      count(*) filter (where status = 'annule' and contre_appel_annulation) as cancelled_contre_appel,
      count(*) filter (where status = 'annule' and not coalesce(contre_appel_annulation, false)
                         and cancel_reason = 'usager') as cancelled_usager,
      count(*) filter (where status = 'annule' and not coalesce(contre_appel_annulation, false)
                         and cancel_reason is distinct from 'usager') as cancelled_agent,
      count(*) filter (where status = 'confirme' and past) as past,
      count(*) filter (where status = 'confirme' and past and arrived_at is not null) as honoured,
      count(*) filter (where contre_appel_date is not null) as contre_appels,
      count(*) filter (where contre_appel_annulation) as contre_appels_settled,
      sum(minutes) filter (where status = 'confirme') as booked_minutes,
      sum(lead) as lead_sum, count(lead) as lead_n
    from r group by day, motif_id
  ),
  b as (select date_trunc(${s.by}, day) as bucket, d.* from d)
  select grouping(bucket) as no_bucket, grouping(motif_id) as no_motif,
    to_char(bucket, 'YYYY-MM-DD') as bucket, motif_id,
    sum(booked)::int as booked, sum(internet)::int as internet, sum(agent_exterieur)::int as agent_exterieur,
    sum(agent_service)::int as agent_service, sum(physique)::int as physique, sum(telephone)::int as telephone,
    sum(cancelled)::int as cancelled, sum(cancelled_contre_appel)::int as cancelled_contre_appel,
    sum(cancelled_usager)::int as cancelled_usager, sum(cancelled_agent)::int as cancelled_agent,
    sum(past)::int as past, sum(honoured)::int as honoured, sum(contre_appels)::int as contre_appels,
    sum(contre_appels_settled)::int as contre_appels_settled,
    coalesce(sum(booked_minutes), 0)::float8 as booked_minutes,
    (sum(lead_sum) / nullif(sum(lead_n), 0) / 86400)::float8 as lead_time_mean_days
  from b
  group by grouping sets ((bucket), (), (motif_id))`;

// The median lead time by bucket and in total: one sort of the scope's rdvs by bucket.
const medianQuery = (db: Db, s: StatsScope) => db`
  with ${scoped(db, s)}
  select grouping(bucket) as no_bucket, to_char(bucket, 'YYYY-MM-DD') as bucket,
    (percentile_cont(0.5) within group (order by lead) / 86400)::float8 as median
  from (select date_trunc(${s.by}, day) as bucket, lead from r) m
  group by rollup (bucket)`;

type StatsLine = BucketRow & { noBucket: number; noMotif: number; motifId: number | null };

/** Every figure but the offer of the occupancy, in one query. */
export async function statsOf(sql: Sql, s: StatsScope): Promise<StatsRows> {
  type MedianLine = { noBucket: number; bucket: string | null; median: number | null };
  // Two connections, so PostgreSQL runs both at once; the median sorts the scope's lead times in
  // memory rather than on disk (an allowance for this query only).
  const [lines, medians] = await Promise.all([
    sql<StatsLine[]>`${statsQuery(sql, s)}`,
    sql.begin(async (tx) => {
      await tx`set local work_mem = '32MB'`;
      return tx<MedianLine[]>`${medianQuery(tx, s)}`;
    }) as Promise<MedianLine[]>,
  ]);
  const median = new Map(medians.map((m) => [m.noBucket ? '' : m.bucket, m.median]));
  for (const l of lines) if (l.noMotif) l.leadTimeMedianDays = median.get(l.noBucket ? '' : l.bucket) ?? null;
  const db = sql;
  const buckets = lines.filter((l) => !l.noBucket).sort((a, b) => a.bucket.localeCompare(b.bucket));
  const total = lines.find((l) => l.noBucket && l.noMotif);
  const byMotif = lines.filter((l) => l.noBucket && !l.noMotif && l.motifId !== null);
  const labels = byMotif.length
    ? await db<{ id: number; label: string; parentLabel: string | null }[]>`
        select m.id, m.label, p.label as parent_label from motifs m left join motifs p on p.id = m.parent_id
        where m.id = any(${byMotif.map((m) => m.motifId!)}::int[])`
    : [];
  const label = new Map(labels.map((l) => [l.id, l]));
  const motifs = byMotif
    .map((m) => ({
      motifId: m.motifId!,
      label: label.get(m.motifId!)?.label ?? '',
      parentLabel: label.get(m.motifId!)?.parentLabel ?? null,
      booked: m.booked,
    }))
    .sort((a, b) => b.booked - a.booked || a.label.localeCompare(b.label));
  return { buckets, total, motifs };
}

/** The plan of the statistics' query, to show which index it reads (the benchmark prints it). */
export async function explainStats(db: Db, s: StatsScope): Promise<string> {
  const rows = await db<
    Record<string, string>[]
  >`explain (analyze, costs off, timing off) ${statsQuery(db, s)}`;
  return rows.map((r) => Object.values(r)[0]).join('\n');
}
