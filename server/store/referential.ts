import type { ServiceKind } from '../domain/types.ts';
import type { Db } from '../infra/db.ts';

/*
 * SQL of the national referential: the rows come built (buildReferential builds them,
 * seedReferential decides when to load them). Every write upserts by a stable key
 * (INSEE code, motif code, code principal), so rdvs and configuration that point at existing rows
 * survive a reload.
 */

export interface CommuneRow {
  codeInsee: string;
  nom: string;
  departement: string;
  arrondissement: string | null;
  codesPostaux: string[];
}

export interface ServiceSeedRow {
  codePrincipal: string;
  codeAssocie: string | null;
  kind: ServiceKind;
  name: string;
  street: string;
  postcode: string;
  city: string;
  departement: string | null;
  phone: string;
  email: string;
  hours: string;
  timeZone: string;
  holidayCalendar: string;
}

export interface MotifRow {
  code: string;
  serviceKind: ServiceKind;
  parentCode: string | null;
  label: string;
  documents: string;
  position: number;
}

export interface SectorisationRow {
  codeInsee: string;
  serviceKind: ServiceKind;
  /** Normalised street names (see normaliseVoie); null for the commune's default. */
  voies: string[] | null;
  codePrincipal: string;
}

export interface ReferentialCounts {
  communes: number;
  services: number;
  motifs: number;
  contactReasons: number;
}

/** One lock for every seed step, so that nodes starting together load the data once, in turn. */
export const SEED_LOCK = 'guichet:seed';

/** Waits for the seed lock; it is released when the transaction ends. */
export async function lockSeed(tx: Db): Promise<void> {
  await tx`select pg_advisory_xact_lock(hashtext(${SEED_LOCK}))`;
}

export async function referentialCounts(db: Db): Promise<ReferentialCounts> {
  const [row] = await db<ReferentialCounts[]>`
    select (select count(*) from communes)::int as communes,
           (select count(*) from services)::int as services,
           (select count(*) from motifs where active)::int as motifs,
           (select count(*) from contact_reasons)::int as contact_reasons`;
  return row!;
}

export async function recordedChecksum(db: Db, name: string): Promise<string | undefined> {
  const [row] = await db<
    { checksum: string }[]
  >`select checksum from referential_versions where name = ${name}`;
  return row?.checksum;
}

export async function recordChecksum(db: Db, name: string, checksum: string): Promise<void> {
  await db`
    insert into referential_versions (name, checksum) values (${name}, ${checksum})
    on conflict (name) do update set checksum = excluded.checksum, loaded_at = now()`;
}

/** Upserts `communes` and deletes the others. */
export async function replaceCommunes(tx: Db, c: readonly CommuneRow[]): Promise<void> {
  await tx`
    insert into communes (code_insee, nom, departement, arrondissement, codes_postaux)
    select t.code, t.nom, t.dep, t.arr, string_to_array(t.cps, ' ')
    from unnest(
      ${c.map((x) => x.codeInsee)}::text[], ${c.map((x) => x.nom)}::text[],
      ${c.map((x) => x.departement)}::text[], ${c.map((x) => x.arrondissement)}::text[],
      ${c.map((x) => x.codesPostaux.join(' '))}::text[]
    ) as t(code, nom, dep, arr, cps)
    on conflict (code_insee) do update set
      nom = excluded.nom, departement = excluded.departement,
      arrondissement = excluded.arrondissement, codes_postaux = excluded.codes_postaux
    where (communes.nom, communes.departement, communes.arrondissement, communes.codes_postaux)
      is distinct from (excluded.nom, excluded.departement, excluded.arrondissement, excluded.codes_postaux)`;
  // Merged communes disappear from the INSEE list; their sectorisation goes with them.
  await tx`delete from communes where not (code_insee = any(${c.map((x) => x.codeInsee)}::text[]))`;
}

