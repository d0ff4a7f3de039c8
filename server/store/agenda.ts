import type { HolidayCalendar, Interval, Usager } from '../domain/index.ts';
import type { Db, Tx } from '../infra/db.ts';

/** A service as the agents' space needs it: identity, rules, and what the habilitations look at. */
export type AgentService = {
  id: number;
  codePrincipal: string;
  codeAssocie: string | null;
  kind: string;
  name: string;
  postcode: string;
  city: string;
  timeZone: string;
  holidayCalendar: HolidayCalendar;
  rdvDurationMinutes: number;
  active: boolean;
  /**
   * The service takes rdvs and at least one open guichet is bookable by agents extérieurs au
   * service (an inactive one offers nothing, whatever its guichets say).
   */
  bookableByAgentsExterieurs: boolean;
};

const SERVICE_COLUMNS = (db: Db) => db`
  s.id, s.code_principal, s.code_associe, s.kind, s.name, s.postcode, s.city, s.time_zone,
  s.holiday_calendar, s.rdv_duration_minutes, s.active,
  s.active and exists (select 1 from guichets g
                       where g.service_id = s.id and g.open and g.bookable_agent_exterieur)
    as bookable_by_agents_exterieurs`;

export async function findAgentService(db: Db, code: string): Promise<AgentService | undefined> {
  const [row] = await db<
    AgentService[]
  >`select ${SERVICE_COLUMNS(db)} from services s where s.code_principal = ${code}`;
  return row;
}

/**
 * The services of a dashboard: those of the agent's habilitations; for an administrateur, every
 * service that takes rdvs (the 776 offices of the network would drown the page).
 */
export async function listDashboardServices(db: Db, codes: string[] | 'active'): Promise<AgentService[]> {
  if (codes === 'active') {
    return db<AgentService[]>`
      select ${SERVICE_COLUMNS(db)} from services s where s.active order by s.name`;
  }
  return db<AgentService[]>`
    select ${SERVICE_COLUMNS(db)} from services s where s.code_principal = any(${codes}::text[]) order by s.name`;
}

/** One rdv of the agenda, as the API answers it and as agent events carry it. */
export type AgendaRdvRow = {
  id: number;
  code: string;
  serviceCode: string;
  guichetId: number;
  motifId: number;
  motifLabel: string;
  motifParentLabel: string | null;
  type: 'physique' | 'telephone';
  status: 'confirme' | 'annule';
  canal: 'internet' | 'agentExterieur' | 'agentService';
  start: number;
  end: number;
  arrivedAt: Date | null;
  contreAppelDate: string | null;
  contreAppelAnnulation: boolean | null;
  cancelReason: string | null;
  usager: Usager;
};

const RDV_SELECT = (db: Db) => db`
  r.id::int as id, r.code, s.code_principal as service_code, r.guichet_id, r.motif_id,
  m.label as motif_label, p.label as motif_parent_label, r.type, r.status, r.canal,
  (extract(epoch from lower(r.during)) * 1000)::float8 as start,
  (extract(epoch from upper(r.during)) * 1000)::float8 as "end",
  r.arrived_at, to_char(r.contre_appel_date, 'YYYY-MM-DD') as contre_appel_date,
  r.contre_appel_annulation, r.cancel_reason,
  json_build_object('type', u.type, 'civilite', u.civilite, 'nomUsage', u.nom_usage,
    'nomNaissance', u.nom_naissance, 'prenoms', u.prenoms, 'dateNaissance', u.date_naissance,
    'numeroFiscal', u.numero_fiscal, 'siren', u.siren, 'raisonSociale', u.raison_sociale,
    'telephones', u.telephones, 'rappel', u.rappel, 'email', u.email) as usager`;

const RDV_FROM = (db: Db) => db`
  rdvs r
  join services s on s.id = r.service_id
  join usagers u on u.id = r.usager_id
  join motifs m on m.id = r.motif_id
  left join motifs p on p.id = m.parent_id`;

