import {
  ApiError,
  type Audience,
  type ContactReason,
  type ContactReasons,
  createApi,
  type ServiceSearch,
  type ServiceSummary,
} from '#lib/api/client.ts';
/**
 * Every choice of the contact page lives in the query string (vous, n1…n3, chercher, voie,
 * complement, localite, cp, etranger): back / forward, reload and shared links all work, and
 * the page is rendered on the server from the URL alone.
 */
import { LEVEL_KEYS } from '#lib/contact.ts';
import { browser } from '$app/env';
import type { PageLoad } from './$types';

const reasonsCache = new Map<Audience, ContactReasons>();

export type AddressQuery = { voie: string; complement: string; localite: string; cp: string };

export const load: PageLoad = async ({ fetch, url }) => {
  const api = createApi(fetch, url.origin);
  const q = url.searchParams;
  const vous = q.get('vous');
  const audience: Audience | null = vous === 'particulier' || vous === 'professionnel' ? vous : null;

  let reasons: ContactReasons | null = null;
  let reasonsError: string | null = null;
  if (audience) {
    try {
      reasons = reasonsCache.get(audience) ?? (await api.contactReasons(audience));
      if (browser) reasonsCache.set(audience, reasons);
    } catch {
      reasonsError =
        'Les motifs de contact n’ont pas pu être chargés. Rechargez la page dans quelques instants.';
    }
  }

  // The chosen path in the tree, level by level; an unknown id ends it.
  const path: ContactReason[] = [];
  let level: ContactReason[] = reasons?.reasons ?? [];
  for (const key of LEVEL_KEYS) {
    const id = q.get(key);
    const node = id === null ? undefined : level.find((r) => String(r.id) === id);
    if (!node) break;
    path.push(node);
    level = node.children ?? [];
  }
  const last = path.at(-1);
  const leaf = last && (last.children ?? []).length === 0 ? last : null;

  const address: AddressQuery = {
    voie: q.get('voie') ?? '',
    complement: q.get('complement') ?? '',
    localite: q.get('localite') ?? '',
    cp: q.get('cp') ?? '',
  };
  const searching = q.get('chercher') === '1' || q.has('cp');
  const abroad = q.get('etranger') === '1';

  let results: ServiceSearch | null = null;
  let searchErrors: { field: string; message: string }[] = [];
  let searchError: string | null = null;
  if (leaf && q.has('cp') && !abroad) {
    try {
      results = await api.searchServices({
        street: address.voie,
        postcode: address.cp,
        city: address.localite || undefined,
        kind: leaf.serviceKinds?.join(',') || undefined,
      });
    } catch (err) {
      if (err instanceof ApiError && err.status === 422) {
        searchErrors = err.problem?.errors ?? [];
        if (searchErrors.length === 0) searchError = err.message;
      } else if (err instanceof ApiError && err.status === 429) {
        searchError = 'Trop de recherches en peu de temps : réessayez dans une minute.';
      } else {
        searchError = 'La recherche n’a pas abouti. Vérifiez votre connexion puis réessayez.';
      }
    }
  }

  let dresg: ServiceSummary | null = null;
  if (leaf && (abroad || leaf.abroad)) {
    try {
      dresg = await api.dresg();
    } catch {
      searchError = 'Les coordonnées du service des résidents à l’étranger n’ont pas pu être chargées.';
    }
  }

  return {
    audience,
    reasons,
    reasonsError,
    path,
    leaf,
    address,
    searching,
    abroad,
    results,
    searchErrors,
    searchError,
    dresg,
  };
};
