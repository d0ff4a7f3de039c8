import type { DashboardService } from '#lib/api/client.ts';

/*
 * "Rechercher les services" (reference §3.3): four ways to find an office, each a tab. The
 * criteria live in the page's query string (`onglet`, the tab's fields, `chercher=1` once
 * submitted), so that a search can be bookmarked, shared, and survives a reload or "Retour".
 */

export type SearchTab = 'adresse' | 'dge' | 'dresg' | 'code';
export type ServiceTypes = 'TOUS' | 'SIP' | 'SIP-CDIF' | 'SIE' | 'CDIF' | 'TRESORERIE';

export const TABS: readonly { id: SearchTab; label: string }[] = [
  { id: 'adresse', label: 'Recherche par adresse en France' },
  { id: 'dge', label: 'Professionnels gérés par la DGE' },
  { id: 'dresg', label: 'Services des résidents à l’étranger (DRESG)' },
  { id: 'code', label: 'Recherche par SAGES ou CODIQUE' },
];

/** "Types de service", in the reference's order and words. */
export const SERVICE_TYPES: readonly { value: ServiceTypes; label: string }[] = [
  { value: 'TOUS', label: 'Tous' },
  { value: 'SIP', label: 'SIP' },
  { value: 'SIP-CDIF', label: 'SIP ou CDIF' },
  { value: 'SIE', label: 'SIE' },
  { value: 'CDIF', label: 'CDIF' },
  { value: 'TRESORERIE', label: 'Trésorerie' },
];

/** What the agent typed, every tab's fields kept (switching tabs loses nothing). */
export type SearchCriteria = {
  tab: SearchTab;
  voie: string;
  city: string;
  postcode: string;
  types: ServiceTypes;
  siren: string;
  code: string;
};

export type SearchField = 'voie' | 'city' | 'postcode' | 'types' | 'siren' | 'code';
export type SearchError = { field: SearchField | 'form'; message: string };

/** The query of GET /api/v1/agent/service-search. */
export type ServiceSearchQuery =
  | { voie: string; postcode: string; city?: string; types: ServiceTypes }
  | { mode: 'dge'; siren: string }
  | { mode: 'dresg' }
  | { code: string };

const isTab = (v: string | null): v is SearchTab => TABS.some((t) => t.id === v);
const isTypes = (v: string | null): v is ServiceTypes => SERVICE_TYPES.some((t) => t.value === v);
const compact = (v: string) => v.replace(/[\s.]/g, '');

export function emptyCriteria(tab: SearchTab = 'adresse'): SearchCriteria {
  return { tab, voie: '', city: '', postcode: '', types: 'TOUS', siren: '', code: '' };
}

/** The criteria of the page's address, and whether a search was submitted. */
export function criteriaFromQuery(q: URLSearchParams): { criteria: SearchCriteria; submitted: boolean } {
  const tab = q.get('onglet');
  const types = q.get('types');
  return {
    criteria: {
      tab: isTab(tab) ? tab : 'adresse',
      voie: q.get('voie') ?? '',
      city: q.get('localite') ?? '',
      postcode: q.get('cp') ?? '',
      types: isTypes(types) ? types : 'TOUS',
      siren: q.get('siren') ?? '',
      code: q.get('code') ?? '',
    },
    submitted: q.get('chercher') === '1',
  };
}

/** The page's query for a submitted search: the tab and its own fields only. */
export function criteriaToQuery(c: SearchCriteria): string {
  const q = new URLSearchParams({ onglet: c.tab });
  if (c.tab === 'adresse') {
    q.set('voie', c.voie.trim());
    if (c.city.trim()) q.set('localite', c.city.trim());
    q.set('cp', c.postcode.trim());
    q.set('types', c.types);
  } else if (c.tab === 'dge') q.set('siren', compact(c.siren));
  else if (c.tab === 'code') q.set('code', compact(c.code));
  q.set('chercher', '1');
  return q.toString();
}

