import { createPaths, type RdvType, unwrap } from '#lib/api/client.ts';
import type { components } from '#lib/api/schema.d.ts';
import type { ServiceSearchQuery } from './service-search.ts';

type Schemas = components['schemas'];
type Fetch = typeof globalThis.fetch;

/** GET /api/v1/agent/service-search — the services found, the criteria recalled, the actions. */
export type ServiceSearchAnswer = Schemas['RechercheServices'];
/** GET /api/v1/agent/services/:code/parcours — types, motifs and window offered to this agent. */
export type ParcoursOffer = Schemas['ParcoursSimplifie'];
export type ParcoursMotif = ParcoursOffer['motifs'][number];
/** POST /api/v1/agent/services/:code/parcours/rdvs */
export type ParcoursRdvRequest = Schemas['ParcoursRdvRequest'];

/**
 * The calls of "Rechercher les services" and of the parcours simplifié, over the typed paths. GETs
 * do not read headers (see `unwrap`).
 */
export function parcoursApi(fetch: Fetch, origin: string) {
  const api = createPaths(fetch, origin);
  return {
    searchServices: (query: ServiceSearchQuery) =>
      unwrap(api.GET('/api/v1/agent/service-search', { params: { query } }), false),
    offer: (code: string) =>
      unwrap(api.GET('/api/v1/agent/services/{code}/parcours', { params: { path: { code } } }), false),
    /** Same shape as the public slots: the booking wizard's slot list reads either. */
    slots: (code: string, query: { motif: number; type: RdvType; from: string; to: string }) =>
      unwrap(
        api.GET('/api/v1/agent/services/{code}/parcours/slots', { params: { path: { code }, query } }),
        false,
      ),
    book: (code: string, body: ParcoursRdvRequest) =>
      unwrap(api.POST('/api/v1/agent/services/{code}/parcours/rdvs', { params: { path: { code } }, body })),
  };
}

export type ParcoursApi = ReturnType<typeof parcoursApi>;

/** The client of the agents' pages, which render in the browser only (same origin, cookie). */
export const browserParcoursApi = () => parcoursApi(fetch, location.origin);
