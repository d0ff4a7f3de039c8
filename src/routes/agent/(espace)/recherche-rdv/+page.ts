import { hasSearchCriteria, searchApiQuery, searchCriteria } from '#lib/agent/rdv-lists.ts';
import { rdvListsApi } from '#lib/agent/rdv-lists-api.ts';
import { ApiError } from '#lib/api/client.ts';
import type { PageLoad } from './$types';

/**
 * "Rechercher les RDV": the criteria of the address, and — when there is at least one — what the
 * API found, or its French reason for refusing (a malformed code, numéro fiscal, SIREN…).
 */
export const load: PageLoad = async ({ fetch, url }) => {
  const criteria = searchCriteria(url.searchParams);
  if (!hasSearchCriteria(criteria)) return { criteria, items: null, problem: null };
  try {
    const { items } = await rdvListsApi(fetch, url.origin).searchRdvs(searchApiQuery(criteria));
    return { criteria, items, problem: null };
  } catch (err) {
    if (err instanceof ApiError && err.status < 500 && err.status !== 401) {
      return {
        criteria,
        items: null,
        problem: {
          detail: err.problem?.detail ?? 'La recherche n’a pas abouti. Vérifiez les critères.',
          errors: err.problem?.errors ?? [],
        },
      };
    }
    throw err;
  }
};
