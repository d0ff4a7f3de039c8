import type { Canal, HolidayCalendar, Interval, RdvType } from '../domain/types.ts';
import type { Db } from '../infra/db.ts';

/*
 * SQL of the demonstration data set. What to write is decided with the seed data (seedDemo);
 * these functions only write it, and read what a reload must not collide with.
 */

export interface DemoServiceRow {
  id: number;
  codePrincipal: string;
  kind: string;
  timeZone: string;
  holidayCalendar: HolidayCalendar;
}

export async function findServicesByCode(db: Db, codes: readonly string[]): Promise<DemoServiceRow[]> {
  return db<DemoServiceRow[]>`
    select id, code_principal, kind, time_zone, holiday_calendar from services
    where code_principal = any(${codes}::text[])`;
}

export interface AgentUpsert {
  login: string;
  displayName: string;
  email: string;
  passwordHash: string;
  administrateur: boolean;
}

/** Creates or refreshes (and reactivates) the agent of that login; answers its id. */
export async function upsertAgent(db: Db, a: AgentUpsert): Promise<number> {
  const [row] = await db<{ id: number }[]>`
    insert into agents (login, display_name, email, password_hash, administrateur)
    values (${a.login}, ${a.displayName}, ${a.email}, ${a.passwordHash}, ${a.administrateur})
    on conflict (login) do update set display_name = excluded.display_name, email = excluded.email,
      administrateur = excluded.administrateur, active = true
    returning id`;
  return row!.id;
}

export async function upsertHabilitation(
  db: Db,
  agentId: number,
  serviceId: number,
  profile: 'chef' | 'agent' | 'consultation',
): Promise<void> {
  await db`
    insert into habilitations (agent_id, service_id, profile)
    values (${agentId}, ${serviceId}, ${profile})
    on conflict (agent_id, service_id) do update set profile = excluded.profile`;
}

/** Opens the service to rdvs with that slot duration. */
export async function activateService(db: Db, serviceId: number, durationMinutes: number): Promise<void> {
  await db`update services set active = true, rdv_duration_minutes = ${durationMinutes}, updated_at = now()
           where id = ${serviceId}`;
}

/** Active motifs of a kind of office, in id order; `leaf` when no active motif is under it. */
export async function listActiveMotifs(
  db: Db,
  serviceKind: string,
): Promise<{ id: number; code: string; leaf: boolean }[]> {
  return db<{ id: number; code: string; leaf: boolean }[]>`
    select m.id, m.code, not exists (select 1 from motifs c where c.parent_id = m.id and c.active) as leaf
    from motifs m where m.service_kind = ${serviceKind} and m.active order by m.id`;
}

export interface GuichetUpsert {
  serviceId: number;
  name: string;
  position: number;
  /** A closed guichet shows in the agenda but takes no rdv (default open). */
  open?: boolean;
  types: readonly RdvType[];
  bookableBy: readonly Canal[];
  /** Replace the guichet's plages. */
  plages: readonly { weekday: number; start: string; end: string }[];
  /** Added to the motifs it offers. */
  motifIds: readonly number[];
}

/** Creates or updates the guichet of that name in the service, with its plages and motifs; answers its id. */
export async function upsertGuichet(db: Db, g: GuichetUpsert): Promise<number> {
  const [row] = await db<{ id: number }[]>`
    insert into guichets (service_id, name, open, allows_physique, allows_telephone, bookable_internet,
                          bookable_agent_exterieur, bookable_agent_service, position)
    values (${g.serviceId}, ${g.name}, ${g.open ?? true}, ${g.types.includes('physique')}, ${g.types.includes('telephone')},
            ${g.bookableBy.includes('internet')}, ${g.bookableBy.includes('agentExterieur')},
            ${g.bookableBy.includes('agentService')}, ${g.position})
    on conflict (service_id, name) do update set open = excluded.open, allows_physique = excluded.allows_physique,
      allows_telephone = excluded.allows_telephone, bookable_internet = excluded.bookable_internet,
      bookable_agent_exterieur = excluded.bookable_agent_exterieur,
      bookable_agent_service = excluded.bookable_agent_service, position = excluded.position
    returning id`;
  const guichetId = row!.id;
  await db`delete from plages where guichet_id = ${guichetId}`;
  await db`
    insert into plages (guichet_id, weekday, start_time, end_time)
    select ${guichetId}, t.wd, t.s, t.e
    from unnest(${g.plages.map((p) => p.weekday)}::int[], ${g.plages.map((p) => p.start)}::time[],
                ${g.plages.map((p) => p.end)}::time[]) as t(wd, s, e)`;
  await db`
    insert into guichet_motifs (guichet_id, motif_id)
    select ${guichetId}, unnest(${g.motifIds}::int[])
    on conflict do nothing`;
  return guichetId;
}

