import { bookingWindow } from './booking-window.ts';
import { DomainError, type Issue } from './errors.ts';
import { allowsType, plagesByWeekday } from './slots.ts';
import { dayFrame, formatIsoWithOffset, frameTime, localDayNumber, MINUTE_MS } from './time.ts';
import type { Busy, Fermeture, Guichet, Interval, RdvType, ServiceRules } from './types.ts';
import { isPublicHolidayDay } from './working-days.ts';

export type AgentBookingErrorCode =
  | 'END_BEFORE_START'
  | 'GUICHET_CLOSED'
  | 'OUTSIDE_BOOKING_WINDOW'
  | 'FERMETURE'
  | 'SLOT_TAKEN';

/** "Benign" issues: an agent of the service may go on once he has acknowledged each code. */
export type AgentBookingWarningCode =
  | 'OUTSIDE_PLAGES'
  | 'DURATION_DIFFERS'
  | 'TELEPHONE_ON_PHYSIQUE_ONLY'
  | 'PHYSIQUE_ON_TELEPHONE_ONLY'
  | 'USAGER_HAS_FUTURE_RDV';

export interface AgentBookingInput {
  rules: ServiceRules;
  guichet: Guichet;
  /** Fermetures of the service; those of other guichets are ignored. */
  fermetures: readonly Fermeture[];
  /** Active rdvs and holds; when replanning, leave out the rdv being moved. */
  busy: readonly Busy[];
  start: number;
  end: number;
  type: RdvType;
  now: number;
  /** The usager's SPI or SIREN already has a future rdv in this service. */
  usagerHasFutureRdv: boolean;
  /** Warning codes the agent has confirmed in the agenda. */
  acknowledged: readonly string[];
}

export interface AgentBookingCheck {
  /** Hard errors: never bookable, whatever is acknowledged. */
  errors: Issue<AgentBookingErrorCode>[];
  /** Every warning that applies, acknowledged or not. */
  warnings: Issue<AgentBookingWarningCode>[];
  /** The warnings still to be confirmed by the agent. */
  unacknowledged: Issue<AgentBookingWarningCode>[];
  /** No error and every warning acknowledged. */
  ok: boolean;
}

function overlaps(a: Interval, start: number, end: number): boolean {
  return a.start < end && a.end > start;
}

function hhmm(ms: number, tz: string): string {
  return formatIsoWithOffset(ms, tz).slice(11, 16);
}

function frDate(ms: number, tz: string): string {
  const iso = formatIsoWithOffset(ms, tz);
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}

/**
 * The opening intervals of a guichet's plages over the local days [fromDay, toDay] (day numbers),
 * public holidays excluded, sorted by start: what the agenda shades, and what "inside the plages"
 * means when an agent books.
 */
