import { error } from '@sveltejs/kit';
import { createApi } from '#lib/api/client.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, url, parent }) => {
  const { me } = await parent();
  if (me.profile !== 'administrateur')
    error(403, {
      message: 'Accès refusé',
      detail: 'L’administration (création des agents et des services) est réservée aux administrateurs.',
    });
  // The active services, to suggest codes in the new agent's habilitations.
  return { services: (await createApi(fetch, url.origin).agentServices()).services };
};
