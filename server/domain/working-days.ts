import Holidays from 'date-holidays';
import { DAY_MS, formatDay, parseDay, weekdayOfDay } from './time.ts';
import type { HolidayCalendar, LocalDate } from './types.ts';

/*
 * Holidays come from date-holidays' French data, country FR with a state:
 * - alsace-moselle: state 57 (Moselle). Bas-Rhin (67) and Haut-Rhin (68) carry the same two extra
 *   days, Good Friday and 26 December, under the local law of the Concordat.
 * - overseas départements: states GP, MQ, GF, RE, YT, which add the abolition-of-slavery day and,
 *   where applicable, Good Friday.
 * Only type 'public' counts: Pentecost Sunday or Mother's Day are observances, and 21 July in the
 * Antilles is 'optional' in that data set.
 */
const STATE_OF: Record<HolidayCalendar, string | null> = {
  metropole: null,
  'alsace-moselle': '57',
  guadeloupe: 'GP',
  martinique: 'MQ',
  guyane: 'GF',
  reunion: 'RE',
  mayotte: 'YT',
};

export interface PublicHoliday {
  date: LocalDate;
  name: string;
}

const sources = new Map<HolidayCalendar, Holidays>();
// By calendar, then year: asked once per day of every slot grid, so no key string is built.
const byYear = new Map<HolidayCalendar, Map<number, { list: PublicHoliday[]; days: Set<number> }>>();

function source(calendar: HolidayCalendar): Holidays {
  let hd = sources.get(calendar);
  if (!hd) {
    const state = STATE_OF[calendar];
    hd =
      state === null
        ? new Holidays('FR', { languages: 'fr' })
        : new Holidays('FR', state, { languages: 'fr' });
    sources.set(calendar, hd);
  }
  return hd;
}

function yearEntry(calendar: HolidayCalendar, year: number): { list: PublicHoliday[]; days: Set<number> } {
  let years = byYear.get(calendar);
  if (!years) {
    years = new Map();
    byYear.set(calendar, years);
  }
  let entry = years.get(year);
  if (!entry) {
    const list: PublicHoliday[] = [];
    const days = new Set<number>();
    for (const h of source(calendar).getHolidays(year, 'fr')) {
      if (h.type !== 'public') continue;
      // `date` is the local calendar date of the holiday ('YYYY-MM-DD hh:mm:ss'), independent of the host zone.
      const date = h.date.slice(0, 10);
      const day = parseDay(date);
      if (days.has(day)) continue;
      days.add(day);
      list.push({ date, name: h.name });
    }
    list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    entry = { list, days };
    years.set(year, entry);
  }
  return entry;
}

/** Public holidays of a calendar for one year, sorted by date. */
export function publicHolidays(calendar: HolidayCalendar, year: number): readonly PublicHoliday[] {
  return yearEntry(calendar, year).list;
}

function yearOfDay(dayNumber: number): number {
  return new Date(dayNumber * DAY_MS).getUTCFullYear();
}

export function isPublicHolidayDay(dayNumber: number, calendar: HolidayCalendar): boolean {
  return yearEntry(calendar, yearOfDay(dayNumber)).days.has(dayNumber);
}

export function isPublicHoliday(date: LocalDate, calendar: HolidayCalendar): boolean {
  return isPublicHolidayDay(parseDay(date), calendar);
}

/** Monday to Friday and not a public holiday of the calendar. */
export function isWorkingDayNumber(dayNumber: number, calendar: HolidayCalendar): boolean {
  return weekdayOfDay(dayNumber) <= 5 && !isPublicHolidayDay(dayNumber, calendar);
}

export function isWorkingDay(date: LocalDate, calendar: HolidayCalendar): boolean {
  return isWorkingDayNumber(parseDay(date), calendar);
}

/**
 * The n-th working day after `date` (before it when n < 0), `date` itself not counted;
 * n = 0 returns `date` unchanged, working day or not.
 */
export function addWorkingDays(date: LocalDate, n: number, calendar: HolidayCalendar): LocalDate {
  return formatDay(addWorkingDaysToDay(parseDay(date), n, calendar));
}

export function addWorkingDaysToDay(dayNumber: number, n: number, calendar: HolidayCalendar): number {
  const step = n < 0 ? -1 : 1;
  let remaining = Math.abs(Math.trunc(n));
  let day = dayNumber;
  while (remaining > 0) {
    day += step;
    if (isWorkingDayNumber(day, calendar)) remaining--;
  }
  return day;
}

/** Working days in (from, to]: the count a "délai de N jours ouvrés" is measured with. */
export function workingDaysBetween(from: LocalDate, to: LocalDate, calendar: HolidayCalendar): number {
  const a = parseDay(from);
  const b = parseDay(to);
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  let count = 0;
  for (let day = lo + 1; day <= hi; day++) if (isWorkingDayNumber(day, calendar)) count++;
  return b >= a ? count : -count;
}
