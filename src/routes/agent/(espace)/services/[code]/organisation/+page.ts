import { error } from '@sveltejs/kit';
import { organisationApi } from '#lib/agent/organisation-api.ts';
import { ApiError } from '#lib/api/client.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, url, params, parent }) => {
  const { me } = await parent();
  // A first answer in French before any call; the API decides anyway.
  if (me.profile !== 'administrateur' && !me.services.includes(params.code))
    error(403, {
      message: 'Accès refusé',
      detail: `Le service ${params.code} n’est pas dans votre zone de compétence : seul son chef de service (ou un administrateur) l’organise.`,
    });
  try {
    return { team: await organisationApi(fetch, url.origin).team(params.code) };
  } catch (err) {
    if (err instanceof ApiError && (err.status === 403 || err.status === 404))
      error(err.status, {
        message: err.status === 403 ? 'Accès refusé' : 'Service introuvable',
        detail: err.problem?.detail,
      });
    throw err;
  }
};