/** Upserts `motifs` (active) and deactivates the others: rdvs still reference them. */
export async function replaceMotifs(tx: Db, motifs: readonly MotifRow[]): Promise<void> {
  // Parents first: a child finds its parent's id by code.
  for (const level of ['parents', 'children'] as const) {
    const m = motifs.filter((x) => (level === 'parents' ? x.parentCode === null : x.parentCode !== null));
    await tx`
      insert into motifs (code, service_kind, parent_id, label, documents, position, active)
      select t.code, t.kind, p.id, t.label, t.docs, t.pos, true
      from unnest(
        ${m.map((x) => x.code)}::text[], ${m.map((x) => x.serviceKind)}::text[],
        ${m.map((x) => x.parentCode ?? '')}::text[], ${m.map((x) => x.label)}::text[],
        ${m.map((x) => x.documents)}::text[], ${m.map((x) => x.position)}::int[]
      ) as t(code, kind, parent, label, docs, pos)
      left join motifs p on p.code = t.parent
      on conflict (code) do update set
        service_kind = excluded.service_kind, parent_id = excluded.parent_id, label = excluded.label,
        documents = excluded.documents, position = excluded.position, active = true`;
  }
  await tx`update motifs set active = false where active and not (code = any(${motifs.map((x) => x.code)}::text[]))`;
}

/** Upserts the offices' identity; offices that left are kept (rdvs reference them). */
export async function upsertServices(tx: Db, s: readonly ServiceSeedRow[]): Promise<void> {
  // Identity comes from the referential; what the head of office configures (active, duration,
  // self-cancellation) is never touched by a reload.
  await tx`
    insert into services (code_principal, code_associe, kind, name, street, postcode, city, departement,
                          phone, email, hours, time_zone, holiday_calendar)
    select * from unnest(
      ${s.map((x) => x.codePrincipal)}::text[], ${s.map((x) => x.codeAssocie)}::text[],
      ${s.map((x) => x.kind)}::text[], ${s.map((x) => x.name)}::text[], ${s.map((x) => x.street)}::text[],
      ${s.map((x) => x.postcode)}::text[], ${s.map((x) => x.city)}::text[],
      ${s.map((x) => x.departement)}::text[], ${s.map((x) => x.phone)}::text[],
      ${s.map((x) => x.email)}::text[], ${s.map((x) => x.hours)}::text[],
      ${s.map((x) => x.timeZone)}::text[], ${s.map((x) => x.holidayCalendar)}::text[]
    )
    on conflict (code_principal) do update set
      code_associe = excluded.code_associe, kind = excluded.kind, name = excluded.name,
      street = excluded.street, postcode = excluded.postcode, city = excluded.city,
      departement = excluded.departement, phone = excluded.phone, email = excluded.email,
      hours = excluded.hours, time_zone = excluded.time_zone, holiday_calendar = excluded.holiday_calendar,
      updated_at = now()
    where (services.code_associe, services.kind, services.name, services.street, services.postcode,
           services.city, services.departement, services.phone, services.email, services.hours,
           services.time_zone, services.holiday_calendar)
      is distinct from (excluded.code_associe, excluded.kind, excluded.name, excluded.street,
           excluded.postcode, excluded.city, excluded.departement, excluded.phone, excluded.email,
           excluded.hours, excluded.time_zone, excluded.holiday_calendar)`;
}

/** Replaces the whole sectorisation; rows point at offices by code principal, so offices go first. */
export async function replaceSectorisation(tx: Db, z: readonly SectorisationRow[]): Promise<void> {
  await tx`delete from sectorisation`;
  await tx`
    insert into sectorisation (code_insee, service_kind, voies, service_id)
    select t.code, t.kind, string_to_array(t.voies, '|'), s.id
    from unnest(
      ${z.map((x) => x.codeInsee)}::text[], ${z.map((x) => x.serviceKind)}::text[],
      ${z.map((x) => (x.voies ? x.voies.join('|') : null))}::text[], ${z.map((x) => x.codePrincipal)}::text[]
    ) as t(code, kind, voies, cp)
    join services s on s.code_principal = t.cp`;
}
