import { createPaths, unwrap } from '#lib/api/client.ts';
import type { components } from '#lib/api/schema.d.ts';
import type { RdvStateFilter } from './rdv-lists.ts';

type Schemas = components['schemas'];
/** One line of "Liste des RDV" (GET /api/v1/agent/rdvs). */
export type RdvLine = Schemas['LigneRdv'];
export type RdvPage = Schemas['ListeRdv'];
/** One rdv found by "Rechercher les RDV": in the zone, or reached by its code and name. */
export type FoundRdv = Schemas['RechercheRdv']['items'][number];

type Fetch = typeof globalThis.fetch;

/** The calls of the list and the search, on the raw typed client (see client.ts). */
export function rdvListsApi(fetch: Fetch, origin: string) {
  const api = createPaths(fetch, origin);
  return {
    /** A page of the list: the rows after `cursor`, the total, the next page's cursor. */
    listRdvs: (query: {
      from: string;
      to: string;
      service?: string;
      state?: RdvStateFilter;
      cursor?: string;
      limit: number;
    }) => unwrap(api.GET('/api/v1/agent/rdvs', { params: { query } }), false),
    searchRdvs: (query: {
      code?: string;
      nom?: string;
      numeroFiscal?: string;
      siren?: string;
      from?: string;
      to?: string;
      state?: RdvStateFilter;
    }) => unwrap(api.GET('/api/v1/agent/rdv-search', { params: { query } }), false),
    /** "Arrivé / Non arrivé" (the rdv's day only). */
    setArrival: (id: number, arrived: boolean) =>
      unwrap(api.POST('/api/v1/agent/rdvs/{id}/arrival', { params: { path: { id } }, body: { arrived } })),
  };
}

export type RdvListsApi = ReturnType<typeof rdvListsApi>;

/** In the browser (the agents' pages render there only): same origin, the session cookie rides along. */
export const browserListsApi = () => rdvListsApi(fetch, location.origin);
