import type { Canal, HolidayCalendar, Plage, RdvType } from '../domain/index.ts';
import type { PlacedRdv } from '../domain/offer-changes.ts';
import type { Db, Tx } from '../infra/db.ts';
import type { GuichetRow } from './offer.ts';

/** A service's settings as its head of office edits them. */
export type ServiceSettings = {
  active: boolean;
  durationMinutes: number;
  holidayCalendar: HolidayCalendar;
  selfCancellation: boolean;
};

export type GuichetConfig = {
  id: number;
  name: string;
  open: boolean;
  types: RdvType[];
  bookableBy: Canal[];
  motifIds: number[];
  plages: Plage[];
};

export type FermetureConfig = {
  id: number;
  guichetId: number | null;
  start: number;
  end: number;
  reason: string;
};

/** What a change of the offer reads of the service's own settings. */
export type ServiceState = {
  active: boolean;
  durationMinutes: number;
  holidayCalendar: HolidayCalendar;
  timeZone: string;
};

/**
 * Serialises the changes of one service's configuration (two heads saving at once) and holds off
 * its new rdvs meanwhile (an rdv's insert checks its service's row, FOR KEY SHARE, which waits on
 * this lock); returns the settings as they are under the lock.
 */
export async function lockServiceConfig(tx: Tx, serviceId: number): Promise<ServiceState> {
  const [row] = await tx<ServiceState[]>`
    select active, rdv_duration_minutes as duration_minutes, holiday_calendar, time_zone
    from services where id = ${serviceId} for update`;
  return row!;
}

export async function loadGuichetConfigs(db: Db, serviceId: number): Promise<GuichetConfig[]> {
  const rows = await db<GuichetRow[]>`
    select g.id, g.name, g.open, g.allows_physique, g.allows_telephone, g.bookable_internet,
           g.bookable_agent_exterieur, g.bookable_agent_service,
           coalesce((select array_agg(gm.motif_id order by gm.motif_id) from guichet_motifs gm where gm.guichet_id = g.id), '{}') as motif_ids,
           coalesce((select json_agg(json_build_object('weekday', p.weekday, 'start', to_char(p.start_time, 'HH24:MI'),
                       'end', to_char(p.end_time, 'HH24:MI'), 'validFrom', p.valid_from, 'validTo', p.valid_to)
                       order by p.weekday, p.start_time) from plages p where p.guichet_id = g.id), '[]') as plages
    from guichets g where g.service_id = ${serviceId} order by g.position, g.id`;
  return rows.map((g) => ({
    id: g.id,
    name: g.name,
    open: g.open,
    types: [
      ...(g.allowsPhysique ? ['physique' as const] : []),
      ...(g.allowsTelephone ? ['telephone' as const] : []),
    ],
    bookableBy: [
      ...(g.bookableInternet ? ['internet' as const] : []),
      ...(g.bookableAgentExterieur ? ['agentExterieur' as const] : []),
      ...(g.bookableAgentService ? ['agentService' as const] : []),
    ],
    motifIds: g.motifIds,
    plages: g.plages.map((p) => ({ ...p, weekday: p.weekday as Plage['weekday'] })),
  }));
}

export async function loadFermetures(db: Db, serviceId: number, from: Date): Promise<FermetureConfig[]> {
  return db<FermetureConfig[]>`
    select id, guichet_id, (extract(epoch from lower(during)) * 1000)::float8 as start,
           (extract(epoch from upper(during)) * 1000)::float8 as "end", reason
    from fermetures where service_id = ${serviceId} and upper(during) > ${from} order by lower(during)`;
}

export async function updateServiceSettings(tx: Tx, serviceId: number, s: ServiceSettings): Promise<void> {
  await tx`
    update services set active = ${s.active}, rdv_duration_minutes = ${s.durationMinutes},
           holiday_calendar = ${s.holidayCalendar}, self_cancellation = ${s.selfCancellation}, updated_at = now()
    where id = ${serviceId}`;
}

type GuichetFields = Omit<GuichetConfig, 'id' | 'plages'>;

