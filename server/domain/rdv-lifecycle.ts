import { DomainError } from './errors.ts';
import { isLocalDate, localDate, localDayNumber, parseDay } from './time.ts';
import type { Canal, Guichet, LocalDate } from './types.ts';

/** What the lifecycle rules need to know of a rdv. */
export interface RdvState {
  start: number;
  cancelled: boolean;
}

export type ArrivalStatus = 'open' | 'tooEarly' | 'frozen';

/** Arrival may be flagged only on the rdv's local day; before it, the usager cannot have come. */
export function arrivalStatus(rdvStart: number, now: number, tz: string): ArrivalStatus {
  const rdvDay = localDayNumber(rdvStart, tz);
  const today = localDayNumber(now, tz);
  if (today < rdvDay) return 'tooEarly';
  if (today > rdvDay) return 'frozen';
  return 'open';
}

export function canFlagArrival(rdvStart: number, now: number, tz: string): boolean {
  return arrivalStatus(rdvStart, now, tz) === 'open';
}

/** Guards flagging or unflagging "arrivé". */
export function assertCanFlagArrival(rdv: RdvState, now: number, tz: string): void {
  assertNotCancelled(rdv);
  const status = arrivalStatus(rdv.start, now, tz);
  if (status === 'frozen') {
    throw new DomainError(
      'ARRIVAL_FROZEN',
      "L'arrivée ne peut plus être modifiée : elle s'annote au plus tard le jour du rendez-vous.",
      { rdvDate: localDate(rdv.start, tz) },
    );
  }
  if (status === 'tooEarly') {
    throw new DomainError(
      'ARRIVAL_TOO_EARLY',
      "L'arrivée s'annote le jour du rendez-vous : revenez-y le jour même.",
      { rdvDate: localDate(rdv.start, tz) },
    );
  }
}

/** A cancelled rdv takes no further change: no replanning, no contre-appel, no arrival. */
export function assertNotCancelled(rdv: Pick<RdvState, 'cancelled'>): void {
  if (rdv.cancelled) {
    throw new DomainError('RDV_CANCELLED', 'Ce rendez-vous est annulé : il ne peut plus être modifié.');
  }
}

/** Cancellation is irreversible, so cancelling twice is refused rather than silently accepted. */
export function assertCanCancel(rdv: Pick<RdvState, 'cancelled'>): void {
  if (rdv.cancelled) {
    throw new DomainError('RDV_CANCELLED', 'Ce rendez-vous est déjà annulé : une annulation est définitive.');
  }
}

/**
 * The usager may cancel from the email link only a confirmed rdv that has not started, and only
 * if the service allows it (per-service setting); agents keep every other way.
 */
export function assertSelfCancellable(
  rdv: RdvState,
  service: { selfCancellation: boolean; phone: string | null },
  now: number,
): void {
  assertCanCancel(rdv);
  if (rdv.start <= now) {
    throw new DomainError(
      'RDV_STARTED',
      'Ce rendez-vous a déjà commencé ou est passé : il ne peut plus être annulé.',
    );
  }
  if (!service.selfCancellation) {
    throw new DomainError(
      'SELF_CANCELLATION_DISABLED',
      `Ce service n’accepte pas l’annulation en ligne. Contactez-le${service.phone ? ` au ${service.phone}` : ''} pour annuler.`,
    );
  }
}

export const CONTRE_APPEL_COMMENT_MAX = 2000;

export interface ContreAppelInput {
  date: string;
  comment: string;
  cancel: boolean;
}

export interface ContreAppel {
  date: LocalDate;
  comment: string;
  cancel: boolean;
}

/**
 * Validates a contre-appel to record on `rdv` and returns it normalised (comment trimmed).
 * It records a call already made, so its date cannot be after today in the service's zone.
 */
export function validateContreAppel(
  input: ContreAppelInput,
  rdv: RdvState,
  now: number,
  tz: string,
): ContreAppel {
  assertNotCancelled(rdv);
  if (!isLocalDate(input.date)) {
    throw new DomainError(
      'INVALID_DATE',
      'La date du contre-appel est invalide (format attendu AAAA-MM-JJ).',
      {
        field: 'date',
      },
    );
  }
  if (parseDay(input.date) > localDayNumber(now, tz)) {
    throw new DomainError('INVALID_DATE', 'La date du contre-appel ne peut pas être dans le futur.', {
      field: 'date',
    });
  }
  const comment = input.comment.trim();
  if (comment.length === 0) {
    throw new DomainError('COMMENT_REQUIRED', 'Le commentaire du contre-appel est obligatoire.', {
      field: 'comment',
    });
  }
  if (comment.length > CONTRE_APPEL_COMMENT_MAX) {
    throw new DomainError(
      'COMMENT_TOO_LONG',
      `Le commentaire du contre-appel est limité à ${CONTRE_APPEL_COMMENT_MAX} caractères (${comment.length} saisis).`,
      { field: 'comment', max: CONTRE_APPEL_COMMENT_MAX },
    );
  }
  return { date: input.date, comment, cancel: input.cancel };
}

/**
 * Motifs a rdv may be replanned onto through `canal`: its initial motif, plus those of the guichets
 * that are open and bookable by that canal. Sorted ascending.
 */
export function allowedReplanMotifs(
  initialMotifId: number,
  guichets: readonly Guichet[],
  canal: Canal,
): number[] {
  const motifs = new Set<number>([initialMotifId]);
  for (const g of guichets) {
    if (!g.open || !g.bookableBy.includes(canal)) continue;
    for (const m of g.motifIds) motifs.add(m);
  }
  return [...motifs].sort((a, b) => a - b);
}

export function assertReplanMotif(
  motifId: number,
  initialMotifId: number,
  guichets: readonly Guichet[],
  canal: Canal,
): void {
  if (!allowedReplanMotifs(initialMotifId, guichets, canal).includes(motifId)) {
    throw new DomainError(
      'MOTIF_NOT_ALLOWED',
      "Ce motif n'est proposé par aucun guichet ouvert et réservable pour votre profil : gardez le motif initial ou choisissez-en un autre.",
      { motifId },
    );
  }
}
