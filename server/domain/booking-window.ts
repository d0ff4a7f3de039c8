import { dayFrame, localDayNumber } from './time.ts';
import type { Canal, Interval, ServiceRules } from './types.ts';
import { addWorkingDaysToDay } from './working-days.ts';

/** Working days the service keeps between the booking day and the earliest rdv (today not counted). */
export const DELAI_JOURS_OUVRES = 2;

/** Rolling horizon in days, per canal. */
export const HORIZON_DAYS: Record<Canal, number> = {
  internet: 30,
  agentExterieur: 30,
  agentService: 60,
};

/**
 * When a rdv may be booked, for a canal, at instant `now`.
 *
 * - internet and agentExterieur: from local midnight of the day after the 2nd working day that
 *   follows today (Thursday → Friday, Monday → Tuesday 00:00), so the service has those two days for a
 *   contre-appel and to prepare the file. Whatever the weekday of that start, slots only exist where
 *   plages and working days allow.
 * - agentService: from `now` ("RDV immédiat").
 *
 * "N jours glissants" ends at the end of the local day N days after today: on 1 March with 30 days,
 * 31 March is bookable until midnight. The window is half-open, [start, end).
 */
export function bookingWindow(canal: Canal, now: number, rules: ServiceRules): Interval {
  const tz = rules.timeZone;
  const today = localDayNumber(now, tz);
  const end = dayFrame(today + HORIZON_DAYS[canal], tz).end;
  if (canal === 'agentService') return { start: now, end };
  const lastDelayDay = addWorkingDaysToDay(today, DELAI_JOURS_OUVRES, rules.holidayCalendar);
  return { start: dayFrame(lastDelayDay + 1, tz).start, end };
}

export function isInBookingWindow(interval: Interval, window: Interval): boolean {
  return interval.start >= window.start && interval.end <= window.end;
}
