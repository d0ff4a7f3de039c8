import { error } from '@sveltejs/kit';
import { refusalDetail } from '#lib/agent/parcours.ts';
import { parcoursApi } from '#lib/agent/parcours-api.ts';
import { ApiError } from '#lib/api/client.ts';
import type { PageLoad } from './$types';

/** "Prendre RDV — parcours simplifié": what the API offers this agent here (canal, motifs, window). */
export const load: PageLoad = async ({ fetch, params, url }) => {
  try {
    return { offer: await parcoursApi(fetch, url.origin).offer(params.code) };
  } catch (err) {
    // A refusal is explained in French (the office does not open booking to agents extérieurs,
    // or a consultation profile); an unknown or malformed code is a missing service.
    if (err instanceof ApiError && err.status === 403)
      error(403, { message: 'Prise de rendez-vous impossible', detail: refusalDetail(err.problem?.detail) });
    if (err instanceof ApiError && (err.status === 404 || err.status === 422))
      error(404, {
        message: 'Service introuvable',
        detail: `Aucun service ne porte le code « ${params.code} ».`,
      });
    throw err;
  }
};