const columns = (g: GuichetFields) => ({
  name: g.name,
  open: g.open,
  allows_physique: g.types.includes('physique'),
  allows_telephone: g.types.includes('telephone'),
  bookable_internet: g.bookableBy.includes('internet'),
  bookable_agent_exterieur: g.bookableBy.includes('agentExterieur'),
  bookable_agent_service: g.bookableBy.includes('agentService'),
});

export async function insertGuichet(tx: Tx, serviceId: number, g: GuichetFields): Promise<number> {
  const [row] = await tx<{ id: number }[]>`
    insert into guichets ${tx({ service_id: serviceId, ...columns(g), position: 1000 })}
    returning id`;
  await tx`update guichets set position = id where id = ${row!.id}`;
  await replaceGuichetMotifs(tx, row!.id, g.motifIds);
  return row!.id;
}

export async function updateGuichet(tx: Tx, guichetId: number, g: GuichetFields): Promise<void> {
  await tx`update guichets set ${tx(columns(g))} where id = ${guichetId}`;
  await replaceGuichetMotifs(tx, guichetId, g.motifIds);
}

async function replaceGuichetMotifs(tx: Tx, guichetId: number, motifIds: readonly number[]): Promise<void> {
  await tx`delete from guichet_motifs where guichet_id = ${guichetId}`;
  if (motifIds.length === 0) return;
  await tx`
    insert into guichet_motifs (guichet_id, motif_id)
    select ${guichetId}, unnest(${[...motifIds]}::int[]) on conflict do nothing`;
}

export async function replacePlages(tx: Tx, guichetId: number, plages: readonly Plage[]): Promise<void> {
  await tx`delete from plages where guichet_id = ${guichetId}`;
  if (plages.length === 0) return;
  await tx`
    insert into plages (guichet_id, weekday, start_time, end_time, valid_from, valid_to)
    select ${guichetId}, t.wd, t.s, t.e, t.vf, t.vt
    from unnest(${plages.map((p) => p.weekday)}::int[], ${plages.map((p) => p.start)}::time[],
                ${plages.map((p) => p.end)}::time[], ${plages.map((p) => p.validFrom ?? null)}::date[],
                ${plages.map((p) => p.validTo ?? null)}::date[]) as t(wd, s, e, vf, vt)`;
}

export async function insertFermeture(
  tx: Tx,
  f: { serviceId: number; guichetId: number | null; start: number; end: number; reason: string },
): Promise<number> {
  const [row] = await tx<{ id: number }[]>`
    insert into fermetures (service_id, guichet_id, during, reason)
    values (${f.serviceId}, ${f.guichetId}, tstzrange(${new Date(f.start)}, ${new Date(f.end)}, '[)'), ${f.reason})
    returning id`;
  return row!.id;
}

export async function fermetureExists(db: Db, serviceId: number, id: number): Promise<boolean> {
  const rows = await db`select 1 from fermetures where id = ${id} and service_id = ${serviceId}`;
  return rows.length > 0;
}

export async function deleteFermeture(tx: Tx, serviceId: number, id: number): Promise<boolean> {
  const rows = await tx`delete from fermetures where id = ${id} and service_id = ${serviceId} returning id`;
  return rows.length > 0;
}

/** The future active rdvs of a service (or of one guichet), what a change of the offer may touch. */
export type FutureRdv = PlacedRdv & { code: string; motifId: number; nom: string; prenoms: string };

export async function futureRdvs(
  db: Db,
  serviceId: number,
  now: Date,
  guichetId?: number,
): Promise<FutureRdv[]> {
  return db<FutureRdv[]>`
    select r.id::int as id, r.code, r.guichet_id, r.type, r.motif_id, u.nom_usage as nom, u.prenoms,
           (extract(epoch from lower(r.during)) * 1000)::float8 as start,
           (extract(epoch from upper(r.during)) * 1000)::float8 as "end"
    from rdvs r join usagers u on u.id = r.usager_id
    where r.service_id = ${serviceId} and r.active and lower(r.during) > ${now}
      ${guichetId === undefined ? db`` : db`and r.guichet_id = ${guichetId}`}
    order by lower(r.during), r.id`;
}
