import { createRequire } from 'node:module';
import { SERVICE_KINDS, type ServiceKind } from '../../server/domain/types.ts';
import { normaliseVoie, postalUpper } from '../../server/domain/voies.ts';
import type {
  CommuneRow,
  MotifRow,
  SectorisationRow,
  ServiceSeedRow,
} from '../../server/store/referential.ts';
import { MOTIFS, type MotifSeed } from './motifs.ts';
import { NAMED_SERVICES, type NamedService, STREET_SPLITS } from './named-services.ts';
import {
  CONCORDAT,
  EMAIL_PREFIX,
  FICTION_PREFIX,
  HOURS,
  KIND_DIGIT,
  NAME_PREFIX,
  OCCITANIE_EAST,
  OVERSEAS,
  REGION_PHONE_ZONE,
  STREETS,
} from './network-tables.ts';

/*
 * The national referential as plain rows: communes, motifs, the office network and its
 * sectorisation. Pure apart from reading @etalab/decoupage-administratif's JSON.
 *
 * Scope: metropolitan France and the five overseas départements, where the DGFiP runs the tax
 * offices. The collectivités d'outre-mer (Saint-Pierre-et-Miquelon, Polynesia, New Caledonia…)
 * have their own tax administrations and are left out.
 *
 * The generated network is fictional but stable: one SIP and one SIE at the chef-lieu of every
 * arrondissement, one CDIF at the chef-lieu of every département, and the national DGE and DRESG.
 * Generated codes are derived from the place, not from a counter, so that adding an
 * arrondissement never renumbers the others:
 *   code principal (7) = département on 2 digits · 9 · kind digit · disambiguation digit · arrondissement on 2 digits
 *   code associé  (6) = département on 3 digits · kind digit · arrondissement on 2 digits
 * (the disambiguation digit tells 2A from 2B and 971 from 974; arrondissement 00 = département level).
 * Named offices use a 0 where the generator writes 9 (code principal) or the kind digit (code associé).
 */

/**
 * Bump when the generator's logic (this file or server/domain/voies.ts) changes in a way that
 * changes its output: the data modules are hashed, the code is not (its text differs between Node
 * and Vite builds).
 */
export const GENERATOR_VERSION = 1;

export interface Referential {
  communes: CommuneRow[];
  services: ServiceSeedRow[];
  motifs: MotifRow[];
  sectorisation: SectorisationRow[];
}

interface RawCommune {
  code: string;
  nom: string;
  type: string;
  zone: string;
  departement: string;
  arrondissement?: string;
  codesPostaux?: string[];
}

interface RawArrondissement {
  code: string;
  departement: string;
  chefLieu: string;
  nom: string;
}

interface RawDepartement {
  code: string;
  region: string;
  chefLieu: string;
  nom: string;
  zone: string;
}

const require = createRequire(import.meta.url);
const PACKAGE = '@etalab/decoupage-administratif';

function loadPackage(): {
  communes: RawCommune[];
  arrondissements: RawArrondissement[];
  departements: RawDepartement[];
} {
  return {
    communes: require(`${PACKAGE}/data/communes.json`) as RawCommune[],
    arrondissements: require(`${PACKAGE}/data/arrondissements.json`) as RawArrondissement[],
    departements: require(`${PACKAGE}/data/departements.json`) as RawDepartement[],
  };
}

function slug(s: string): string {
  return postalUpper(s).toLowerCase().replace(/ /g, '-');
}

// FNV-1a: a tiny stable hash so generated addresses and numbers do not depend on iteration order.
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function deptDigits(dept: string): { p2: string; d: number; a3: string } {
  if (dept === '2A') return { p2: '20', d: 1, a3: '201' };
  if (dept === '2B') return { p2: '20', d: 2, a3: '202' };
  if (dept.length === 3) return { p2: dept.slice(0, 2), d: Number(dept[2]), a3: dept };
  return { p2: dept, d: 0, a3: `0${dept}` };
}

function generatedCodes(dept: string, kind: ServiceKind, arrondissementNumber: number) {
  const { p2, d, a3 } = deptDigits(dept);
  const k = KIND_DIGIT[kind];
  const aa = String(arrondissementNumber).padStart(2, '0');
  return { codePrincipal: `${p2}9${k}${d}${aa}`, codeAssocie: `${a3}${k}${aa}` };
}

function phoneZone(dept: RawDepartement): string {
  if (dept.region === '76') return OCCITANIE_EAST.has(dept.code) ? '04' : '05';
  return REGION_PHONE_ZONE[dept.region] ?? '01';
}

function fictionPhone(dept: RawDepartement, seed: string): string {
  const h = hash(seed);
  const tail = `${String(h % 100).padStart(2, '0')} ${String(Math.floor(h / 100) % 100).padStart(2, '0')}`;
  const overseas = OVERSEAS[dept.code];
  if (overseas) return `${overseas.phone} ${String(Math.floor(h / 10_000) % 100).padStart(2, '0')} ${tail}`;
  return `${FICTION_PREFIX[phoneZone(dept)]} ${tail}`;
}