/** The SIREN's check key (Luhn), as the API checks it: a typo is said before sending. */
export function isSiren(value: string): boolean {
  if (!/^\d{9}$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let d = Number(value[8 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** The errors of the chosen tab's fields, in French, before anything is sent. */
export function validateCriteria(c: SearchCriteria): SearchError[] {
  const errors: SearchError[] = [];
  if (c.tab === 'adresse') {
    if (!c.voie.trim())
      errors.push({ field: 'voie', message: 'La voie est obligatoire (numéro, type et libellé).' });
    if (!c.postcode.trim()) errors.push({ field: 'postcode', message: 'Le code postal est obligatoire.' });
    else if (!/^\d{5}$/.test(c.postcode.trim()))
      errors.push({ field: 'postcode', message: 'Le code postal comporte 5 chiffres.' });
  } else if (c.tab === 'dge') {
    const siren = compact(c.siren);
    if (!siren) errors.push({ field: 'siren', message: 'Le SIREN est obligatoire.' });
    else if (!/^\d{9}$/.test(siren))
      errors.push({ field: 'siren', message: 'Le SIREN comporte 9 chiffres.' });
    else if (!isSiren(siren))
      errors.push({ field: 'siren', message: 'Ce SIREN n’est pas valide : vérifiez sa clé de contrôle.' });
  } else if (c.tab === 'code') {
    const code = compact(c.code);
    if (!code) errors.push({ field: 'code', message: 'Le code SAGES ou CODIQUE est obligatoire.' });
    else if (!/^(\d{7}|\d{6})$/.test(code))
      errors.push({
        field: 'code',
        message: 'Saisissez un code SAGES (7 chiffres) ou un code CODIQUE (6 chiffres).',
      });
  }
  return errors;
}

/** What the API is asked for the chosen tab (criteria already valid). */
export function apiQuery(c: SearchCriteria): ServiceSearchQuery {
  switch (c.tab) {
    case 'adresse':
      return {
        voie: c.voie.trim(),
        postcode: c.postcode.trim(),
        ...(c.city.trim() ? { city: c.city.trim() } : {}),
        types: c.types,
      };
    case 'dge':
      return { mode: 'dge', siren: compact(c.siren) };
    case 'dresg':
      return { mode: 'dresg' };
    case 'code':
      return { code: compact(c.code) };
  }
}

/** Maps a field of an API refusal to the form's field. */
export function searchField(apiField: string): SearchField | 'form' {
  const known: SearchField[] = ['voie', 'city', 'postcode', 'types', 'siren', 'code'];
  return (known as string[]).includes(apiField) ? (apiField as SearchField) : 'form';
}

/** The columns of actions of the reference's result table, in its order and words. */
export const ACTION_COLUMNS = [
  'Consulter le détail',
  'Ouvrir l’agenda',
  'Prendre RDV',
  'Organiser le service',
  'Voir les statistiques',
  'Configurer le service',
] as const;

export type ActionColumn = (typeof ACTION_COLUMNS)[number];

/**
 * Each column's link for this agent, or null where the API does not allow it. "Prendre RDV" is
 * there only when the API says this agent may book here (rattaché, or the office lets agents
 * extérieurs book); "Consulter le détail" is the office's public card, open to all.
 */
export function resultActions(s: DashboardService): { column: ActionColumn; href: string | null }[] {
  const base = `/agent/services/${s.code}`;
  const may = (a: DashboardService['actions'][number], href: string) => (s.actions.includes(a) ? href : null);
  return [
    { column: 'Consulter le détail', href: `/services/${s.code}` },
    { column: 'Ouvrir l’agenda', href: may('agenda.read', `${base}/agenda`) },
    { column: 'Prendre RDV', href: may('rdv.book', `${base}/parcours`) },
    { column: 'Organiser le service', href: may('service.organise', `${base}/organisation`) },
    { column: 'Voir les statistiques', href: may('service.stats', `${base}/statistiques`) },
    { column: 'Configurer le service', href: may('service.configure', `${base}/configuration`) },
  ];
}

/** The count the results region announces. */
export function resultCount(n: number): string {
  if (n === 0) return 'Aucun service ne répond aux critères de recherche.';
  return n === 1 ? '1 service trouvé' : `${n} services trouvés`;
}

const TAB_FIELDS: Record<SearchTab, readonly SearchField[]> = {
  adresse: ['voie', 'city', 'postcode', 'types'],
  dge: ['siren'],
  dresg: [],
  code: ['code'],
};

/**
 * The form after the page's address changed (a search, "Retour"): the searched tab's fields come
 * from the address, what was typed in the other tabs stays.
 */
export function adoptCriteria(current: SearchCriteria, fromUrl: SearchCriteria): SearchCriteria {
  const next: SearchCriteria = { ...current, tab: fromUrl.tab };
  for (const f of TAB_FIELDS[fromUrl.tab]) (next[f] as string) = fromUrl[f];
  return next;
}

/** The id of a field of the form (for the error summary's links and the focus). */
export function fieldId(field: SearchField): string {
  return field === 'types' ? 'types-TOUS' : `recherche-${field}`;
}
