import { error } from '@sveltejs/kit';
import { ApiError, createApi } from '#lib/api/client.ts';
import type { LayoutLoad } from './$types';

/** The fiche RDV, for the fiche and its forms (contre-appel, replanifier). */
export const load: LayoutLoad = async ({ fetch, params, url, depends }) => {
  depends('agent:fiche');
  const id = Number(params.id);
  if (!Number.isInteger(id) || id <= 0)
    error(404, { message: 'Rendez-vous introuvable', detail: 'Ce numéro de rendez-vous n’existe pas.' });
  // An agent extérieur comes from "Rechercher les RDV" with the access its code and name gave.
  const acces = url.searchParams.get('acces');
  try {
    return { fiche: await createApi(fetch, url.origin).rdvFiche(id, acces ?? undefined) };
  } catch (err) {
    // 404 also for an rdv outside the zone: its existence does not leak.
    if (err instanceof ApiError && (err.status === 404 || err.status === 403))
      error(err.status, {
        message: err.status === 404 ? 'Rendez-vous introuvable' : 'Accès refusé',
        detail: err.problem?.detail,
      });
    throw err;
  }
};
