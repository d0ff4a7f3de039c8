import { bookingWindow } from './booking-window.ts';
import { DomainError } from './errors.ts';
import { dayFrame, frameTime, localDate, localDayNumber, MINUTE_MS, parseDay, parseTime } from './time.ts';
import type {
  Busy,
  Canal,
  Fermeture,
  Guichet,
  Interval,
  LocalDate,
  Plage,
  RdvType,
  ServiceRules,
} from './types.ts';
import { isPublicHolidayDay } from './working-days.ts';

export interface SlotQuery {
  rules: ServiceRules;
  guichets: readonly Guichet[];
  fermetures: readonly Fermeture[];
  /** Active rdvs and live holds, of any guichet of the service. */
  busy: readonly Busy[];
  motifId: number;
  type: RdvType;
  canal: Canal;
  /** First local day asked for. */
  from: LocalDate;
  /** Last local day asked for, inclusive. */
  to: LocalDate;
  now: number;
}

/** A slot and the guichets, by ascending id, on which it is still free. */
export interface OfferedSlot {
  start: number;
  end: number;
  guichetIds: number[];
}

export interface SlotDay {
  date: LocalDate;
  slots: OfferedSlot[];
}

export interface SlotsResult {
  /** Days with at least one slot, in order. */
  days: SlotDay[];
  /** Booking window of the canal at `now`, for the "no slot before…" message. */
  window: Interval;
}

export function allowsType(guichet: Guichet, type: RdvType): boolean {
  return type === 'physique' ? guichet.allowsPhysique : guichet.allowsTelephone;
}

/** Whether a guichet takes bookings of this motif and type through this canal. */
export function guichetOffers(guichet: Guichet, motifId: number, type: RdvType, canal: Canal): boolean {
  return (
    guichet.open &&
    allowsType(guichet, type) &&
    guichet.motifIds.includes(motifId) &&
    guichet.bookableBy.includes(canal)
  );
}

export function assertDuration(durationMinutes: number): void {
  if (!Number.isInteger(durationMinutes) || durationMinutes <= 0 || durationMinutes > 24 * 60) {
    throw new DomainError(
      'INVALID_DURATION',
      `Durée de rendez-vous invalide : ${durationMinutes} minutes (entier entre 1 et 1440 attendu).`,
      { durationMinutes },
    );
  }
}

export interface ParsedPlage {
  startMin: number;
  endMin: number;
  fromDay: number;
  toDay: number;
}

/** Plages indexed by ISO weekday (index 0 unused), each list sorted by start time. */
export function plagesByWeekday(plages: readonly Plage[]): ParsedPlage[][] {
  const out: ParsedPlage[][] = [[], [], [], [], [], [], [], []];
  for (const p of plages) {
    const startMin = parseTime(p.start);
    const endMin = parseTime(p.end);
    if (endMin <= startMin) continue;
    out[p.weekday]?.push({
      startMin,
      endMin,
      fromDay: p.validFrom ? parseDay(p.validFrom) : Number.NEGATIVE_INFINITY,
      toDay: p.validTo ? parseDay(p.validTo) : Number.POSITIVE_INFINITY,
    });
  }
  for (const list of out) list.sort((a, b) => a.startMin - b.startMin);
  return out;
}

/** Disjoint, sorted union of intervals, as parallel arrays so the sweep reads two numbers. */
interface Blocked {
  starts: number[];
  ends: number[];
}

function mergeIntervals(intervals: Interval[]): Blocked {
  intervals.sort((a, b) => a.start - b.start);
  const starts: number[] = [];
  const ends: number[] = [];
  for (const { start, end } of intervals) {
    const last = ends.length - 1;
    if (last >= 0 && start <= ends[last]!) {
      if (end > ends[last]!) ends[last] = end;
    } else {
      starts.push(start);
      ends.push(end);
    }
  }
  return { starts, ends };
}

