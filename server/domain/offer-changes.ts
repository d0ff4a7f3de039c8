import { isWithinPlages } from './agent-booking.ts';
import { bookingWindow } from './booking-window.ts';
import type { Issue } from './errors.ts';
import { allowsType, computeSlots, type SlotQuery } from './slots.ts';
import { isLocalDate, localDate, parseTime } from './time.ts';
import type { Busy, Guichet, Interval, Plage, RdvType, ServiceRules } from './types.ts';

/*
 * Pilotage (reference annexe 2): the head of office changes the offer — guichets, plages,
 * fermetures, duration. Two pure questions: is the new configuration valid, and which future rdvs
 * would it leave outside the offer ("impact first": they are shown before anything is saved).
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

/** Warnings about the whole service: they do not block saving, the head should know. */
export function serviceWarnings(service: {
  active: boolean;
  durationMinutes: number;
  guichets: readonly Pick<Guichet, 'open' | 'bookableBy'>[];
}): Issue<ConfigWarningCode>[] {
  const warnings: Issue<ConfigWarningCode>[] = [];
  if (service.active && !service.guichets.some((g) => g.open && g.bookableBy.length > 0)) {
    warnings.push({
      code: 'NO_BOOKABLE_GUICHET',
      message:
        'Le service est activé mais aucun guichet ouvert n’est réservable : personne ne peut prendre rendez-vous.',
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

/**
 * The future rdvs a change of one guichet would leave outside the offer: all of them when it
 * closes, those of a type it no longer takes, those outside its new plages.
 */
export function rdvsOutsideGuichet(
  rules: ServiceRules,
  after: Guichet,
  rdvs: readonly PlacedRdv[],
): PlacedRdv[] {
  return rdvs.filter(
    (r) =>
      r.guichetId === after.id &&
      (!after.open || !allowsType(after, r.type) || !isWithinPlages(rules, after, r.start, r.end)),
  );
}

/** The future rdvs a new fermeture would fall on (of its guichet, or of every guichet). */
export function rdvsUnderFermeture(
  fermeture: Interval & { guichetId: number | null },
  rdvs: readonly PlacedRdv[],
): PlacedRdv[] {
  return rdvs.filter(
    (r) =>
      (fermeture.guichetId === null || r.guichetId === fermeture.guichetId) &&
      r.start < fermeture.end &&
      fermeture.start < r.end,
  );
}

/** The future rdvs whose length is not the service's new duration. */
export function rdvsOfOtherDuration(durationMinutes: number, rdvs: readonly PlacedRdv[]): PlacedRdv[] {
  return rdvs.filter((r) => r.end - r.start !== durationMinutes * 60_000);
}

/**
 * Where the "replan" decision moves each rdv left outside the new offer: the first free slot of the
 * new offer for its motif and type (canal agentService), at or after its old start, else the
 * first one from now; null when the new offer has none in the window. Rdvs are placed in order,
 * each taking its slot from the next ones.
 */
export function replanTargets(
  query: Omit<SlotQuery, 'from' | 'to' | 'motifId' | 'type' | 'canal'>,
  rdvs: readonly (PlacedRdv & { motifId: number })[],
): Map<number, { guichetId: number; start: number; end: number } | null> {
  const moving = new Set(rdvs.map((r) => r.id));
  const busy: Busy[] = query.busy.filter(
    (b) => !('rdvId' in b) || !moving.has((b as { rdvId: number }).rdvId),
  );
  const tz = query.rules.timeZone;
  const window = bookingWindow('agentService', query.now, query.rules);
  const out = new Map<number, { guichetId: number; start: number; end: number } | null>();
  for (const r of rdvs) {
    const result = computeSlots({
      ...query,
      busy,
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
      continue;
    }
    const target = { guichetId: slot.guichetIds[0]!, start: slot.start, end: slot.end };
    busy.push(target);
    out.set(r.id, target);
  }
  return out;
}
