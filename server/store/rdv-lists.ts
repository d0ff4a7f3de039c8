import type { Db, Sql } from '../infra/db.ts';

/** What "Etat du RDV" filters on. */
export type RdvStateFilter = 'confirme' | 'annule' | 'arrive' | 'non-arrive';

/** The rdvs of some services whose start falls on the local days [from, to] of each service. */
export type ListFilter = {
  serviceIds: number[];
  /** YYYY-MM-DD, in each service's own time zone. */
  from: string;
  to: string;
  state?: RdvStateFilter | undefined;
};

/** One line of "Liste des RDV" (and of its CSV export). */
export type ListRow = {
  id: number;
  code: string;
  serviceId: number;
  serviceCode: string;
  serviceName: string;
  timeZone: string;
  start: number;
  end: number;
  type: 'physique' | 'telephone';
  status: 'confirme' | 'annule';
  guichetName: string;
  civilite: 'M' | 'MME';
  nomUsage: string;
  prenoms: string;
  raisonSociale: string | null;
  contreAppelDate: string | null;
  arrivedAt: Date | null;
  canal: 'internet' | 'agentExterieur' | 'agentService';
};

/** The keyset of the list: rows are sorted by start, then id. */
export type ListKey = { start: number; id: number };

function stateClause(db: Db, state: RdvStateFilter | undefined) {
  switch (state) {
    case 'confirme':
      return db`and r.status = 'confirme'`;
    case 'annule':
      return db`and r.status = 'annule'`;
    case 'arrive':
      return db`and r.status = 'confirme' and r.arrived_at is not null`;
    case 'non-arrive':
      return db`and r.status = 'confirme' and r.arrived_at is null`;
    default:
      return db``;
  }
}

// Each service's local days as instants, computed once per service so that the rdvs are read
// through (service_id, lower(during), id) on every one of them.
const bounds = (db: Db, f: ListFilter) => db`
  with svc as (
    select s.id, s.code_principal, s.name, s.time_zone,
           (${f.from}::date)::timestamp at time zone s.time_zone as lo,
           (${f.to}::date + 1)::timestamp at time zone s.time_zone as hi
    from services s where s.id = any(${f.serviceIds}::int[])
  )`;

const LIST_COLUMNS = (db: Db) => db`
  r.id::int as id, r.code, svc.id as service_id, svc.code_principal as service_code, svc.name as service_name, svc.time_zone,
  (extract(epoch from lower(r.during)) * 1000)::float8 as start,
  (extract(epoch from upper(r.during)) * 1000)::float8 as "end",
  r.type, r.status, g.name as guichet_name, u.civilite, u.nom_usage, u.prenoms, u.raison_sociale,
  to_char(r.contre_appel_date, 'YYYY-MM-DD') as contre_appel_date, r.arrived_at, r.canal`;

const LIST_FROM = (db: Db, f: ListFilter) => db`
  svc join rdvs r on r.service_id = svc.id and lower(r.during) >= svc.lo and lower(r.during) < svc.hi
  join usagers u on u.id = r.usager_id
  join guichets g on g.id = r.guichet_id
  where true ${stateClause(db, f.state)}`;

/** One page of the list after `after` (exclusive): no row skipped nor repeated while rdvs are added. */
export async function listRdvPage(
  db: Db,
  f: ListFilter,
  after: ListKey | null,
  limit: number,
): Promise<ListRow[]> {
  const keyset = after ? db`and (lower(r.during), r.id) > (${new Date(after.start)}, ${after.id})` : db``;
  return db<ListRow[]>`
    ${bounds(db, f)}
    select ${LIST_COLUMNS(db)} from ${LIST_FROM(db, f)} ${keyset}
    order by lower(r.during), r.id
    limit ${limit}`;
}

export async function countRdvs(db: Db, f: ListFilter): Promise<number> {
  const [row] = await db<
    { n: number }[]
  >`${bounds(db, f)} select count(*)::int as n from ${LIST_FROM(db, f)}`;
  return row!.n;
}

/**
 * The audit line of a CSV export, written before its first byte: an export that cannot be
 * audited does not leave. Its row count and outcome are filled in when it ends.
 */
