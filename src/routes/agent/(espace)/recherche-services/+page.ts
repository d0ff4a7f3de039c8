import { parcoursApi, type ServiceSearchAnswer } from '#lib/agent/parcours-api.ts';
import {
  apiQuery,
  criteriaFromQuery,
  type SearchError,
  searchField,
  validateCriteria,
} from '#lib/agent/service-search.ts';
import { ApiError } from '#lib/api/client.ts';
import type { PageLoad } from './$types';

/** "Rechercher les services": the criteria are the page's query; a submitted search is run here. */
export const load: PageLoad = async ({ fetch, url }) => {
  const { criteria, submitted } = criteriaFromQuery(url.searchParams);
  const none = {
    criteria,
    submitted,
    answer: null as ServiceSearchAnswer | null,
    errors: [] as SearchError[],
  };
  if (!submitted) return none;
  const errors = validateCriteria(criteria);
  if (errors.length > 0) return { ...none, errors };
  try {
    return { ...none, answer: await parcoursApi(fetch, url.origin).searchServices(apiQuery(criteria)) };
  } catch (err) {
    if (err instanceof ApiError && err.status === 422) {
      const list = err.problem?.errors ?? [];
      return {
        ...none,
        errors: list.length
          ? list.map((e) => ({ field: searchField(e.field), message: e.message }))
          : [{ field: 'form' as const, message: err.problem?.detail ?? 'Critères de recherche invalides.' }],
      };
    }
    throw err;
  }
};
