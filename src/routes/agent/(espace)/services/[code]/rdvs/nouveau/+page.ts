import { error } from '@sveltejs/kit';
import { requireRattache } from '#lib/agent/access.ts';
import { type Agenda, ApiError, createApi } from '#lib/api/client.ts';
import { localDay, PARIS } from '#lib/format.ts';
import type { PageLoad } from './$types';

const isTime = (v: string | null) => !!v && /^\d{2}:\d{2}$/.test(v);

/** "Créer un RDV", prefilled from the agenda: `?guichet=&date=&du=&a=`. */
export const load: PageLoad = async ({ fetch, params, parent, url }) => {
  requireRattache((await parent()).me, params.code);
  const q = url.searchParams;
  const asked = q.get('date') ?? '';
  const date = /^\d{4}-\d{2}-\d{2}$/.test(asked) ? asked : localDay(new Date(), PARIS);
  // The agenda of that day: the guichets, the motifs, the office's zone and what this agent may do.
  let frame: Agenda;
  try {
    frame = await createApi(fetch, url.origin).agenda(params.code, { from: date, to: date });
  } catch (err) {
    if (err instanceof ApiError && (err.status === 403 || err.status === 404))
      error(err.status, {
        message: err.status === 403 ? 'Accès refusé' : 'Service introuvable',
        detail: err.problem?.detail,
      });
    throw err;
  }
  if (!frame.can.create)
    error(403, {
      message: 'Accès refusé',
      detail: 'Votre habilitation ne permet pas de prendre de rendez-vous dans ce service.',
    });
  return {
    code: params.code,
    frame,
    prefill: {
      guichetId: q.get('guichet') ?? '',
      date,
      du: isTime(q.get('du')) ? (q.get('du') as string) : '',
      a: isTime(q.get('a')) ? (q.get('a') as string) : '',
    },
  };
};
