import { ApiError, createApi } from '#lib/api/client.ts';
import type { PageLoad } from './$types';

/** The self-cancellation link of the confirmation email: /rendez-vous/annuler?code=XXXXXX&jeton=… */
export const load: PageLoad = async ({ fetch, url }) => {
  const code = url.searchParams.get('code') ?? '';
  const token = url.searchParams.get('jeton') ?? '';
  if (!code || !token) {
    return {
      code,
      token,
      rdv: null,
      problem: 'Ce lien est incomplet : utilisez le lien du courriel de confirmation tel quel.',
    };
  }
  try {
    return { code, token, rdv: await createApi(fetch, url.origin).selfService(code, token), problem: null };
  } catch (err) {
    const problem =
      err instanceof ApiError && [400, 403, 404, 410, 422].includes(err.status)
        ? 'Ce lien n’est pas valide ou a expiré. Pour annuler votre rendez-vous, contactez le service par téléphone ou par courriel.'
        : 'Le rendez-vous n’a pas pu être chargé. Réessayez dans quelques instants.';
    return { code, token, rdv: null, problem };
  }
};