export function openingIntervals(
  rules: ServiceRules,
  guichet: Guichet,
  fromDay: number,
  toDay: number,
): Interval[] {
  const tz = rules.timeZone;
  const plages = plagesByWeekday(guichet.plages);
  const out: Interval[] = [];
  for (let day = fromDay; day <= toDay; day++) {
    if (isPublicHolidayDay(day, rules.holidayCalendar)) continue;
    const frame = dayFrame(day, tz);
    for (const p of plages[frame.weekday]!) {
      if (day < p.fromDay || day > p.toDay) continue;
      out.push({ start: frameTime(frame, p.startMin), end: frameTime(frame, p.endMin) });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/**
 * Minutes the open guichets offer on each local day of [fromDay, toDay] (day numbers): their
 * plages, public holidays and fermetures taken off — the occupancy rate's denominator. Each day
 * is resolved once for all the guichets (a year of 20 guichets is 365 frames, not 7,300).
 */
export function offeredMinutesByDay(
  rules: ServiceRules,
  guichets: readonly Guichet[],
  fermetures: readonly Fermeture[],
  fromDay: number,
  toDay: number,
): Map<number, number> {
  const open = guichets.filter((g) => g.open).map((g) => ({ id: g.id, plages: plagesByWeekday(g.plages) }));
  const out = new Map<number, number>();
  for (let day = fromDay; day <= toDay; day++) {
    if (isPublicHolidayDay(day, rules.holidayCalendar)) continue;
    const frame = dayFrame(day, rules.timeZone);
    const closing = fermetures.filter((f) => f.start < frame.end && f.end > frame.start);
    let offered = 0;
    for (const g of open) {
      for (const p of g.plages[frame.weekday]!) {
        if (day < p.fromDay || day > p.toDay) continue;
        const start = frameTime(frame, p.startMin);
        const end = frameTime(frame, p.endMin);
        offered += end - start - closedWithin(closing, g.id, start, end);
      }
    }
    if (offered > 0) out.set(day, offered / MINUTE_MS);
  }
  return out;
}

/**
 * How long the fermetures of guichet `guichetId` (its own and the service's) close [start, end):
 * the length of their union, so two fermetures over the same time (the service's and the
 * guichet's, or two of the service) take it off once.
 */
function closedWithin(
  fermetures: readonly Fermeture[],
  guichetId: number,
  start: number,
  end: number,
): number {
  const parts: Interval[] = [];
  for (const f of fermetures) {
    if (f.guichetId !== null && f.guichetId !== guichetId) continue;
    const s = Math.max(start, f.start);
    const e = Math.min(end, f.end);
    if (e > s) parts.push({ start: s, end: e });
  }
  if (parts.length === 0) return 0;
  parts.sort((a, b) => a.start - b.start);
  let closed = 0;
  let from = parts[0]!.start;
  let to = parts[0]!.end;
  for (const p of parts) {
    if (p.start > to) {
      closed += to - from;
      from = p.start;
      to = p.end;
    } else if (p.end > to) to = p.end;
  }
  return closed + to - from;
}

/** Whether [start, end) lies inside the union of the guichet's plages valid on the days it spans, holidays excluded. */
export function isWithinPlages(rules: ServiceRules, guichet: Guichet, start: number, end: number): boolean {
  const tz = rules.timeZone;
  const covered = openingIntervals(rules, guichet, localDayNumber(start, tz), localDayNumber(end - 1, tz));
  let reached = start;
  for (const c of covered) {
    if (c.start > reached) break;
    if (c.end > reached) reached = c.end;
    if (reached >= end) return true;
  }
  return false;
}

/**
 * Rules for an agent of the service who books from the agenda with a free start and end.
 * Returns every error and warning at once, so the agenda can show them together; use
 * `assertAgentBooking` in the use case to refuse with the first hard error.
 */
export function checkAgentBooking(input: AgentBookingInput): AgentBookingCheck {
  const { rules, guichet, start, end, type } = input;
  const tz = rules.timeZone;
  const errors: Issue<AgentBookingErrorCode>[] = [];
  const warnings: Issue<AgentBookingWarningCode>[] = [];

  if (!guichet.open) {
    errors.push({
      code: 'GUICHET_CLOSED',
      message: `Le guichet « ${guichet.name} » est fermé : ouvrez-le dans l'organisation du service ou choisissez un autre guichet.`,
    });
  }
  if (!(end > start)) {
    errors.push({
      code: 'END_BEFORE_START',
      message: "L'heure de fin doit être postérieure à l'heure de début du rendez-vous.",
    });
    // Without a valid interval the remaining checks would only add noise.
    return finish(errors, warnings, input.acknowledged);
  }

  const window = bookingWindow('agentService', input.now, rules);
  if (start < window.start || end > window.end) {
    errors.push({
      code: 'OUTSIDE_BOOKING_WINDOW',
      message:
        start < window.start
          ? 'Ce créneau est déjà passé : choisissez un horaire à venir.'
          : `Les rendez-vous se prennent au plus tard le ${frDate(window.end - 1, tz)} (60 jours glissants) : choisissez une date plus proche.`,
    });
    // Refused whatever else is said: and the plages' check walks every day up to the end, which
    // an end years ahead would turn into a long stall of the node.
    return finish(errors, warnings, input.acknowledged);
  }

  const fermeture = input.fermetures.find(
    (f) => (f.guichetId === null || f.guichetId === guichet.id) && overlaps(f, start, end),
  );
  if (fermeture) {
    errors.push({
      code: 'FERMETURE',
      message:
        fermeture.guichetId === null
          ? `Le service est fermé du ${frDate(fermeture.start, tz)} ${hhmm(fermeture.start, tz)} au ${frDate(fermeture.end, tz)} ${hhmm(fermeture.end, tz)} : choisissez un autre horaire.`
          : `Le guichet « ${guichet.name} » est fermé du ${frDate(fermeture.start, tz)} ${hhmm(fermeture.start, tz)} au ${frDate(fermeture.end, tz)} ${hhmm(fermeture.end, tz)} : choisissez un autre horaire ou un autre guichet.`,
    });
  }

  const taken = input.busy.find((b) => b.guichetId === guichet.id && overlaps(b, start, end));
  if (taken) {
    errors.push({
      code: 'SLOT_TAKEN',
      message: `Ce créneau chevauche un autre rendez-vous du guichet « ${guichet.name} » (${hhmm(taken.start, tz)}–${hhmm(taken.end, tz)}) : choisissez un autre horaire ou un autre guichet.`,
    });
  }

  if (!isWithinPlages(rules, guichet, start, end)) {
    warnings.push({
      code: 'OUTSIDE_PLAGES',
      message: `Ce rendez-vous est en dehors des plages d'ouverture du guichet « ${guichet.name} » (ou un jour férié). Confirmez pour le poser quand même.`,
    });
  }
  const minutes = (end - start) / MINUTE_MS;
  if (minutes !== rules.durationMinutes) {
    warnings.push({
      code: 'DURATION_DIFFERS',
      message: `Ce rendez-vous dure ${minutes} minutes au lieu des ${rules.durationMinutes} minutes prévues par le service. Confirmez pour garder cette durée.`,
    });
  }
  if (!allowsType(guichet, type)) {
    warnings.push(
      type === 'telephone'
        ? {
            code: 'TELEPHONE_ON_PHYSIQUE_ONLY',
            message: `Le guichet « ${guichet.name} » n'accueille que des rendez-vous physiques. Confirmez pour y poser un rendez-vous téléphonique.`,
          }
        : {
            code: 'PHYSIQUE_ON_TELEPHONE_ONLY',
            message: `Le guichet « ${guichet.name} » n'accueille que des rendez-vous téléphoniques. Confirmez pour y recevoir l'usager au guichet.`,
          },
    );
  }
  if (input.usagerHasFutureRdv) {
    warnings.push({
      code: 'USAGER_HAS_FUTURE_RDV',
      message:
        "Cet usager a déjà un rendez-vous à venir dans le service : vérifiez qu'il ne s'agit pas du même motif avant de confirmer.",
    });
  }
  return finish(errors, warnings, input.acknowledged);
}

function finish(
  errors: Issue<AgentBookingErrorCode>[],
  warnings: Issue<AgentBookingWarningCode>[],
  acknowledged: readonly string[],
): AgentBookingCheck {
  const unacknowledged = warnings.filter((w) => !acknowledged.includes(w.code));
  return { errors, warnings, unacknowledged, ok: errors.length === 0 && unacknowledged.length === 0 };
}

/**
 * Throws the first hard error, or ACKNOWLEDGEMENT_REQUIRED carrying the warnings left to confirm
 * in `details.warnings`; returns the check (with the acknowledged warnings, for the audit log).
 */
export function assertAgentBooking(input: AgentBookingInput): AgentBookingCheck {
  const check = checkAgentBooking(input);
  const first = check.errors[0];
  if (first) throw new DomainError(first.code, first.message, { blocking: check.errors });
  if (check.unacknowledged.length > 0) {
    throw new DomainError(
      'ACKNOWLEDGEMENT_REQUIRED',
      `Confirmation nécessaire : ${check.unacknowledged.map((w) => w.message).join(' ')}`,
      { warnings: check.unacknowledged },
    );
  }
  return check;
}
