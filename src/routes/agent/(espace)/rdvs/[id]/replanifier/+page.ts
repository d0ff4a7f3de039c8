import { parcoursApi } from '#lib/agent/parcours-api.ts';
import { ApiError, createApi } from '#lib/api/client.ts';
import type { PageLoad } from './$types';

/**
 * In the office's zone: the agenda of the rdv's day (guichets and motifs to choose from). An agent
 * extérieur (the fiche's `acces`): what the office offers agents extérieurs, as in the parcours
 * simplifié — or nothing when it offers them no guichet.
 */
export const load: PageLoad = async ({ fetch, parent, url }) => {
  const { fiche } = await parent();
  const acces = url.searchParams.get('acces');
  if (acces) {
    const offer = await parcoursApi(fetch, url.origin)
      .offer(fiche.service.code)
      .catch((err) => {
        if (err instanceof ApiError && (err.status === 403 || err.status === 404)) return null;
        throw err;
      });
    return { acces, offer, frame: null };
  }
  const day = fiche.start.slice(0, 10);
  return {
    acces: null,
    offer: null,
    frame: await createApi(fetch, url.origin).agenda(fiche.service.code, { from: day, to: day }),
  };
};
