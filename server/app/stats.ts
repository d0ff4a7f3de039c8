import {
  daysBetween,
  formatDay,
  isLocalDate,
  localDate,
  offeredMinutesByDay,
  parseDay,
} from '../domain/index.ts';
import { type AgentService, listDashboardServices } from '../store/agenda.ts';
import { loadFermetures, loadGuichetConfigs } from '../store/config.ts';
import { type BucketRow, type StatsScope, statsOf } from '../store/stats.ts';
import { may, serviceFor } from './agent-access.ts';
import type { SignedInAgent } from './auth.ts';
import type { Deps } from './deps.ts';
import { AppError } from './errors.ts';
import { asDomain } from './pilotage.ts';

/*
 * "Voir les statistiques" (one service) and "Statistiques consolidées" (the dashboard's services):
 * booked by canal and type, by motif, honoured and not, cancellations by origin, contre-appels
 * and those that settled the question, occupancy, lead time, no-show rate. Counted in SQL; the
 * offered minutes of the occupancy come from the plages and fermetures (the configuration, not
 * the rdvs) through the domain's opening rules.
 */

const MAX_DAYS = 400;

export type Figures = {
  booked: {
    total: number;
    internet: number;
    agentExterieur: number;
    agentService: number;
    physique: number;
    telephone: number;
  };
  /** Past confirmed rdvs: arrived, or not (no-show). */
  honoured: number;
  notArrived: number;
  noShowRate: number | null;
  cancelled: { total: number; contreAppel: number; agent: number; usager: number };
  contreAppels: { made: number; settled: number; settledShare: number | null };
  occupancy: { bookedMinutes: number; offeredMinutes: number; rate: number | null };
  leadTimeDays: { mean: number | null; median: number | null };
};

export type Stats = {
  from: string;
  to: string;
  by: 'week' | 'month';
  services: { code: string; name: string }[];
  buckets: (Figures & { start: string; label: string })[];
  total: Figures;
  motifs: { id: number; label: string; parent: string | null; booked: number }[];
};

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : null);
const round = (n: number | null) => (n === null ? null : Math.round(n * 100) / 100);

function figures(r: BucketRow | undefined, offeredMinutes: number): Figures {
  const z = (n: number | undefined) => n ?? 0;
  const past = z(r?.past);
  const honoured = z(r?.honoured);
  return {
    booked: {
      total: z(r?.booked),
      internet: z(r?.internet),
      agentExterieur: z(r?.agentExterieur),
      agentService: z(r?.agentService),
      physique: z(r?.physique),
      telephone: z(r?.telephone),
    },
    honoured,
    notArrived: past - honoured,
    noShowRate: ratio(past - honoured, past),
    cancelled: {
      total: z(r?.cancelled),
      contreAppel: z(r?.cancelledContreAppel),
      agent: z(r?.cancelledAgent),
      usager: z(r?.cancelledUsager),
    },
    contreAppels: {
      made: z(r?.contreAppels),
      settled: z(r?.contreAppelsSettled),
      settledShare: ratio(z(r?.contreAppelsSettled), z(r?.contreAppels)),
    },
    occupancy: {
      bookedMinutes: Math.round(z(r?.bookedMinutes)),
      offeredMinutes: Math.round(offeredMinutes),
      rate: ratio(z(r?.bookedMinutes), offeredMinutes),
    },
    leadTimeDays: { mean: round(r?.leadTimeMeanDays ?? null), median: round(r?.leadTimeMedianDays ?? null) },
  };
}

/** The local day that starts a service day's week (Monday) or month, as PostgreSQL's date_trunc. */
function bucketOf(day: string, by: 'week' | 'month'): string {
  if (by === 'month') return `${day.slice(0, 7)}-01`;
  const n = parseDay(day);
  const weekday = ((((n % 7) + 10) % 7) + 1) as number; // 1970-01-01 was a Thursday
  const monday = n - (weekday - 1);
  return localDate(monday * 86_400_000, 'UTC');
}

/** Minutes offered by the open guichets' plages, minus fermetures, by bucket. */
async function offeredMinutes(deps: Pick<Deps, 'sql'>, services: AgentService[], scope: StatsScope) {
  const out = new Map<string, number>();
  const fromDay = parseDay(scope.from);
  const toDay = parseDay(scope.to);
  const since = new Date(Date.parse(`${scope.from}T00:00:00Z`) - 86_400_000);
  // Every service's configuration at once: read one service after another, the consolidated
  // figures of 20 services waited on 40 round trips in a row, longer than their whole SQL.
  const configs = await Promise.all(
    services.map((s) =>
      Promise.all([loadGuichetConfigs(deps.sql, s.id), loadFermetures(deps.sql, s.id, since)]),
    ),
  );
  services.forEach((s, k) => {
    const [guichets, fermetures] = configs[k]!;
    const rules = {
      timeZone: s.timeZone,
      holidayCalendar: s.holidayCalendar,
      durationMinutes: s.rdvDurationMinutes,
    };
    for (const [day, minutes] of offeredMinutesByDay(
      rules,
      guichets.map(asDomain),
      fermetures,
      fromDay,
      toDay,
    )) {
      const bucket = bucketOf(formatDay(day), scope.by);
      out.set(bucket, (out.get(bucket) ?? 0) + minutes);
    }
  });
  return out;
}