export async function insertExportAudit(
  db: Db,
  e: { agentId: number; details: Record<string, unknown> },
): Promise<number> {
  const [row] = await db<{ id: number }[]>`
    insert into audit_log (actor, agent_id, action, details)
    values ('agent', ${e.agentId}, 'rdv.export-csv', ${db.json(e.details as never)})
    returning id::int`;
  return row!.id;
}

/** How an export ended: rows sent, whether it reached the end, and why not. */
export async function finishExportAudit(
  db: Db,
  id: number,
  outcome: { lignes: number; complet: boolean; interruption?: string },
): Promise<void> {
  await db`update audit_log set details = details || ${db.json(outcome as never)} where id = ${id}`;
}

/**
 * The whole list through a server-side cursor, `batch` rows at a time: memory stays flat however
 * many rows. Stop iterating and the cursor closes (the query ends).
 */
export function streamRdvs(sql: Sql, f: ListFilter, batch: number): AsyncIterable<ListRow[]> {
  return sql<ListRow[]>`
    ${bounds(sql, f)}
    select ${LIST_COLUMNS(sql)} from ${LIST_FROM(sql, f)}
    order by lower(r.during), r.id`.cursor(batch) as AsyncIterable<ListRow[]>;
}

export type SearchCriteria = {
  code?: string | undefined;
  nom?: string | undefined;
  numeroFiscal?: string | undefined;
  siren?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  state?: RdvStateFilter | undefined;
};

/**
 * A LIKE pattern for names that begin with `text`, taken literally: a `%`, `_` or `\` typed in a
 * name must not match every usager of the zone (`\` is LIKE's default escape character, and
 * guichet_fold leaves these three alone).
 */
export const likePrefix = (text: string): string => `${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

/**
 * "Rechercher les RDV" within some services: exact code, name prefix (any accent or case, on the
 * usage name, the birth name or the company), SPI or SIREN, a period, a state. Newest first.
 */
export async function searchRdvs(
  db: Db,
  c: SearchCriteria,
  serviceIds: number[],
  limit: number,
): Promise<ListRow[]> {
  const nom = c.nom ? likePrefix(c.nom.trim()) : null;
  const from = c.from ?? '1970-01-01';
  const to = c.to ?? '2999-12-31';
  return db<ListRow[]>`
    ${bounds(db, { serviceIds, from, to })}
    select ${LIST_COLUMNS(db)}
    from ${LIST_FROM(db, { serviceIds, from, to, state: c.state })}
      ${c.code ? db`and r.code = ${c.code}` : db``}
      ${c.numeroFiscal ? db`and u.numero_fiscal = ${c.numeroFiscal}` : db``}
      ${c.siren ? db`and u.siren = ${c.siren}` : db``}
      ${
        nom
          ? db`and (guichet_fold(u.nom_usage) like guichet_fold(${nom})
                 or guichet_fold(u.nom_naissance) like guichet_fold(${nom})
                 or guichet_fold(u.raison_sociale) like guichet_fold(${nom}))`
          : db``
      }
    order by lower(r.during) desc, r.id desc
    limit ${limit}`;
}

/**
 * The one rdv of any service that carries this code and whose usager bears this name (what a
 * citizen says on the phone): an agent extérieur reaches an rdv only this way, never by browsing.
 */
export async function findByCodeAndName(db: Db, code: string, nom: string): Promise<ListRow | undefined> {
  const [row] = await db<ListRow[]>`
    with svc as (select s.id, s.code_principal, s.name, s.time_zone, '-infinity'::timestamptz as lo,
                        'infinity'::timestamptz as hi from services s)
    select ${LIST_COLUMNS(db)}
    from svc join rdvs r on r.service_id = svc.id
    join usagers u on u.id = r.usager_id
    join guichets g on g.id = r.guichet_id
    where r.code = ${code}
      and (guichet_fold(u.nom_usage) = guichet_fold(${nom.trim()})
        or guichet_fold(u.nom_naissance) = guichet_fold(${nom.trim()})
        or guichet_fold(u.raison_sociale) = guichet_fold(${nom.trim()}))
    order by r.active desc, r.id desc
    limit 1`;
  return row;
}