/** Every rdv of a service meeting [range.start, range.end), cancelled ones included, by start. */
export async function listAgendaRdvs(db: Db, serviceId: number, range: Interval): Promise<AgendaRdvRow[]> {
  return db<AgendaRdvRow[]>`
    select ${RDV_SELECT(db)} from ${RDV_FROM(db)}
    where r.service_id = ${serviceId} and r.during && tstzrange(${new Date(range.start)}, ${new Date(range.end)}, '[)')
    order by lower(r.during), r.guichet_id`;
}

export async function findAgendaRdv(db: Db, rdvId: number): Promise<AgendaRdvRow | undefined> {
  const [row] = await db<AgendaRdvRow[]>`select ${RDV_SELECT(db)} from ${RDV_FROM(db)} where r.id = ${rdvId}`;
  return row;
}

/** What the fiche RDV adds to the agenda row. */
export type RdvFicheRow = AgendaRdvRow & {
  serviceId: number;
  guichetName: string;
  precisions: string;
  contreAppelComment: string | null;
  cancelledAt: Date | null;
  createdAt: Date;
  createdBy: string | null;
};

export async function findRdvFiche(db: Db, rdvId: number): Promise<RdvFicheRow | undefined> {
  const [row] = await db<RdvFicheRow[]>`
    select ${RDV_SELECT(db)}, r.service_id, g.name as guichet_name, r.precisions, r.contre_appel_comment,
           r.cancelled_at, r.created_at, a.display_name as created_by
    from ${RDV_FROM(db)}
    join guichets g on g.id = r.guichet_id
    left join agents a on a.id = r.created_by_agent_id
    where r.id = ${rdvId}`;
  return row;
}

export type HistoryRow = {
  at: Date;
  action: string;
  actor: 'usager' | 'agent' | 'system';
  agentName: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  details: Record<string, unknown>;
};

/** The rdv's audit lines, oldest first: its history on the fiche. */
export async function rdvHistory(db: Db, rdvId: number): Promise<HistoryRow[]> {
  return db<HistoryRow[]>`
    select l.at, l.action, l.actor, a.display_name as agent_name, l.before, l.after, l.details
    from audit_log l left join agents a on a.id = l.agent_id
    where l.rdv_id = ${rdvId} order by l.at, l.id`;
}

/** The rdv as a change needs it, locked until the transaction ends. */
export type LockedRdv = {
  id: number;
  code: string;
  serviceId: number;
  serviceCode: string;
  guichetId: number;
  motifId: number;
  type: 'physique' | 'telephone';
  status: 'confirme' | 'annule';
  start: number;
  end: number;
  arrivedAt: Date | null;
  usagerEmail: string | null;
};

export async function lockAgentRdv(tx: Tx, rdvId: number): Promise<LockedRdv | undefined> {
  const [row] = await tx<LockedRdv[]>`
    select r.id::int as id, r.code, r.service_id, s.code_principal as service_code, r.guichet_id, r.motif_id,
           r.type, r.status, (extract(epoch from lower(r.during)) * 1000)::float8 as start,
           (extract(epoch from upper(r.during)) * 1000)::float8 as "end", r.arrived_at, u.email as usager_email
    from rdvs r join services s on s.id = r.service_id join usagers u on u.id = r.usager_id
    where r.id = ${rdvId}
    for update of r`;
  return row;
}

export async function setArrival(tx: Tx, rdvId: number, arrivedAt: Date | null, now: Date): Promise<void> {
  await tx`update rdvs set arrived_at = ${arrivedAt}, updated_at = ${now} where id = ${rdvId}`;
}

export async function recordContreAppel(
  tx: Tx,
  rdvId: number,
  c: { date: string; comment: string; cancel: boolean },
  now: Date,
): Promise<void> {
  await tx`
    update rdvs set contre_appel_date = ${c.date}, contre_appel_comment = ${c.comment},
                    contre_appel_annulation = ${c.cancel}, updated_at = ${now}
    where id = ${rdvId}`;
}

