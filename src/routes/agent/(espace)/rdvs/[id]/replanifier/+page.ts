import { createApi } from '#lib/api/client.ts';
import type { PageLoad } from './$types';

/** The agenda of the rdv's day: guichets and motifs to choose from, in the office's zone. */
export const load: PageLoad = async ({ fetch, parent, url }) => {
  const { fiche } = await parent();
  const day = fiche.start.slice(0, 10);
  return { frame: await createApi(fetch, url.origin).agenda(fiche.service.code, { from: day, to: day }) };
};
