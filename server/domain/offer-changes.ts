import { isWithinPlages } from './agent-booking.ts';
import { bookingWindow } from './booking-window.ts';
import type { Issue } from './errors.ts';
import { allowsType, computeSlots, type SlotQuery } from './slots.ts';
import { isLocalDate, localDate, MINUTE_MS, parseTime } from './time.ts';
import type { Busy, Fermeture, Guichet, Interval, Plage, RdvType, ServiceRules } from './types.ts';

/*
 * Pilotage (reference annexe 2): the head of office changes the offer — guichets, plages,
 * fermetures, duration, holiday calendar. Two pure questions: is the new configuration valid, and
 * which future rdvs would it push out of the offer ("impact first": they are shown before anything
 * is saved).
 */

/** A future rdv as the impact of a change sees it. */
export interface PlacedRdv extends Interval {
  id: number;
  guichetId: number;
  type: RdvType;
}

export type ConfigErrorCode =
  | 'PLAGE_END_BEFORE_START'
  | 'PLAGES_OVERLAP'
  | 'PLAGE_INVALID'
  | 'GUICHET_WITHOUT_TYPE'
  | 'GUICHET_NAME_REQUIRED'
  | 'DURATION_INVALID'
  | 'FERMETURE_END_BEFORE_START';

export type ConfigWarningCode = 'NO_BOOKABLE_GUICHET' | 'DURATION_NOT_RECOMMENDED';

/** The duration the reference recommends. */
export const RECOMMENDED_DURATION_MINUTES = 20;

const WEEKDAYS = ['', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];

/** Whether two plages can be in force on the same day (validity dates overlap). */
function validTogether(a: Plage, b: Plage): boolean {
  const aFrom = a.validFrom ?? '0000-01-01';
  const aTo = a.validTo ?? '9999-12-31';
  const bFrom = b.validFrom ?? '0000-01-01';
  const bTo = b.validTo ?? '9999-12-31';
  return aFrom <= bTo && bFrom <= aTo;
}

/**
 * Errors of a guichet's weekly plages, each with the index of the plage (`field: plages.N`):
 * a bad time or date, an end not after its start, two plages of one day that overlap while valid
 * at the same time.
 */
export function validatePlages(plages: readonly Plage[]): (Issue<ConfigErrorCode> & { field: string })[] {
  const errors: (Issue<ConfigErrorCode> & { field: string })[] = [];
  const minutes: ({ start: number; end: number } | null)[] = plages.map((p, i) => {
    try {
      const start = parseTime(p.start);
      const end = parseTime(p.end);
      if (!(p.weekday >= 1 && p.weekday <= 7)) throw new Error('jour');
      for (const d of [p.validFrom, p.validTo]) if (d && !isLocalDate(d)) throw new Error('date');
      if (end <= start) {
        errors.push({
          code: 'PLAGE_END_BEFORE_START',
          field: `plages.${i}`,
          message: `La plage du ${WEEKDAYS[p.weekday]} ${p.start}–${p.end} se termine avant de commencer.`,
        });
        return null;
      }
      if (p.validFrom && p.validTo && p.validTo < p.validFrom) {
        errors.push({
          code: 'PLAGE_INVALID',
          field: `plages.${i}`,
          message: `La plage du ${WEEKDAYS[p.weekday]} ${p.start}–${p.end} finit d’être valable avant de commencer à l’être.`,
        });
        return null;
      }
      return { start, end };
    } catch {
      errors.push({
        code: 'PLAGE_INVALID',
        field: `plages.${i}`,
        message: `Plage ${i + 1} invalide : jour de 1 (lundi) à 7, heures HH:MM, dates AAAA-MM-JJ.`,
      });
      return null;
    }
  });
  for (let i = 0; i < plages.length; i++) {
    for (let j = i + 1; j < plages.length; j++) {
      const a = plages[i]!;
      const b = plages[j]!;
      const ma = minutes[i];
      const mb = minutes[j];
      if (!ma || !mb || a.weekday !== b.weekday || !validTogether(a, b)) continue;
      if (ma.start < mb.end && mb.start < ma.end) {
        errors.push({
          code: 'PLAGES_OVERLAP',
          field: `plages.${j}`,
          message: `Le ${WEEKDAYS[a.weekday]}, les plages ${a.start}–${a.end} et ${b.start}–${b.end} se chevauchent : fusionnez-les ou décalez l’une d’elles.`,
        });
      }
    }
  }
  return errors;
}

