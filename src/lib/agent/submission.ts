import { ApiError, type Warning } from '#lib/api/client.ts';

/** An error of an agent's form, next to its field and in the summary ("form": the summary only). */
export type FieldError<F extends string> = { field: F | 'form'; message: string };

/** How sending an agent's form ended. */
export type Outcome<T, F extends string> =
  | { kind: 'done'; value: T }
  /** Benign: the agent may confirm them ("Enregistrer quand même"). */
  | { kind: 'warnings'; warnings: Warning[] }
  | { kind: 'errors'; errors: FieldError<F>[] };

/** Where the hard errors of a booking or replanning (their codes) belong in the Horaires/Caractéristiques fields. */
const FIELD_OF_CODE: Record<string, 'guichetId' | 'date' | 'du' | 'a' | 'motifId'> = {
  GUICHET_CLOSED: 'guichetId',
  END_BEFORE_START: 'a',
  OUTSIDE_BOOKING_WINDOW: 'date',
  FERMETURE: 'du',
  SLOT_TAKEN: 'du',
  MOTIF_NOT_ALLOWED: 'motifId',
};

/** "HH:MM" + minutes, within the day ("23:50" + 20 stays "23:59" rather than wrapping). */
export function addMinutes(time: string, minutes: number): string {
  const total = Math.min(Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5)) + minutes, 23 * 60 + 59);
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

/**
 * Turns an API refusal into what the form shows. `fieldOf` maps the API's field paths
 * ("usager.nomUsage", "start") to the form's fields.
 */
export function outcomeOfError<T, F extends string>(
  err: unknown,
  fieldOf: (apiField: string) => F | 'form',
): Outcome<T, F> {
  const form = (message: string): Outcome<T, F> => ({ kind: 'errors', errors: [{ field: 'form', message }] });
  if (!(err instanceof ApiError))
    return form('La demande n’a pas pu être envoyée. Vérifiez votre connexion puis réessayez.');
  if (err.code === 'ACKNOWLEDGEMENT_REQUIRED' && err.warnings.length > 0)
    return { kind: 'warnings', warnings: err.warnings };
  if (err.status === 401) return form('Votre session a pris fin : reconnectez-vous, puis recommencez.');
  if (err.status === 429) return form(`Trop de demandes : réessayez dans ${err.retryAfter ?? 60} secondes.`);
  if (err.status >= 500) return form('Le service rencontre un problème. Réessayez dans quelques instants.');
  const problem = err.problem;
  if (problem?.errors?.length) {
    return {
      kind: 'errors',
      errors: problem.errors.map((e) => ({ field: fieldOf(e.field), message: e.message })),
    };
  }
  const message = problem?.detail ?? 'La demande a été refusée.';
  const field = problem?.code ? FIELD_OF_CODE[problem.code] : undefined;
  return { kind: 'errors', errors: [{ field: (field as F | undefined) ?? 'form', message }] };
}
