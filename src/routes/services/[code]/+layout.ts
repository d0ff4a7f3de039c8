import { error } from '@sveltejs/kit';
import { ApiError, createApi } from '#lib/api/client.ts';
import type { LayoutLoad } from './$types';

export const load: LayoutLoad = async ({ fetch, params, url }) => {
  try {
    return { service: await createApi(fetch, url.origin).service(params.code) };
  } catch (err) {
    // 422 is a code that is not 7 digits: for a person, the same as an unknown service.
    if (err instanceof ApiError && (err.status === 404 || err.status === 422)) {
      error(404, 'Service introuvable', {
        detail: `Aucun service des Finances publiques ne porte le code «\u00a0${params.code}\u00a0».`,
      });
    }
    throw err;
  }
};