/** Index of the first blocked interval ending after `t`. */
function firstEndingAfter(ends: number[], t: number): number {
  let lo = 0;
  let hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ends[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface PreparedGuichet {
  id: number;
  plages: ParsedPlage[][];
  blocked: Blocked;
}

/**
 * Free slots for a motif, a type and a canal, aggregated over the guichets that offer them.
 *
 * A slot is [t, t + duration) with t stepping from a plage's start; a trailing partial slot is
 * dropped. It must lie inside the canal's booking window, on a day that is not a public holiday,
 * and overlap no fermeture (of the service or the guichet) and no busy interval of the guichet.
 * Slots are generated on the absolute time line, so on DST days a plage keeps its real length.
 */
export function computeSlots(query: SlotQuery): SlotsResult {
  const { rules } = query;
  const tz = rules.timeZone;
  assertDuration(rules.durationMinutes);
  const window = bookingWindow(query.canal, query.now, rules);
  const firstDay = Math.max(parseDay(query.from), localDayNumber(window.start, tz));
  const lastDay = Math.min(parseDay(query.to), localDayNumber(window.end - 1, tz));
  const eligible = query.guichets
    .filter((g) => guichetOffers(g, query.motifId, query.type, query.canal))
    .sort((a, b) => a.id - b.id);
  if (firstDay > lastDay || eligible.length === 0) return { days: [], window };

  const rangeStart = Math.max(window.start, dayFrame(firstDay, tz).start);
  const rangeEnd = Math.min(window.end, dayFrame(lastDay, tz).end);
  const relevant = (i: Interval) => i.start < i.end && i.end > rangeStart && i.start < rangeEnd;

  const serviceClosed: Interval[] = [];
  const perGuichet = new Map<number, Interval[]>();
  for (const g of eligible) perGuichet.set(g.id, []);
  for (const f of query.fermetures) {
    if (!relevant(f)) continue;
    if (f.guichetId === null) serviceClosed.push(f);
    else perGuichet.get(f.guichetId)?.push(f);
  }
  for (const b of query.busy) {
    if (relevant(b)) perGuichet.get(b.guichetId)?.push(b);
  }
  const prepared: PreparedGuichet[] = eligible.map((g) => ({
    id: g.id,
    plages: plagesByWeekday(g.plages),
    blocked: mergeIntervals([...serviceClosed, ...(perGuichet.get(g.id) ?? [])]),
  }));

  const duration = rules.durationMinutes * MINUTE_MS;
  const days: SlotDay[] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    if (isPublicHolidayDay(day, rules.holidayCalendar)) continue;
    const frame = dayFrame(day, tz);
    const byStart = new Map<number, OfferedSlot>();
    for (const g of prepared) {
      const { starts, ends } = g.blocked;
      const blockedCount = ends.length;
      // Overlapping plages of one guichet must not yield overlapping slots on it.
      let guichetFreeFrom = Number.NEGATIVE_INFINITY;
      for (const p of g.plages[frame.weekday]!) {
        if (day < p.fromDay || day > p.toDay) continue;
        const plageStart = frameTime(frame, p.startMin);
        const plageEnd = Math.min(frameTime(frame, p.endMin), window.end);
        let t = plageStart;
        const notBefore = Math.max(window.start, guichetFreeFrom);
        if (t < notBefore) t += Math.ceil((notBefore - t) / duration) * duration;
        let i = firstEndingAfter(ends, t);
        while (t + duration <= plageEnd) {
          while (i < blockedCount && ends[i]! <= t) i++;
          if (i < blockedCount && starts[i]! < t + duration) {
            // Jump to the first grid point at or after the end of the blocking interval.
            t += Math.ceil((ends[i]! - t) / duration) * duration;
            continue;
          }
          const slot = byStart.get(t);
          if (slot === undefined) byStart.set(t, { start: t, end: t + duration, guichetIds: [g.id] });
          else if (slot.guichetIds[slot.guichetIds.length - 1] !== g.id) slot.guichetIds.push(g.id);
          t += duration;
          guichetFreeFrom = t;
        }
      }
    }
    if (byStart.size > 0) {
      const slots = [...byStart.values()].sort((a, b) => a.start - b.start);
      days.push({ date: frame.date, slots });
    }
  }
  return { days, window };
}

/**
 * The offered slot starting at `start`, or null if it is no longer offered (taken, closed, outside
 * the window or the plages). Placing a hold checks the requested start with this.
 */
export function findOfferedSlot(query: Omit<SlotQuery, 'from' | 'to'>, start: number): OfferedSlot | null {
  const date = localDate(start, query.rules.timeZone);
  const result = computeSlots({ ...query, from: date, to: date });
  for (const slot of result.days[0]?.slots ?? []) if (slot.start === start) return slot;
  return null;
}

/**
 * The offered slot [start, end), or a DomainError the booking flow can show: OUTSIDE_BOOKING_WINDOW
 * when the canal may not book then, SLOT_UNAVAILABLE when the slot is taken, closed or not on the grid.
 */
export function assertOfferedSlot(
  query: Omit<SlotQuery, 'from' | 'to'>,
  start: number,
  end: number = start + query.rules.durationMinutes * MINUTE_MS,
): OfferedSlot {
  const window = bookingWindow(query.canal, query.now, query.rules);
  if (start < window.start || end > window.end) {
    throw new DomainError(
      'OUTSIDE_BOOKING_WINDOW',
      query.canal === 'agentService'
        ? 'Ce créneau est en dehors de la période de réservation (de maintenant à 60 jours) : choisissez-en un autre.'
        : 'Ce créneau est en dehors de la période de réservation (à partir de 2 jours ouvrés et jusqu’à 30 jours) : choisissez-en un autre.',
      { window },
    );
  }
  const slot = findOfferedSlot(query, start);
  if (!slot || slot.end !== end) {
    throw new DomainError(
      'SLOT_UNAVAILABLE',
      "Ce créneau n'est plus disponible : choisissez-en un autre parmi ceux proposés.",
      { start, end },
    );
  }
  return slot;
}

/**
 * A guichet on which the slot starting at `start` is free: `preferredGuichetId` when it is among
 * them, else the lowest id, or null when the slot is not offered any more.
 */
export function findFreeGuichet(
  query: Omit<SlotQuery, 'from' | 'to'>,
  start: number,
  preferredGuichetId?: number | null,
): number | null {
  const slot = findOfferedSlot(query, start);
  if (!slot) return null;
  if (preferredGuichetId != null && slot.guichetIds.includes(preferredGuichetId)) return preferredGuichetId;
  return slot.guichetIds[0] ?? null;
}
