import { error } from '@sveltejs/kit';
import { requireChef } from '#lib/agent/access.ts';
import { createConfigApi, type ServiceConfig } from '#lib/agent/config-api.ts';
import { ApiError } from '#lib/api/client.ts';
import type { PageLoad } from './$types';

/** "Configurer le service": the chef's (or an administrateur's) only; the API decides in the end. */
export const load: PageLoad = async ({ fetch, params, parent, url }) => {
  requireChef((await parent()).me, params.code);
  let config: ServiceConfig;
  try {
    config = await createConfigApi(fetch, url.origin).config(params.code);
  } catch (err) {
    if (err instanceof ApiError && (err.status === 403 || err.status === 404))
      error(err.status, {
        message: err.status === 403 ? 'Accès refusé' : 'Service introuvable',
        detail: err.problem?.detail,
      });
    throw err;
  }
  return { code: params.code, config };
};
