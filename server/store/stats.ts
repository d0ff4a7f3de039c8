import type { Db } from '../infra/db.ts';

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

// The rdvs of the scope: start on the local days [from, to] of each service.
const scoped = (db: Db, s: StatsScope) => db`
  with svc as (
    select s.id, s.time_zone,
           (${s.from}::date)::timestamp at time zone s.time_zone as lo,
           (${s.to}::date + 1)::timestamp at time zone s.time_zone as hi
    from services s where s.id = any(${s.serviceIds}::int[])
  ),
  r as (
    select r.*, svc.time_zone,
           to_char(date_trunc(${s.by}, lower(r.during) at time zone svc.time_zone), 'YYYY-MM-DD') as bucket
    from svc join rdvs r on r.service_id = svc.id and lower(r.during) >= svc.lo and lower(r.during) < svc.hi
  )`;

/** One row per week or month (and the whole period when `total`), every figure but occupancy's offer. */
export async function statsByBucket(db: Db, s: StatsScope, total = false): Promise<BucketRow[]> {
  return db<BucketRow[]>`
    ${scoped(db, s)}
    select ${total ? db`'total'` : db`bucket`} as bucket,
      count(*)::int as booked,
      count(*) filter (where canal = 'internet')::int as internet,
      count(*) filter (where canal = 'agentExterieur')::int as agent_exterieur,
      count(*) filter (where canal = 'agentService')::int as agent_service,
      count(*) filter (where type = 'physique')::int as physique,
      count(*) filter (where type = 'telephone')::int as telephone,
      count(*) filter (where status = 'annule')::int as cancelled,
      count(*) filter (where status = 'annule' and contre_appel_annulation)::int as cancelled_contre_appel,
      count(*) filter (where status = 'annule' and not coalesce(contre_appel_annulation, false)
                         and cancel_reason = 'usager')::int as cancelled_usager,
      count(*) filter (where status = 'annule' and not coalesce(contre_appel_annulation, false)
                         and cancel_reason is distinct from 'usager')::int as cancelled_agent,
      count(*) filter (where status = 'confirme' and upper(during) <= ${s.now})::int as past,
      count(*) filter (where status = 'confirme' and upper(during) <= ${s.now} and arrived_at is not null)::int as honoured,
      count(*) filter (where contre_appel_date is not null)::int as contre_appels,
      count(*) filter (where contre_appel_annulation)::int as contre_appels_settled,
      coalesce(sum(extract(epoch from upper(during) - lower(during)) / 60) filter (where status = 'confirme'), 0)::float8
        as booked_minutes,
      (avg(extract(epoch from lower(during) - created_at)) / 86400)::float8 as lead_time_mean_days,
      (percentile_cont(0.5) within group (order by extract(epoch from lower(during) - created_at)) / 86400)::float8
        as lead_time_median_days
    from r
    ${total ? db`` : db`group by bucket order by bucket`}`;
}

export type MotifRow = { motifId: number; label: string; parentLabel: string | null; booked: number };

export async function statsByMotif(db: Db, s: StatsScope): Promise<MotifRow[]> {
  return db<MotifRow[]>`
    ${scoped(db, s)}
    select m.id as motif_id, m.label, p.label as parent_label, count(*)::int as booked
    from r join motifs m on m.id = r.motif_id left join motifs p on p.id = m.parent_id
    group by m.id, m.label, p.label order by booked desc, m.label`;
}

/** The plain text of the query plan, to show which indexes the statistics use (the benchmark prints it). */
export async function explainStats(db: Db, s: StatsScope): Promise<string> {
  const rows = await db.unsafe(
    `explain (analyze, buffers off, costs off, timing off)
     with svc as (
       select s.id, s.time_zone,
              ($1::date)::timestamp at time zone s.time_zone as lo,
              ($2::date + 1)::timestamp at time zone s.time_zone as hi
       from services s where s.id = any($3::int[]))
     select count(*) from svc join rdvs r on r.service_id = svc.id and lower(r.during) >= svc.lo and lower(r.during) < svc.hi`,
    [s.from, s.to, s.serviceIds],
  );
  return (rows as unknown as Record<string, string>[]).map((r) => Object.values(r)[0]).join('\n');
}
