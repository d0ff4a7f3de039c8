import { addDays } from '#lib/format.ts';

/**
 * "Liste des RDV" and "Rechercher les RDV": what their addresses say (so a reload or "back"
 * keeps the criteria), what the API is asked, and the page arithmetic. Pure: no fetch, no runes.
 */

export type RdvStateFilter = 'confirme' | 'annule' | 'arrive' | 'non-arrive';

/** "Etat du RDV" as the filter offers it, in the reference's words. */
export const STATES: readonly { value: RdvStateFilter; label: string }[] = [
  { value: 'confirme', label: 'Confirmé (non annulé)' },
  { value: 'non-arrive', label: 'Non arrivé' },
  { value: 'arrive', label: 'Arrivé' },
  { value: 'annule', label: 'Annulé' },
];

/** "Nombre de lignes affichées". */
export const PAGE_SIZES = [10, 20, 50, 100] as const;
const DEFAULT_SIZE = 10;

const isDay = (s: string | null): s is string =>
  !!s && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));
const isState = (s: string | null): s is RdvStateFilter => STATES.some((x) => x.value === s);
const isServiceCode = (s: string | null): s is string => !!s && /^\d{7}$/.test(s);

export type ListCriteria = {
  from: string;
  to: string;
  /** One service of the dashboard, or null for all of them. */
  service: string | null;
  state: RdvStateFilter | null;
  limit: number;
};

/**
 * The list's criteria from its address (`?du&au&service&etat&lignes`); what is missing or
 * malformed takes its default: the week from today, every service, every state, 10 lines.
 */
export function listCriteria(params: URLSearchParams, today: string): ListCriteria {
  const from = isDay(params.get('du')) ? (params.get('du') as string) : today;
  const to = isDay(params.get('au')) ? (params.get('au') as string) : addDays(from, 6);
  const size = Number(params.get('lignes'));
  return {
    from,
    to,
    service: isServiceCode(params.get('service')) ? params.get('service') : null,
    state: isState(params.get('etat')) ? (params.get('etat') as RdvStateFilter) : null,
    limit: (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_SIZE,
  };
}

/** The list's address for criteria: the inverse of listCriteria. */
export function listHref(c: ListCriteria): string {
  const q = new URLSearchParams({ du: c.from, au: c.to });
  if (c.service) q.set('service', c.service);
  if (c.state) q.set('etat', c.state);
  if (c.limit !== DEFAULT_SIZE) q.set('lignes', String(c.limit));
  return `/agent/liste-rdv?${q}`;
}

/** The query of GET /api/v1/agent/rdvs and of its CSV (without the page). */
export function listApiQuery(c: ListCriteria) {
  return {
    from: c.from,
    to: c.to,
    ...(c.service ? { service: c.service } : {}),
    ...(c.state ? { state: c.state } : {}),
  };
}

/** "Exporter la liste en csv": the whole range of the same criteria, as a download. */
export function csvHref(c: ListCriteria): string {
  return `/api/v1/agent/rdvs.csv?${new URLSearchParams(listApiQuery(c))}`;
}

/** "12 résultat(s) trouvé(s), affichage de 1 à 10", as the reference writes it. */
export function rangeText(total: number, offset: number, count: number): string {
  const found = `${total} résultat(s) trouvé(s)`;
  if (count === 0) return found;
  return `${found}, affichage de ${offset + 1} à ${offset + count}`;
}

/**
 * The pages read so far, by keyset: the cursor each one started from (undefined for the first).
 * The API only gives the next page's cursor; "Page précédente" goes back down this stack.
 */
export type Pages = readonly (string | undefined)[];

export const firstPage = (): Pages => [undefined];
export const nextPage = (pages: Pages, cursor: string): Pages => [...pages, cursor];
export const previousPage = (pages: Pages): Pages => (pages.length > 1 ? pages.slice(0, -1) : pages);
/** The cursor the current page is read from. */
export const currentCursor = (pages: Pages): string | undefined => pages[pages.length - 1];
/** The rank of the current page's first row, 0-based, for "affichage de a à b". */
export const pageOffset = (pages: Pages, limit: number): number => (pages.length - 1) * limit;

/** "DD/MM/YYYY" from "YYYY-MM-DD", as the reference's tables write dates. */
export const shortDate = (day: string): string => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;

export type SearchCriteria = {
  code: string;
  nom: string;
  numeroFiscal: string;
  siren: string;
  from: string;
  to: string;
  state: RdvStateFilter | null;
};

const SEARCH_PARAMS = {
  code: 'code',
  nom: 'nom',
  numeroFiscal: 'fiscal',
  siren: 'siren',
  from: 'du',
  to: 'au',
} as const;

/** The search's criteria from its address (`?code&nom&fiscal&siren&du&au&etat`), as typed. */
export function searchCriteria(params: URLSearchParams): SearchCriteria {
  const text = (k: string) => (params.get(k) ?? '').trim();
  return {
    code: text('code'),
    nom: text('nom'),
    numeroFiscal: text('fiscal'),
    siren: text('siren'),
    from: text('du'),
    to: text('au'),
    state: isState(params.get('etat')) ? (params.get('etat') as RdvStateFilter) : null,
  };
}

/** True when at least one criterion is given: without one there is nothing to search. */
export const hasSearchCriteria = (c: SearchCriteria): boolean =>
  Object.values(c).some((v) => v !== null && v !== '');

/** The search's address: only the criteria given. */
export function searchHref(c: SearchCriteria): string {
  const q = new URLSearchParams();
  for (const [key, param] of Object.entries(SEARCH_PARAMS)) {
    const v = c[key as keyof typeof SEARCH_PARAMS];
    if (v) q.set(param, v);
  }
  if (c.state) q.set('etat', c.state);
  const s = q.toString();
  return s ? `/agent/recherche-rdv?${s}` : '/agent/recherche-rdv';
}

/**
 * The query of GET /api/v1/agent/rdv-search: the criteria given, as typed (spaces inside a
 * numéro fiscal or a SIREN dropped); the API checks them and says what is wrong, in French.
 */
export function searchApiQuery(c: SearchCriteria) {
  const digits = (s: string) => s.replace(/\s+/g, '');
  return {
    ...(c.code ? { code: c.code } : {}),
    ...(c.nom ? { nom: c.nom } : {}),
    ...(c.numeroFiscal ? { numeroFiscal: digits(c.numeroFiscal) } : {}),
    ...(c.siren ? { siren: digits(c.siren) } : {}),
    ...(c.from ? { from: c.from } : {}),
    ...(c.to ? { to: c.to } : {}),
    ...(c.state ? { state: c.state } : {}),
  };
}