/**
 * Moves the rdv if it is still confirmed (false when it was cancelled meanwhile); the exclusion
 * constraint refuses an overlap (23P01).
 */
export async function moveRdv(
  tx: Tx,
  rdvId: number,
  to: { guichetId: number; motifId: number; type: 'physique' | 'telephone'; start: Date; end: Date },
  now: Date,
): Promise<boolean> {
  const rows = await tx`
    update rdvs set guichet_id = ${to.guichetId}, motif_id = ${to.motifId}, type = ${to.type},
                    during = tstzrange(${to.start}, ${to.end}, '[)'), arrived_at = null, updated_at = ${now}
    where id = ${rdvId} and status = 'confirme'
    returning id`;
  return rows.length > 0;
}

/** How many times the rdv was replanned: numbers the notice emails, which are sent once each. */
export async function countReplans(tx: Db, rdvId: number): Promise<number> {
  const [row] = await tx<{ n: number }[]>`
    select count(*)::int as n from audit_log where rdv_id = ${rdvId} and action = 'rdv.replanifie'`;
  return row!.n;
}

/**
 * The usager known by this numéro fiscal or SIREN, as last recorded in one of `serviceIds`
 * ("Rechercher l'utilisateur par son identifiant"): agents see only the usagers of their zone.
 */
export async function findKnownUsager(
  db: Db,
  id: { numeroFiscal?: string | undefined; siren?: string | undefined },
  serviceIds: number[] | 'all',
): Promise<Usager | undefined> {
  const all = serviceIds === 'all';
  const ids = all ? [] : serviceIds;
  const [row] = await db<Usager[]>`
    select u.type, u.civilite, u.nom_usage, u.nom_naissance, u.prenoms, u.date_naissance, u.numero_fiscal,
           u.siren, u.raison_sociale, u.telephones, u.rappel, u.email
    from usagers u join rdvs r on r.usager_id = u.id
    where ${id.numeroFiscal ? db`u.numero_fiscal = ${id.numeroFiscal}` : db`u.siren = ${id.siren ?? ''}`}
      and (${all} or r.service_id = any(${ids}::int[]))
    order by u.created_at desc limit 1`;
  return row;
}

export type FermetureRow = {
  id: number;
  guichetId: number | null;
  start: number;
  end: number;
  reason: string;
};

/** The fermetures of a service meeting [range.start, range.end), with their reason. */
export async function listFermetures(db: Db, serviceId: number, range: Interval): Promise<FermetureRow[]> {
  return db<FermetureRow[]>`
    select id, guichet_id, (extract(epoch from lower(during)) * 1000)::float8 as start,
           (extract(epoch from upper(during)) * 1000)::float8 as "end", reason
    from fermetures
    where service_id = ${serviceId} and during && tstzrange(${new Date(range.start)}, ${new Date(range.end)}, '[)')
    order by lower(during)`;
}

export type MotifChoice = { id: number; label: string; parentLabel: string | null };

/** The motifs an agent may choose for this kind of service: the leaves of the national list. */
export async function listServiceMotifs(db: Db, serviceKind: string): Promise<MotifChoice[]> {
  return db<MotifChoice[]>`
    select m.id, m.label, p.label as parent_label
    from motifs m left join motifs p on p.id = m.parent_id
    where m.service_kind = ${serviceKind} and m.active
      and not exists (select 1 from motifs c where c.parent_id = m.id and c.active)
    order by coalesce(p.position, m.position), m.position, m.id`;
}

/** A service by its code associé (CODIQUE, 6 digits). */
export async function findAgentServiceByCodique(db: Db, codique: string): Promise<AgentService | undefined> {
  const [row] = await db<
    AgentService[]
  >`select ${SERVICE_COLUMNS(db)} from services s where s.code_associe = ${codique}`;
  return row;
}