/** Active rdvs of these guichets that meet [from, to), by guichet. */
export async function activeIntervals(
  db: Db,
  guichetIds: readonly number[],
  from: Date,
  to: Date,
): Promise<Map<number, Interval[]>> {
  const rows = await db<{ guichetId: number; start: Date; end: Date }[]>`
    select guichet_id, lower(during) as start, upper(during) as end from rdvs
    where active and guichet_id = any(${guichetIds}::int[])
      and during && tstzrange(${from}, ${to})`;
  const busy = new Map<number, Interval[]>();
  for (const r of rows) {
    const list = busy.get(r.guichetId) ?? [];
    list.push({ start: r.start.getTime(), end: r.end.getTime() });
    busy.set(r.guichetId, list);
  }
  return busy;
}

/** Codes of the active rdvs: a new rdv must not reuse one. */
export async function activeRdvCodes(db: Db): Promise<Set<string>> {
  return new Set((await db<{ code: string }[]>`select code from rdvs where active`).map((r) => r.code));
}

export interface UsagerInsert {
  type: 'particulier' | 'professionnel';
  civilite: 'M' | 'MME';
  nomUsage: string;
  nomNaissance: string | null;
  prenoms: string;
  dateNaissance: string | null;
  numeroFiscal: string | null;
  siren: string | null;
  raisonSociale: string | null;
  telephones: string[];
  rappel: string[];
  email: string | null;
}

/** Inserts the usagers one by one; answers their ids in the same order. */
export async function insertUsagers(db: Db, usagers: readonly UsagerInsert[]): Promise<number[]> {
  const ids: number[] = [];
  for (const u of usagers) {
    const [row] = await db<{ id: string }[]>`
      insert into usagers (type, civilite, nom_usage, nom_naissance, prenoms, date_naissance, numero_fiscal, siren,
                           raison_sociale, telephones, rappel, email)
      values (${u.type}, ${u.civilite}, ${u.nomUsage}, ${u.nomNaissance}, ${u.prenoms}, ${u.dateNaissance},
              ${u.numeroFiscal}, ${u.siren}, ${u.raisonSociale}, ${u.telephones}::text[], ${u.rappel}::text[], ${u.email})
      returning id`;
    ids.push(Number(row!.id));
  }
  return ids;
}

export interface RdvInsert {
  code: string;
  serviceId: number;
  guichetId: number;
  motifId: number;
  usagerId: number;
  type: RdvType;
  start: number;
  end: number;
  canal: Canal;
  status: 'confirme' | 'annule';
  precisions: string;
  arrivedAt: number | null;
  contreAppelDate: string | null;
  contreAppelComment: string | null;
  contreAppelAnnulation: boolean | null;
  cancelledAt: number | null;
  cancelReason: string | null;
  createdBy: number | null;
  createdAt: number;
}

/** Inserts rdvs as they are given (past ones with their history), in one statement. */
export async function insertRdvs(db: Db, rdvs: readonly RdvInsert[]): Promise<void> {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  // postgres.js types an array parameter after its first element: nullable booleans and integers
  // travel as text and are cast back in SQL.
  const text = (v: boolean | number | null) => (v === null ? null : String(v));
  await db`
    insert into rdvs (code, service_id, guichet_id, motif_id, usager_id, type, during, canal, status, precisions,
                      arrived_at, contre_appel_date, contre_appel_comment, contre_appel_annulation, cancelled_at,
                      cancel_reason, created_by_agent_id, created_at, updated_at)
    select t.code, t.service_id, t.guichet_id, t.motif_id, t.usager_id, t.type, tstzrange(t.s, t.e, '[)'), t.canal,
           t.status, t.precisions, t.arrived_at, t.ca_date, t.ca_comment, t.ca_annulation::boolean, t.cancelled_at,
           t.cancel_reason, t.created_by::int, t.created_at, coalesce(t.cancelled_at, t.created_at)
    from unnest(
      ${rdvs.map((d) => d.code)}::text[], ${rdvs.map((d) => d.serviceId)}::int[],
      ${rdvs.map((d) => d.guichetId)}::int[], ${rdvs.map((d) => d.motifId)}::int[],
      ${rdvs.map((d) => d.usagerId)}::bigint[], ${rdvs.map((d) => d.type)}::text[],
      ${rdvs.map((d) => iso(d.start))}::timestamptz[], ${rdvs.map((d) => iso(d.end))}::timestamptz[],
      ${rdvs.map((d) => d.canal)}::text[], ${rdvs.map((d) => d.status)}::text[],
      ${rdvs.map((d) => d.precisions)}::text[], ${rdvs.map((d) => iso(d.arrivedAt))}::timestamptz[],
      ${rdvs.map((d) => d.contreAppelDate)}::date[], ${rdvs.map((d) => d.contreAppelComment)}::text[],
      ${rdvs.map((d) => text(d.contreAppelAnnulation))}::text[], ${rdvs.map((d) => iso(d.cancelledAt))}::timestamptz[],
      ${rdvs.map((d) => d.cancelReason)}::text[], ${rdvs.map((d) => text(d.createdBy))}::text[],
      ${rdvs.map((d) => iso(d.createdAt))}::timestamptz[]
    ) as t(code, service_id, guichet_id, motif_id, usager_id, type, s, e, canal, status, precisions, arrived_at,
           ca_date, ca_comment, ca_annulation, cancelled_at, cancel_reason, created_by, created_at)`;
}