/** A guichet must take at least one type of rdv, and have a name. */
export function validateGuichet(g: { name: string; types: readonly RdvType[] }): (Issue<ConfigErrorCode> & {
  field: string;
})[] {
  const errors: (Issue<ConfigErrorCode> & { field: string })[] = [];
  if (!g.name.trim())
    errors.push({ code: 'GUICHET_NAME_REQUIRED', field: 'name', message: 'Donnez un nom au guichet.' });
  if (g.types.length === 0)
    errors.push({
      code: 'GUICHET_WITHOUT_TYPE',
      field: 'types',
      message: 'Un guichet reçoit au moins un type de rendez-vous : au guichet, par téléphone, ou les deux.',
    });
  return errors;
}

/** What the warnings read of a guichet. */
export type WarnedGuichet = Pick<Guichet, 'name' | 'open' | 'bookableBy' | 'motifIds' | 'plages'>;

/**
 * Warnings about the whole service: they do not block saving, the head should know. The public
 * card shows "Prendre rendez-vous" when an open guichet bookable by internet offers motifs, and a
 * citizen finds slots only on such a guichet that also has plages: the warning says which of the
 * two the public will meet, and whether agents can still book.
 */
export function serviceWarnings(service: {
  active: boolean;
  durationMinutes: number;
  guichets: readonly WarnedGuichet[];
}): Issue<ConfigWarningCode>[] {
  const warnings: Issue<ConfigWarningCode>[] = [];
  const open = service.guichets.filter((g) => g.open);
  const online = open.filter((g) => g.bookableBy.includes('internet'));
  const offersOnline = online.some((g) => g.motifIds.length > 0 && g.plages.length > 0);
  if (service.active && !offersOnline) {
    const byAgents = open.some(
      (g) => g.bookableBy.some((c) => c !== 'internet') && g.motifIds.length > 0 && g.plages.length > 0,
    );
    const card = online.some((g) => g.motifIds.length > 0)
      ? 'la fiche publique du service affiche « Prendre rendez-vous » mais ne propose aucun créneau'
      : 'la fiche publique du service n’affiche pas « Prendre rendez-vous »';
    const missing = online
      .map((g) =>
        g.motifIds.length === 0 && g.plages.length === 0
          ? `« ${g.name} » n’a ni plage ni motif`
          : g.motifIds.length === 0
            ? `« ${g.name} » n’a aucun motif`
            : `« ${g.name} » n’a aucune plage`,
      )
      .join(', ');
    warnings.push({
      code: 'NO_BOOKABLE_GUICHET',
      message:
        `Le service est activé mais aucun guichet ouvert n’est réservable par internet avec des plages et des motifs${missing ? ` (${missing})` : ''} : ${card}` +
        (byAgents
          ? ' ; seuls les agents peuvent prendre rendez-vous.'
          : ' ; personne ne peut prendre rendez-vous, ni en ligne ni par un agent.'),
    });
  }
  if (service.durationMinutes !== RECOMMENDED_DURATION_MINUTES) {
    warnings.push({
      code: 'DURATION_NOT_RECOMMENDED',
      message: `Une durée de ${RECOMMENDED_DURATION_MINUTES} minutes est recommandée pour les rendez-vous.`,
    });
  }
  return warnings;
}

