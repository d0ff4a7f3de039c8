import { bookingWindow, isInBookingWindow } from './booking-window.ts';
import { DomainError } from './errors.ts';
import { findOfferedSlot, type SlotQuery } from './slots.ts';

/** What booking needs to know of a hold: where, when, and what became of it. */
export interface HeldSlotState {
  guichetId: number;
  start: number;
  end: number;
  /** Given back by its owner, or consumed by a booking. */
  released: boolean;
  /** Not released and not expired at `now`. */
  live: boolean;
}

const unavailable = (message: string) => new DomainError('SLOT_UNAVAILABLE', message);

/**
 * The guichet on which a held slot becomes an rdv now, or the rule that forbids it.
 *
 * - A released hold never books: its owner gave the slot back, or a booking consumed it (then the
 *   slot is taken).
 * - A live hold keeps its guichet, provided the guichet is still open and no fermeture came over
 *   the slot since it was placed (the head of office may change the offer in between).
 * - An expired hold gave its protection up: it books only if the slot passes every check that
 *   placing a hold makes (service active, guichet open and offering the motif, type and canal,
 *   plage, fermetures, window, no rdv nor other hold), on its guichet or another free one.
 *
 * `query.busy` holds the active rdvs and the live holds of the service; `query.guichets` is empty
 * when the service no longer takes rdvs.
 */
export function guichetForHeldSlot(query: Omit<SlotQuery, 'from' | 'to'>, held: HeldSlotState): number {
  if (held.released) {
    // Consumed by a booking (someone else's, or a retry with another key): the slot is taken.
    if (query.busy.some((b) => b.guichetId === held.guichetId && b.start < held.end && held.start < b.end)) {
      throw new DomainError(
        'SLOT_TAKEN',
        'Ce créneau vient d’être réservé par une autre personne. Choisissez un autre horaire.',
      );
    }
    throw new DomainError(
      'HOLD_RELEASED',
      'Ce créneau a été rendu et ne vous est plus réservé. Choisissez de nouveau un horaire.',
    );
  }
  if (held.live) {
    const guichet = query.guichets.find((g) => g.id === held.guichetId);
    if (!guichet?.open) {
      throw unavailable(
        'Ce créneau n’est plus proposé : le guichet a été fermé entre-temps. Choisissez un autre horaire.',
      );
    }
    const closed = query.fermetures.some(
      (f) =>
        (f.guichetId === null || f.guichetId === held.guichetId) && f.start < held.end && held.start < f.end,
    );
    if (closed) {
      throw unavailable(
        'Ce créneau n’est plus proposé : le service sera fermé à cette heure. Choisissez un autre horaire.',
      );
    }
    return held.guichetId;
  }
  if (!isInBookingWindow(held, bookingWindow(query.canal, query.now, query.rules))) {
    throw new DomainError(
      'OUTSIDE_BOOKING_WINDOW',
      'Ce créneau n’est plus dans la période de prise de rendez-vous. Choisissez un autre horaire.',
    );
  }
  const slot = findOfferedSlot(query, held.start);
  if (!slot || slot.end !== held.end) {
    throw new DomainError(
      'SLOT_TAKEN',
      'Le délai de réservation est dépassé et ce créneau n’est plus libre. Choisissez un autre horaire.',
    );
  }
  return slot.guichetIds.includes(held.guichetId) ? held.guichetId : slot.guichetIds[0]!;
}
