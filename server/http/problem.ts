import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** HTTP status and French title for each error code of the domain and the use cases. */
const catalogue: Record<string, { status: ContentfulStatusCode; title: string }> = {
  NOT_FOUND: { status: 404, title: 'Ressource introuvable' },
  VALIDATION_FAILED: { status: 422, title: 'Certaines informations sont invalides' },
  BAD_REQUEST: { status: 400, title: 'Requête invalide' },
  UNAUTHENTICATED: { status: 401, title: 'Authentification requise' },
  INVALID_CREDENTIALS: { status: 401, title: 'Connexion refusée' },
  FORBIDDEN: { status: 403, title: 'Action non autorisée' },
  PASSWORD_CHANGE_REQUIRED: { status: 403, title: 'Mot de passe à changer' },
  SLOT_TAKEN: { status: 409, title: 'Ce créneau vient d’être pris' },
  SLOT_UNAVAILABLE: { status: 409, title: 'Ce créneau n’est plus disponible' },
  HOLD_EXPIRED: { status: 410, title: 'La réservation temporaire a expiré' },
  HOLD_RELEASED: { status: 410, title: 'Ce créneau ne vous est plus réservé' },
  OUTSIDE_BOOKING_WINDOW: { status: 422, title: 'Date hors de la période de prise de rendez-vous' },
  GUICHET_CLOSED: { status: 422, title: 'Guichet fermé' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'Clé d’idempotence déjà utilisée pour une autre demande' },
  RATE_LIMITED: { status: 429, title: 'Trop de demandes' },
  GUICHET_NOT_BOOKABLE: { status: 422, title: 'Guichet non réservable par ce canal' },
  TYPE_NOT_ALLOWED: { status: 422, title: 'Type de rendez-vous non proposé' },
  FERMETURE: { status: 422, title: 'Service ou guichet fermé à cette date' },
  OVERLAP: { status: 409, title: 'Chevauchement avec un autre rendez-vous' },
  END_BEFORE_START: { status: 422, title: 'Horaires incohérents' },
  ARRIVAL_FROZEN: { status: 422, title: 'Arrivée non modifiable' },
  ARRIVAL_TOO_EARLY: { status: 422, title: 'Arrivée non modifiable avant le jour du rendez-vous' },
  RDV_CANCELLED: { status: 409, title: 'Rendez-vous annulé' },
  CONFLICT: { status: 409, title: 'Conflit, réessayez' },
  DECISION_REQUIRED: { status: 409, title: 'Des rendez-vous sortiraient de l’offre' },
  LAST_CHEF: { status: 409, title: 'Dernier chef de service' },
  RDV_STARTED: { status: 422, title: 'Rendez-vous déjà commencé' },
  SELF_CANCELLATION_DISABLED: { status: 403, title: 'Annulation en ligne non proposée par ce service' },
  COMMENT_REQUIRED: { status: 422, title: 'Commentaire obligatoire' },
  COMMENT_TOO_LONG: { status: 422, title: 'Commentaire trop long' },
  INVALID_DATE: { status: 422, title: 'Date invalide' },
  INVALID_TIME: { status: 422, title: 'Heure invalide' },
  INVALID_TIME_ZONE: { status: 422, title: 'Fuseau horaire invalide' },
  INVALID_DURATION: { status: 422, title: 'Durée invalide' },
  MOTIF_NOT_ALLOWED: { status: 422, title: 'Motif non autorisé' },
  ACKNOWLEDGEMENT_REQUIRED: { status: 422, title: 'Avertissements à confirmer' },
  NOT_READY: { status: 503, title: 'Service momentanément indisponible' },
  EXPORT_NOT_AUDITED: { status: 503, title: 'Export momentanément impossible' },
};

export function statusOf(code: string): ContentfulStatusCode {
  return catalogue[code]?.status ?? 422;
}

/** RFC 9457 problem details, in French. */
export function problem(
  c: Context,
  code: string,
  detail: string,
  extra: Record<string, unknown> = {},
  status: ContentfulStatusCode = statusOf(code),
): Response {
  const body = {
    type: `https://guichet.example/problemes/${code.toLowerCase().replaceAll('_', '-')}`,
    title: catalogue[code]?.title ?? 'Demande refusée',
    status,
    detail,
    code,
    instance: c.req.path,
    ...extra,
  };
  return c.body(JSON.stringify(body), status, { 'content-type': 'application/problem+json; charset=utf-8' });
}

/** Errors thrown by the domain or the use cases carry a string `code` (and optional details). */
export function isCodedError(
  err: unknown,
): err is Error & { code: string; details?: Record<string, unknown> } {
  const code = (err as { code?: unknown } | null)?.code;
  return err instanceof Error && typeof code === 'string' && code in catalogue;
}