const MONTHS = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
];

function label(bucket: string, by: 'week' | 'month'): string {
  if (by === 'month') return `${MONTHS[Number(bucket.slice(5, 7)) - 1]} ${bucket.slice(0, 4)}`;
  return `semaine du ${bucket.slice(8, 10)}/${bucket.slice(5, 7)}/${bucket.slice(0, 4)}`;
}

/** Every bucket of the period, in order, empty ones included (a chart must not skip a week). */
function bucketsOf(from: string, to: string, by: 'week' | 'month'): string[] {
  const out: string[] = [];
  for (let d = parseDay(from); d <= parseDay(to); d++) {
    const b = bucketOf(localDate(d * 86_400_000, 'UTC'), by);
    if (out[out.length - 1] !== b) out.push(b);
  }
  return out;
}

type Period = { from: string; to: string; by: 'week' | 'month' };
/** How figures are read: `shared` lets the charts of one page share one computation. */
export type Reading = { shared?: boolean };

/**
 * A statistics page draws nine charts, each an image that asks for the same figures: with
 * `shared`, one computation of a scope and period serves this node's requests for a few seconds
 * (who may read them is checked before, on every request). The JSON and CSV always compute anew.
 */
const SHARED_MS = 15_000;
const sharedByDb = new WeakMap<object, Map<string, { at: number; stats: Promise<Stats> }>>();

function compute(
  deps: Pick<Deps, 'sql' | 'clock'>,
  services: AgentService[],
  q: Period,
  reading: Reading,
): Promise<Stats> {
  if (!reading.shared) return computeNow(deps, services, q);
  const shared = sharedByDb.get(deps.sql) ?? new Map();
  sharedByDb.set(deps.sql, shared);
  const now = Date.now(); // real time on purpose: a cache lifetime, not a business date
  for (const [k, v] of shared) if (now - v.at >= SHARED_MS) shared.delete(k);
  const key = `${services.map((s) => s.id).join(',')}|${q.from}|${q.to}|${q.by}`;
  const hit = shared.get(key);
  if (hit) return hit.stats;
  const stats = computeNow(deps, services, q);
  shared.set(key, { at: now, stats });
  stats.catch(() => shared.delete(key));
  return stats;
}

async function computeNow(
  deps: Pick<Deps, 'sql' | 'clock'>,
  services: AgentService[],
  q: Period,
): Promise<Stats> {
  const scope: StatsScope = { serviceIds: services.map((s) => s.id), ...q, now: deps.clock.now() };
  const [{ buckets: rows, total, motifs }, offered] = await Promise.all([
    services.length
      ? statsOf(deps.sql, scope)
      : Promise.resolve({ buckets: [], total: undefined, motifs: [] }),
    offeredMinutes(deps, services, scope),
  ]);
  const byBucket = new Map(rows.map((r) => [r.bucket, r]));
  const buckets = bucketsOf(q.from, q.to, q.by);
  const allOffered = [...offered.values()].reduce((a, b) => a + b, 0);
  return {
    ...q,
    services: services.map((s) => ({ code: s.codePrincipal, name: s.name })),
    buckets: buckets.map((b) => ({
      start: b,
      label: label(b, q.by),
      ...figures(byBucket.get(b), offered.get(b) ?? 0),
    })),
    total: figures(total, allOffered),
    motifs: motifs.map((m) => ({ id: m.motifId, label: m.label, parent: m.parentLabel, booked: m.booked })),
  };
}

function checkPeriod(q: { from: string; to: string }) {
  if (!isLocalDate(q.from) || !isLocalDate(q.to) || q.to < q.from) {
    throw new AppError(
      'VALIDATION_FAILED',
      'Période invalide : la date de fin doit suivre la date de début.',
      {
        errors: [{ field: 'to', message: 'doit suivre from' }],
      },
    );
  }
  if (daysBetween(q.from, q.to) > MAX_DAYS) {
    throw new AppError('VALIDATION_FAILED', 'Les statistiques couvrent 400 jours au plus.', {
      errors: [{ field: 'to', message: '400 jours au plus' }],
    });
  }
}

export async function serviceStats(
  deps: Pick<Deps, 'sql' | 'clock'>,
  agent: SignedInAgent,
  code: string,
  q: Period,
  reading: Reading = {},
): Promise<Stats> {
  checkPeriod(q);
  const { service } = await serviceFor(deps, agent, 'service.stats', code);
  return compute(deps, [service], q, reading);
}

/** "Statistiques consolidées": the dashboard's services whose statistics this agent may read. */
export async function consolidatedStats(
  deps: Pick<Deps, 'sql' | 'clock'>,
  agent: SignedInAgent,
  q: Period,
  reading: Reading = {},
): Promise<Stats> {
  checkPeriod(q);
  const c = agent.context;
  const services = await listDashboardServices(
    deps.sql,
    c.administrateur ? 'active' : [...c.habilitations.keys()],
  );
  const readable = services.filter((s) => may(agent, 'service.stats', s));
  return compute(deps, readable, q, reading);
}
