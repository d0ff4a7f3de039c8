import type {
  Busy,
  Canal,
  Fermeture,
  Guichet,
  HolidayCalendar,
  Interval,
  Plage,
  ServiceRules,
} from '../domain/index.ts';
import type { Db } from '../infra/db.ts';

/** Who the office is, as a booking answer and its emails show it. */
export type ServiceIdentity = {
  name: string;
  street: string;
  postcode: string;
  city: string;
  phone: string | null;
  email: string | null;
};

export type ServiceOffer = {
  serviceId: number;
  serviceCode: string;
  active: boolean;
  rules: ServiceRules;
  guichets: Guichet[];
  identity: ServiceIdentity;
};

/**
 * One guichet as the store reads it, for the offer (json built in SQL) and for the configuration
 * screens (plain columns): both go through the driver's camel transform, so one shape serves both.
 */
export type GuichetRow = {
  id: number;
  name: string;
  open: boolean;
  allowsPhysique: boolean;
  allowsTelephone: boolean;
  bookableInternet: boolean;
  bookableAgentExterieur: boolean;
  bookableAgentService: boolean;
  motifIds: number[];
  plages: {
    weekday: number;
    start: string;
    end: string;
    validFrom: string | null;
    validTo: string | null;
  }[];
};

/**
 * A service's bookable configuration (guichets, plages, motifs) in one round trip. The driver's
 * camel transform also renames the keys inside json values, so the json keys are written camelCase
 * here (a snake_case key would come back renamed and read as undefined: validity ignored).
 */
export async function loadServiceOffer(db: Db, codePrincipal: string): Promise<ServiceOffer | undefined> {
  const [service] = await db<
    ({
      id: number;
      codePrincipal: string;
      active: boolean;
      timeZone: string;
      holidayCalendar: string;
      rdvDurationMinutes: number;
      guichets: GuichetRow[];
    } & ServiceIdentity)[]
  >`
    select s.id, s.code_principal, s.active, s.time_zone, s.holiday_calendar, s.rdv_duration_minutes,
      s.name, s.street, s.postcode, s.city, s.phone, s.email,
      coalesce((
        select json_agg(json_build_object(
          'id', g.id, 'name', g.name, 'open', g.open,
          'allowsPhysique', g.allows_physique, 'allowsTelephone', g.allows_telephone,
          'bookableInternet', g.bookable_internet, 'bookableAgentExterieur', g.bookable_agent_exterieur,
          'bookableAgentService', g.bookable_agent_service,
          'motifIds', coalesce((select array_agg(gm.motif_id) from guichet_motifs gm where gm.guichet_id = g.id), '{}'),
          'plages', coalesce((select json_agg(json_build_object(
              'weekday', p.weekday, 'start', to_char(p.start_time, 'HH24:MI'), 'end', to_char(p.end_time, 'HH24:MI'),
              'validFrom', p.valid_from, 'validTo', p.valid_to)) from plages p where p.guichet_id = g.id), '[]')
        ) order by g.position, g.id) from guichets g where g.service_id = s.id), '[]') as guichets
    from services s where s.code_principal = ${codePrincipal}`;
  if (!service) return undefined;
  return {
    serviceId: service.id,
    serviceCode: service.codePrincipal,
    active: service.active,
    rules: {
      timeZone: service.timeZone,
      holidayCalendar: service.holidayCalendar as HolidayCalendar,
      durationMinutes: service.rdvDurationMinutes,
    },
    guichets: service.guichets.map(toGuichet),
    identity: {
      name: service.name,
      street: service.street,
      postcode: service.postcode,
      city: service.city,
      phone: service.phone,
      email: service.email,
    },
  };
}

function toGuichet(g: GuichetRow): Guichet {
  const bookableBy: Canal[] = [];
  if (g.bookableInternet) bookableBy.push('internet');
  if (g.bookableAgentExterieur) bookableBy.push('agentExterieur');
  if (g.bookableAgentService) bookableBy.push('agentService');
  return {
    id: g.id,
    name: g.name,
    open: g.open,
    allowsPhysique: g.allowsPhysique,
    allowsTelephone: g.allowsTelephone,
    bookableBy,
    motifIds: g.motifIds,
    plages: g.plages.map(
      (p): Plage => ({
        weekday: p.weekday as Plage['weekday'],
        start: p.start,
        end: p.end,
        validFrom: p.validFrom,
        validTo: p.validTo,
      }),
    ),
  };
}

/**
 * Active rdvs (with their id) and fermetures of a service that meet [range.start, range.end), in
 * one statement: each listing and each booking asks for both.
 */
export async function loadOccupation(
  db: Db,
  serviceId: number,
  range: Interval,
): Promise<{ busy: (Busy & { rdvId: number })[]; fermetures: Fermeture[] }> {
  const from = new Date(range.start);
  const to = new Date(range.end);
  const rows = await db<{ rdvId: number | null; guichetId: number | null; start: number; end: number }[]>`
    select id::int as rdv_id, guichet_id, (extract(epoch from lower(during)) * 1000)::float8 as start,
           (extract(epoch from upper(during)) * 1000)::float8 as "end"
    from rdvs
    where service_id = ${serviceId} and active and during && tstzrange(${from}, ${to}, '[)')
    union all
    select null, guichet_id, (extract(epoch from lower(during)) * 1000)::float8,
           (extract(epoch from upper(during)) * 1000)::float8
    from fermetures
    where service_id = ${serviceId} and during && tstzrange(${from}, ${to}, '[)')`;
  const busy: (Busy & { rdvId: number })[] = [];
  const fermetures: Fermeture[] = [];
  for (const r of rows) {
    if (r.rdvId === null) fermetures.push({ guichetId: r.guichetId, start: r.start, end: r.end });
    else busy.push({ rdvId: r.rdvId, guichetId: r.guichetId as number, start: r.start, end: r.end });
  }
  return { busy, fermetures };
}

export type MotifInfo = {
  id: number;
  label: string;
  parentId: number | null;
  parentLabel: string | null;
  documents: string;
};

export async function findMotif(db: Db, id: number): Promise<MotifInfo | undefined> {
  const [m] = await db<MotifInfo[]>`
    select m.id, m.label, m.parent_id, p.label as parent_label,
           coalesce(nullif(m.documents, ''), p.documents, '') as documents
    from motifs m left join motifs p on p.id = m.parent_id
    where m.id = ${id}`;
  return m;
}
