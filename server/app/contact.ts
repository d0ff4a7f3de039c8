import { type Audience, CONTACT_LEVELS, type Faq, type OnlineProcedure } from '../domain/contact-reasons.ts';
import { type ContactReasonRow, findNationalService, listContactReasons } from '../store/contact-reasons.ts';
import { findCompetentServices, type SectorKind } from '../store/sectorisation.ts';
import type { Deps } from './deps.ts';
import { notFound } from './errors.ts';
import { getServiceCard, type ServiceCard } from './services.ts';

export type ContactReason = {
  /** Stable code of the reason (e.g. `part-dossier-calcul-ir`): pages may link to it. */
  id: string;
  label: string;
  children: ContactReason[];
  // Leaves only: what the usager can do next.
  faq?: Faq[];
  onlineProcedure?: OnlineProcedure | null;
  serviceKinds?: string[];
  motifCode?: string | null;
  abroad?: boolean;
};

export type ContactReasons = { audience: Audience; levels: string[]; reasons: ContactReason[] };

/** The cascade of an audience as a tree; only leaves carry FAQ, procedure and office kinds. */
export async function getContactReasons(
  deps: Pick<Deps, 'sql'>,
  audience: Audience,
): Promise<ContactReasons> {
  const rows = await listContactReasons(deps.sql, audience);
  return { audience, levels: [...CONTACT_LEVELS], reasons: contactTree(rows) };
}

function contactTree(rows: readonly ContactReasonRow[]): ContactReason[] {
  const roots: ContactReason[] = [];
  const byCode = new Map<string, ContactReason>();
  const ordered = [...rows].sort((a, b) => a.position - b.position);
  for (const r of ordered) {
    const node: ContactReason =
      r.serviceKinds === null
        ? { id: r.code, label: r.label, children: [] }
        : {
            id: r.code,
            label: r.label,
            children: [],
            faq: r.faq ?? [],
            onlineProcedure: r.onlineProcedure,
            serviceKinds: r.serviceKinds,
            motifCode: r.motifCode,
            abroad: r.abroad,
          };
    byCode.set(r.code, node);
  }
  for (const r of ordered) {
    const node = byCode.get(r.code)!;
    const parent = r.parentCode === null ? undefined : byCode.get(r.parentCode);
    if (r.parentCode === null) roots.push(node);
    else parent?.children.push(node);
  }
  return roots;
}

/** What the search form offers ("Types de service" in the reference) and the national offices. */
export const SEARCH_KINDS = ['TOUS', 'SIP', 'SIP-CDIF', 'SIE', 'CDIF', 'TRESORERIE', 'DGE', 'DRESG'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

const NATIONAL = ['DGE', 'DRESG'] as const;
type NationalKind = (typeof NATIONAL)[number];

/**
 * The offices a filter stands for. "Tous" is every office found by address: the fiscal ones,
 * never SPL or amende trésoreries (found by code only, as in the reference). "SIP-CDIF" is the
 * reference's "SIP ou CDIF".
 */
export function expandKinds(kinds: readonly SearchKind[]): {
  sector: SectorKind[];
  national: NationalKind[];
} {
  const requested = kinds.length === 0 ? ['TOUS' as const] : kinds;
  const sector = new Set<SectorKind>();
  const national = new Set<NationalKind>();
  for (const k of requested) {
    if (k === 'TOUS') for (const s of ['SIP', 'SIE', 'CDIF', 'TRESORERIE'] as const) sector.add(s);
    else if (k === 'SIP-CDIF') {
      sector.add('SIP');
      sector.add('CDIF');
    } else if (k === 'DGE' || k === 'DRESG') national.add(k);
    else sector.add(k);
  }
  return { sector: [...sector], national: [...national] };
}

/** An address is only needed when an office found by address is asked for. */
export const needsAddress = (kinds: readonly SearchKind[]): boolean => expandKinds(kinds).sector.length > 0;

export type CompetentServiceCard = ServiceCard & {
  /** The kinds the office is competent as, for this address (or DGE / DRESG). */
  competences: string[];
  /** Communes of the postcode it is competent for; empty for a national office. */
  communes: string[];
};

export type ServiceSearch = { services: CompetentServiceCard[]; message?: string };

/**
 * The competent offices for an address, as public cards (the same shape as
 * GET /services/:code), one per office. An unknown street in a split city gets the commune's
 * default office: an address always finds its offices as long as the postcode exists.
 */
export async function searchServices(
  deps: Pick<Deps, 'sql'>,
  query: { postcode?: string; street?: string; city?: string; kinds: readonly SearchKind[] },
): Promise<ServiceSearch> {
  const { sector, national } = expandKinds(query.kinds);
  const found = new Map<string, { competences: string[]; communes: string[] }>();
  const add = (code: string, competence: string, communes: string[]) => {
    const entry = found.get(code) ?? { competences: [], communes: [] };
    if (!entry.competences.includes(competence)) entry.competences.push(competence);
    for (const c of communes) if (!entry.communes.includes(c)) entry.communes.push(c);
    found.set(code, entry);
  };

  let message: string | undefined;
  if (sector.length > 0 && query.postcode) {
    const address = { postcode: query.postcode, city: query.city, street: query.street };
    const competent = await findCompetentServices(deps.sql, { ...address, kind: sector });
    for (const s of competent) {
      add(
        s.service.codePrincipal,
        s.sectorKind,
        s.communes.map((c) => c.nom),
      );
    }
    if (competent.length === 0) {
      // Every commune has a SIP, a SIE and a CDIF: nothing at all means the postcode is unknown.
      const any = await findCompetentServices(deps.sql, address);
      message =
        any.length === 0
          ? `Aucune commune ne correspond au code postal ${query.postcode}.`
          : 'Aucun service de ce type n’est compétent pour cette adresse.';
    }
  }
  for (const kind of national) {
    const service = await findNationalService(deps.sql, kind);
    if (service) add(service.codePrincipal, kind, []);
  }

  const services: CompetentServiceCard[] = [];
  for (const [code, entry] of found) {
    services.push({ ...(await getServiceCard(deps, code)), ...entry });
  }
  return message === undefined ? { services } : { services, message };
}

/** The office of a national kind: the DRESG for usagers living abroad, the DGE for large companies. */
export async function getNationalServiceCard(
  deps: Pick<Deps, 'sql'>,
  kind: NationalKind,
): Promise<CompetentServiceCard> {
  const service = await findNationalService(deps.sql, kind);
  if (!service) throw notFound(`Le service national ${kind} n’est pas dans le référentiel.`);
  return { ...(await getServiceCard(deps, service.codePrincipal)), competences: [kind], communes: [] };
}