/** The offer as a change finds it or leaves it: what "outside the offer" is measured against. */
export interface OfferState {
  rules: ServiceRules;
  guichets: readonly Guichet[];
  fermetures: readonly Fermeture[];
}

/**
 * The rdvs the offer does not receive as they stand: their guichet gone or closed, or not taking
 * their type; their time outside the guichet's plages (public holidays of the calendar are
 * closed) or under a fermeture of the service or of their guichet; their length not the service's.
 */
export function rdvsOutsideOffer<R extends PlacedRdv>(offer: OfferState, rdvs: readonly R[]): R[] {
  const guichets = new Map(offer.guichets.map((g) => [g.id, g]));
  const length = offer.rules.durationMinutes * MINUTE_MS;
  return rdvs.filter((r) => {
    const g = guichets.get(r.guichetId);
    return (
      !g?.open ||
      !allowsType(g, r.type) ||
      r.end - r.start !== length ||
      offer.fermetures.some(
        (f) => (f.guichetId === null || f.guichetId === g.id) && f.start < r.end && r.start < f.end,
      ) ||
      !isWithinPlages(offer.rules, g, r.start, r.end)
    );
  });
}

/**
 * The rdvs a change pushes out of the offer: outside it after the change, not before. Agents may
 * force an rdv outside the plages, of another length or of a type its guichet does not take, and
 * a head may keep rdvs under a fermeture: those were outside already, so a change that does not
 * touch them (renaming their guichet) needs no decision, and a blanket "replan" or "cancel" of
 * the change never moves or cancels them.
 */
export function rdvsPushedOut<R extends PlacedRdv>(
  before: OfferState,
  after: OfferState,
  rdvs: readonly R[],
): R[] {
  const outsideAfter = rdvsOutsideOffer(after, rdvs);
  if (outsideAfter.length === 0) return [];
  const outsideBefore = new Set(rdvsOutsideOffer(before, outsideAfter).map((r) => r.id));
  return outsideAfter.filter((r) => !outsideBefore.has(r.id));
}

/**
 * Where the "replan" decision moves each rdv left outside the new offer: the first free slot of the
 * new offer for its motif and type (canal agentService), at or after its old start, else the
 * first one from now; null when the new offer has none in the window. The rdvs move one by one in
 * this order under the exclusion constraint, so an rdv still blocks its old time until its own
 * turn (a new duration must not put 09:00–09:30 on the 09:20 rdv before that one has moved), an
 * unplaced one keeps it, and each target blocks the next ones.
 */
export function replanTargets(
  query: Omit<SlotQuery, 'from' | 'to' | 'motifId' | 'type' | 'canal'>,
  rdvs: readonly (PlacedRdv & { motifId: number })[],
): Map<number, { guichetId: number; start: number; end: number } | null> {
  const moving = new Set(rdvs.map((r) => r.id));
  const taken: Busy[] = query.busy.filter(
    (b) => !('rdvId' in b) || !moving.has((b as { rdvId: number }).rdvId),
  );
  const tz = query.rules.timeZone;
  const window = bookingWindow('agentService', query.now, query.rules);
  const out = new Map<number, { guichetId: number; start: number; end: number } | null>();
  for (const [i, r] of rdvs.entries()) {
    const result = computeSlots({
      ...query,
      busy: [...taken, ...rdvs.slice(i + 1)],
      motifId: r.motifId,
      type: r.type,
      canal: 'agentService',
      from: localDate(query.now, tz),
      to: localDate(window.end - 1, tz),
    });
    const slots = result.days.flatMap((d) => d.slots);
    const slot = slots.find((s) => s.start >= r.start) ?? slots[0];
    if (!slot) {
      out.set(r.id, null);
      taken.push(r);
      continue;
    }
    const target = { guichetId: slot.guichetIds[0]!, start: slot.start, end: slot.end };
    taken.push(target);
    out.set(r.id, target);
  }
  return out;
}
