import { ApiError } from '#lib/api/client.ts';
import { formatDay } from '#lib/format.ts';
import type { ParcoursOffer } from './parcours-api.ts';
import { type FieldError, outcomeOfError } from './submission.ts';
import { type UsagerField, usagerField } from './usager-input.ts';

/*
 * "Prendre RDV — parcours simplifié": the citizen's flow inside the agents' space. The rules
 * (canal, window, guichets open to agents extérieurs) are the API's; these helpers only say them.
 */

export const PARCOURS_STEPS = ['Motif et type de RDV', 'Créneau', 'L’usager', 'Confirmation'] as const;

export const TYPE_LABELS = { physique: 'RDV guichet physique', telephone: 'RDV téléphonique' } as const;

/** The booking window in words, with the rule behind it (the API computed the days). */
export function windowWords(offer: Pick<ParcoursOffer, 'canal' | 'window'>, today: string): string {
  const { from, to } = offer.window;
  if (offer.canal === 'agentService') {
    const start = from <= today ? 'dès aujourd’hui' : `à partir du ${formatDay(from)}`;
    return `Agent du service : vous pouvez prendre un rendez-vous ${start} et jusqu’au ${formatDay(to)} (60 jours glissants).`;
  }
  return `Agent extérieur au service : vous pouvez prendre un rendez-vous du ${formatDay(from)} au ${formatDay(to)} (à partir du lendemain de 2 jours ouvrés, sur 30 jours glissants), sur les seuls guichets ouverts aux agents extérieurs.`;
}

export type ParcoursField = UsagerField | 'precisions';

/** How sending the parcours' rdv ended, for the page to move on. */
export type ParcoursOutcome<T> =
  | { kind: 'done'; value: T }
  /** The slot is no longer offered (taken meanwhile, 409): choose again, the fields are kept. */
  | { kind: 'slot-lost'; message: string }
  | { kind: 'errors'; errors: FieldError<ParcoursField>[] };

const parcoursField = (apiField: string): ParcoursField | 'form' =>
  apiField === 'precisions' ? 'precisions' : (usagerField(apiField) ?? 'form');

/** Turns a refusal of POST …/parcours/rdvs into what the page shows, in French. */
export function parcoursOutcomeOfError<T>(err: unknown): ParcoursOutcome<T> {
  if (err instanceof ApiError && err.status === 409)
    return {
      kind: 'slot-lost',
      message:
        'Ce créneau vient d’être pris ou n’est plus proposé. Choisissez un autre créneau : les informations saisies sont conservées.',
    };
  if (err instanceof ApiError && err.status === 422 && err.code === 'OUTSIDE_BOOKING_WINDOW')
    return {
      kind: 'slot-lost',
      message: `${err.problem?.detail ?? 'Ce créneau est hors de la période de prise de rendez-vous.'} Choisissez un autre créneau.`,
    };
  if (err instanceof ApiError && err.status === 403)
    return {
      kind: 'errors',
      errors: [
        {
          field: 'form',
          message: err.problem?.detail ?? 'Votre habilitation ne permet pas de prendre ce rendez-vous.',
        },
      ],
    };
  const outcome = outcomeOfError<T, ParcoursField>(err, parcoursField);
  if (outcome.kind === 'errors') return outcome;
  // Warnings are for agents of the service in the agenda; the parcours never acknowledges any.
  return {
    kind: 'errors',
    errors: [{ field: 'form', message: 'Le rendez-vous n’a pas pu être pris. Réessayez.' }],
  };
}

/** The explanation of a refused parcours (403), in French, with what the agent may do instead. */
export function refusalDetail(detail: string | undefined): string {
  const why = detail ?? 'Votre habilitation ne permet pas de prendre rendez-vous dans ce service.';
  return `${why} Orientez l’usager vers la prise de rendez-vous en ligne, ou vers le service lui-même.`;
}
