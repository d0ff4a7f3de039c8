import { normaliseVoie, postalUpper } from '../domain/voies.ts';
import type { Db } from '../infra/db.ts';
import type { ServiceRow } from './services.ts';

/** Kinds that sectorisation knows (offices found by address); DGE, DRESG, SPL, AMENDE are not. */
export type SectorKind = 'SIP' | 'SIE' | 'CDIF' | 'TRESORERIE';

export interface CompetentService {
  /** The kind the office is competent as for this address. */
  sectorKind: SectorKind;
  service: ServiceRow;
  /** Communes of the postcode for which it is competent. */
  communes: { codeInsee: string; nom: string }[];
  /** True when a street-level row decided (e.g. Caen Nord rather than Caen Sud). */
  byStreet: boolean;
}

export interface AddressQuery {
  postcode: string;
  /** Locality as typed; narrows a postcode shared by several communes when it matches one. */
  city?: string;
  /** Street as typed ("145 rue de la Délivrande"); see normaliseVoie. */
  street?: string;
  kind?: SectorKind | readonly SectorKind[];
}

function cityMatches(nom: string, city: string): boolean {
  const n = postalUpper(nom);
  // "NEVERS CEDEX", "LYON 03": the commune's name followed by something postal.
  return city === n || city.startsWith(`${n} `);
}

/**
 * Offices competent for an address: for each commune of the postcode and each kind, the row
 * listing the street when there is one, else the commune's default row. Grouped by office.
 */
export async function findCompetentServices(db: Db, query: AddressQuery): Promise<CompetentService[]> {
  const postcode = query.postcode.trim();
  if (!/^\d{5}$/.test(postcode)) return [];
  let communes: { codeInsee: string; nom: string }[] = await db<{ codeInsee: string; nom: string }[]>`
    select code_insee, nom from communes where codes_postaux @> array[${postcode}]::text[] order by nom`;
  const city = query.city ? postalUpper(query.city) : '';
  if (city) {
    const matching = communes.filter((c) => cityMatches(c.nom, city));
    // A misspelt locality should not hide the offices of the postcode.
    if (matching.length > 0) communes = matching;
  }
  if (communes.length === 0) return [];
  const voie = query.street ? normaliseVoie(query.street) : '';
  const kinds =
    query.kind === undefined ? null : typeof query.kind === 'string' ? [query.kind] : [...query.kind];

  const rows = await db<(ServiceRow & { codeInsee: string; sectorKind: SectorKind; byStreet: boolean })[]>`
    select distinct on (z.code_insee, z.service_kind)
           z.code_insee, z.service_kind as sector_kind, z.voies is not null as by_street,
           s.id, s.code_principal, s.code_associe, s.kind, s.name, s.street, s.postcode, s.city, s.phone,
           s.email, s.hours, s.time_zone, s.holiday_calendar, s.rdv_duration_minutes, s.active,
           s.self_cancellation
    from sectorisation z
    join services s on s.id = z.service_id
    where z.code_insee = any(${communes.map((c) => c.codeInsee)}::text[])
      and (z.voies is null or z.voies @> array[${voie}]::text[])
      and (${kinds}::text[] is null or z.service_kind = any(${kinds}::text[]))
    order by z.code_insee, z.service_kind, z.voies is null`;

  const nom = new Map(communes.map((c) => [c.codeInsee, c.nom]));
  const order: SectorKind[] = ['SIP', 'SIE', 'CDIF', 'TRESORERIE'];
  const grouped = new Map<string, CompetentService>();
  for (const { codeInsee, sectorKind, byStreet, ...service } of rows) {
    const key = `${sectorKind}:${service.id}`;
    let entry = grouped.get(key);
    if (!entry) {
      entry = { sectorKind, service, communes: [], byStreet };
      grouped.set(key, entry);
    }
    entry.byStreet ||= byStreet;
    entry.communes.push({ codeInsee, nom: nom.get(codeInsee) ?? '' });
  }
  return [...grouped.values()].sort(
    (a, b) =>
      order.indexOf(a.sectorKind) - order.indexOf(b.sectorKind) ||
      a.service.name.localeCompare(b.service.name),
  );
}