function flattenMotifs(): MotifRow[] {
  const rows: MotifRow[] = [];
  for (const kind of SERVICE_KINDS) {
    const walk = (list: readonly MotifSeed[], parent: MotifSeed | null, inherited: string) => {
      list.forEach((m, i) => {
        const documents = m.documents ?? inherited;
        rows.push({
          code: m.code,
          serviceKind: kind,
          parentCode: parent?.code ?? null,
          label: m.label,
          documents,
          position: i + 1,
        });
        if (m.children) walk(m.children, m, documents);
      });
    };
    walk(MOTIFS[kind], null, '');
  }
  return rows;
}

export function buildReferential(): Referential {
  const raw = loadPackage();
  const departements = raw.departements
    .filter((d) => d.zone === 'metro' || d.zone === 'drom')
    .sort((a, b) => a.code.localeCompare(b.code));
  const deptByCode = new Map(departements.map((d) => [d.code, d]));
  const communes: CommuneRow[] = raw.communes
    .filter((c) => c.type === 'commune-actuelle' && deptByCode.has(c.departement))
    .map((c) => ({
      codeInsee: c.code,
      nom: c.nom,
      departement: c.departement,
      arrondissement: c.arrondissement ?? null,
      codesPostaux: [...(c.codesPostaux ?? [])].sort(),
    }))
    .sort((a, b) => a.codeInsee.localeCompare(b.codeInsee));
  const communeByCode = new Map(communes.map((c) => [c.codeInsee, c]));
  const arrondissements = raw.arrondissements
    .filter((a) => deptByCode.has(a.departement))
    .sort((a, b) => a.code.localeCompare(b.code));

  const commune = (code: string, what: string): CommuneRow => {
    const c = communeByCode.get(code);
    if (!c) throw new Error(`Référentiel : commune ${code} inconnue (${what})`);
    return c;
  };
  const localRules = (dept: string) => {
    const overseas = OVERSEAS[dept];
    return {
      timeZone: overseas?.timeZone ?? 'Europe/Paris',
      holidayCalendar: overseas?.calendar ?? (CONCORDAT.has(dept) ? 'alsace-moselle' : 'metropole'),
    };
  };

  const services: ServiceSeedRow[] = [];
  const usedEmails = new Set<string>();
  const generate = (kind: ServiceKind, seat: CommuneRow, arrondissementNumber: number): ServiceSeedRow => {
    const dept = deptByCode.get(seat.departement)!;
    const seed = `${kind}:${seat.codeInsee}:${arrondissementNumber}`;
    const h = hash(seed);
    let email = `${EMAIL_PREFIX[kind]}.${slug(seat.nom)}@dgfip.finances.gouv.fr`;
    if (usedEmails.has(email)) email = email.replace('@', `-${seat.departement.toLowerCase()}@`);
    usedEmails.add(email);
    const row: ServiceSeedRow = {
      ...generatedCodes(seat.departement, kind, arrondissementNumber),
      kind,
      name: `${NAME_PREFIX[kind]} ${postalUpper(seat.nom)}`,
      street: `${(h % 60) + 1} ${STREETS[h % STREETS.length]}`,
      postcode: seat.codesPostaux[0] ?? '',
      city: postalUpper(seat.nom),
      departement: seat.departement,
      phone: fictionPhone(dept, seed),
      email,
      hours: HOURS[kind] ?? '',
      ...localRules(seat.departement),
    };
    services.push(row);
    return row;
  };

  // Named offices first: they pre-empt the generated office of their arrondissement.
  const namedByKey = new Map<string, ServiceSeedRow>();
  const namedCovering = new Map<string, ServiceSeedRow>(); // `${kind}:${arrondissement}`
  const namedCommunes = new Map<string, ServiceSeedRow>(); // `${kind}:${codeInsee}`
  const addNamed = (n: NamedService) => {
    const seat = commune(n.commune, n.key);
    const row: ServiceSeedRow = {
      codePrincipal: n.codePrincipal,
      codeAssocie: n.codeAssocie,
      kind: n.kind,
      name: n.name,
      street: n.street,
      postcode: n.postcode,
      city: n.city,
      departement: seat.departement,
      phone: n.phone,
      email: n.email,
      hours: n.hours,
      ...localRules(seat.departement),
    };
    services.push(row);
    usedEmails.add(n.email);
    namedByKey.set(n.key, row);
    if (n.coversArrondissement) {
      if (!seat.arrondissement) throw new Error(`Référentiel : ${n.key} n'a pas d'arrondissement`);
      const k = `${n.kind}:${seat.arrondissement}`;
      if (namedCovering.has(k)) throw new Error(`Référentiel : deux services couvrent ${k}`);
      namedCovering.set(k, row);
    }
    for (const code of n.communes ?? []) {
      commune(code, n.key);
      namedCommunes.set(`${n.kind}:${code}`, row);
    }
  };
  for (const n of NAMED_SERVICES) addNamed(n);

  const byArrondissement = new Map<string, ServiceSeedRow>(); // `${kind}:${arrondissement}`
  const byDepartement = new Map<string, ServiceSeedRow>(); // `${kind}:${departement}`
  for (const dept of departements) {
    const seat = commune(dept.chefLieu, `chef-lieu du département ${dept.code}`);
    for (const a of arrondissements.filter((x) => x.departement === dept.code)) {
      const aSeat = commune(a.chefLieu, `chef-lieu de l'arrondissement ${a.code}`);
      const number = Number(a.code.slice(dept.code.length));
      for (const kind of ['SIP', 'SIE'] as const) {
        const key = `${kind}:${a.code}`;
        byArrondissement.set(key, namedCovering.get(key) ?? generate(kind, aSeat, number));
      }
    }
    byDepartement.set(`CDIF:${dept.code}`, generate('CDIF', seat, 0));
    // Communes outside any arrondissement (all of Mayotte) fall back to the offices of the
    // département's chef-lieu: its arrondissement's when it has one, else offices of their own.
    const orphans = communes.some((c) => c.departement === dept.code && !c.arrondissement);
    if (orphans) {
      for (const kind of ['SIP', 'SIE'] as const) {
        const own = seat.arrondissement ? byArrondissement.get(`${kind}:${seat.arrondissement}`) : undefined;
        byDepartement.set(`${kind}:${dept.code}`, own ?? generate(kind, seat, 0));
      }
    }
  }

  const national = (kind: ServiceKind, name: string, seatCode: string, street: string, postcode: string) => {
    const seat = commune(seatCode, kind);
    services.push({
      ...generatedCodes('93', kind, 0),
      kind,
      name,
      street,
      postcode,
      city: postalUpper(seat.nom),
      departement: null,
      phone: fictionPhone(deptByCode.get('93')!, kind),
      email: `${kind.toLowerCase()}@dgfip.finances.gouv.fr`,
      hours: 'Lundi à vendredi 9h-12h et 14h-16h, sur rendez-vous',
      timeZone: 'Europe/Paris',
      holidayCalendar: 'metropole',
    });
  };
  national('DGE', 'DIRECTION DES GRANDES ENTREPRISES', '93055', '8 RUE COURTOIS', '93500');
  national(
    'DRESG',
    'SERVICE DES IMPOTS DES PARTICULIERS NON RESIDENTS',
    '93051',
    '10 RUE DU CENTRE',
    '93160',
  );

  const principal = new Set<string>();
  const associe = new Set<string>();
  for (const s of services) {
    if (principal.has(s.codePrincipal))
      throw new Error(`Référentiel : code principal ${s.codePrincipal} en double`);
    principal.add(s.codePrincipal);
    if (s.codeAssocie !== null) {
      if (associe.has(s.codeAssocie))
        throw new Error(`Référentiel : code associé ${s.codeAssocie} en double`);
      associe.add(s.codeAssocie);
    }
  }

  const splits = new Map(STREET_SPLITS.map((s) => [`${s.kind}:${s.commune}`, s]));
  const named = (key: string): ServiceSeedRow => {
    const row = namedByKey.get(key);
    if (!row) throw new Error(`Référentiel : service nommé ${key} inconnu`);
    return row;
  };
  const sectorisation: SectorisationRow[] = [];
  for (const c of communes) {
    for (const kind of ['SIP', 'SIE', 'CDIF', 'TRESORERIE'] as const) {
      const k = `${kind}:${c.codeInsee}`;
      const split = splits.get(k);
      const fallback =
        kind === 'CDIF' || !c.arrondissement
          ? byDepartement.get(`${kind}:${c.departement}`)
          : byArrondissement.get(`${kind}:${c.arrondissement}`);
      const service = split
        ? named(split.defaultTo)
        : (namedCommunes.get(k) ??
          (c.arrondissement ? namedCovering.get(`${kind}:${c.arrondissement}`) : undefined) ??
          fallback);
      if (!service) {
        if (kind === 'TRESORERIE') continue;
        throw new Error(`Référentiel : aucun ${kind} pour la commune ${c.codeInsee}`);
      }
      sectorisation.push({
        codeInsee: c.codeInsee,
        serviceKind: kind,
        voies: null,
        codePrincipal: service.codePrincipal,
      });
      if (split) {
        const voies = [...new Set(split.streets.map(normaliseVoie))].sort();
        sectorisation.push({
          codeInsee: c.codeInsee,
          serviceKind: kind,
          voies,
          codePrincipal: named(split.streetsTo).codePrincipal,
        });
      }
    }
  }
  for (const s of STREET_SPLITS) commune(s.commune, `découpage par voies ${s.streetsTo}`);

  return { communes, services, motifs: flattenMotifs(), sectorisation };
}

/**
 * What the referential is made of, cheap to compute (the commune data is only identified by its
 * package version): a change here means the referential must be reloaded.
 */
export function referentialSource(): string {
  const version = (require(`${PACKAGE}/package.json`) as { version: string }).version;
  return JSON.stringify({
    generator: GENERATOR_VERSION,
    decoupage: version,
    motifs: MOTIFS,
    named: NAMED_SERVICES,
    splits: STREET_SPLITS,
  });
}
