import { tzOffset } from '@date-fns/tz';
import { DomainError } from './errors.ts';
import type { LocalDate, WallTime, Weekday } from './types.ts';

/*
 * Calendar dates are handled as day numbers (days since 1970-01-01) with Hinnant's civil-calendar
 * arithmetic: no Date objects, no zone, so the hot loops in slot computation stay allocation-free.
 *
 * Local wall-clock → instant follows the "compatible" rule of RFC 5545 and Temporal:
 * - a wall time skipped by a spring-forward gap (02:30 on the last Sunday of March in
 *   Europe/Paris) is shifted forward by the length of the gap (→ 03:30 CEST);
 * - a wall time repeated by a fall-back (02:30 on the last Sunday of October) is the earlier of
 *   the two instants (02:30 CEST, i.e. 00:30Z).
 */

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^(\d{2}):(\d{2})$/;

export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** 'YYYY-MM-DD' of a day number. */
export function formatDay(dayNumber: number): LocalDate {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
}

export function isLocalDate(value: string): boolean {
  const match = DATE_RE.exec(value);
  if (!match) return false;
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  return formatDay(daysFromCivil(Number(match[1]), month, day)) === value;
}

/** Day number of a 'YYYY-MM-DD' date; throws INVALID_DATE on anything else (2026-02-30 included). */
export function parseDay(date: LocalDate): number {
  const match = DATE_RE.exec(date);
  if (match) {
    const n = daysFromCivil(Number(match[1]), Number(match[2]), Number(match[3]));
    if (formatDay(n) === date) return n;
  }
  throw new DomainError('INVALID_DATE', `Date invalide : « ${date} » (format attendu AAAA-MM-JJ).`, { date });
}

/** Minutes since local midnight of an 'HH:MM' time; '24:00' is accepted as the end of the day. */
export function parseTime(time: WallTime): number {
  const match = TIME_RE.exec(time);
  if (match) {
    const h = Number(match[1]);
    const m = Number(match[2]);
    if ((h < 24 && m < 60) || (h === 24 && m === 0)) return h * 60 + m;
  }
  throw new DomainError('INVALID_TIME', `Heure invalide : « ${time} » (format attendu HH:MM).`, { time });
}

export function formatTime(minutes: number): WallTime {
  return `${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
}

export function weekdayOfDay(dayNumber: number): Weekday {
  // 1970-01-01 was a Thursday (ISO 4).
  return ((((dayNumber % 7) + 10) % 7) + 1) as Weekday;
}

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function weekday(date: LocalDate): Weekday {
  return weekdayOfDay(parseDay(date));
}

export function addDays(date: LocalDate, n: number): LocalDate {
  return formatDay(parseDay(date) + n);
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return parseDay(b) - parseDay(a);
}

// Real zones change offset only at quarter-hour instants, so one lookup serves a whole quarter
// hour. Asking Intl (through tzOffset) is what costs: formatting a month of slots asked it
// hundreds of times per request. The memo is bounded and cleared when full.
const QUARTER_MS = 15 * MINUTE_MS;
const OFFSET_MEMO_MAX = 200_000;
const offsetMemo = new Map<string, Map<number, number>>();
let offsetMemoSize = 0;

/** UTC offset of `tz` at instant `ms`, in milliseconds (east positive). */
export function offsetMs(tz: string, ms: number): number {
  const quarter = Math.floor(ms / QUARTER_MS);
  let zone = offsetMemo.get(tz);
  const known = zone?.get(quarter);
  if (known !== undefined) return known;
  const minutes = tzOffset(tz, new Date(quarter * QUARTER_MS));
  if (Number.isNaN(minutes)) {
    throw new DomainError('INVALID_TIME_ZONE', `Fuseau horaire inconnu : « ${tz} ».`, { timeZone: tz });
  }
  const offset = Math.round(minutes * MINUTE_MS);
  if (offsetMemoSize >= OFFSET_MEMO_MAX) {
    offsetMemo.clear();
    offsetMemoSize = 0;
    zone = undefined;
  }
  if (!zone) {
    zone = new Map();
    offsetMemo.set(tz, zone);
  }
  zone.set(quarter, offset);
  offsetMemoSize++;
  return offset;
}

/**
 * Instant of a local wall-clock reading expressed as "milliseconds as if the zone were UTC".
 * Offsets a day before and after bracket any single transition, which is all real zones have.
 */
function localToInstant(localMs: number, tz: string): number {
  const before = offsetMs(tz, localMs - DAY_MS);
  const after = offsetMs(tz, localMs + DAY_MS);
  const early = localMs - before;
  if (before === after) return early;
  const late = localMs - after;
  const earlyValid = offsetMs(tz, early) === before;
  const lateValid = offsetMs(tz, late) === after;
  if (earlyValid && lateValid) return Math.min(early, late);
  if (earlyValid) return early;
  if (lateValid) return late;
  // Skipped wall time: keep the offset in force before the gap, which moves it forward.
  return early;
}

/** Epoch ms of a local date and wall-clock time in `tz` (see the DST rule at the top of the file). */
export function zonedTime(date: LocalDate, time: WallTime, tz: string): number {
  return localToInstant(parseDay(date) * DAY_MS + parseTime(time) * MINUTE_MS, tz);
}

/** Epoch ms of local midnight starting `date` in `tz`. */
export function startOfLocalDay(date: LocalDate, tz: string): number {
  return dayFrame(parseDay(date), tz).start;
}

/** Local calendar date of an instant in `tz`. */
export function localDate(ms: number, tz: string): LocalDate {
  return formatDay(localDayNumber(ms, tz));
}

export function localDayNumber(ms: number, tz: string): number {
  return Math.floor((ms + offsetMs(tz, ms)) / DAY_MS);
}

/** Local wall-clock time 'HH:MM' of an instant in `tz` (seconds truncated). */
export function localTime(ms: number, tz: string): WallTime {
  const local = ms + offsetMs(tz, ms);
  const minutes = Math.floor((local - Math.floor(local / DAY_MS) * DAY_MS) / MINUTE_MS);
  return formatTime(minutes);
}

/** '2026-12-08T09:20:00+01:00': RFC 3339 with the zone's offset at that instant. */
export function formatIsoWithOffset(ms: number, tz: string): string {
  const off = offsetMs(tz, ms);
  const local = ms + off;
  const day = Math.floor(local / DAY_MS);
  const secondsOfDay = Math.floor((local - day * DAY_MS) / 1000);
  const h = Math.floor(secondsOfDay / 3600);
  const m = Math.floor((secondsOfDay % 3600) / 60);
  const s = secondsOfDay % 60;
  const offMinutes = Math.round(Math.abs(off) / MINUTE_MS);
  const sign = off < 0 ? '-' : '+';
  return `${formatDay(day)}T${pad2(h)}:${pad2(m)}:${pad2(s)}${sign}${pad2(Math.floor(offMinutes / 60))}:${pad2(offMinutes % 60)}`;
}

/**
 * A local day of a zone, resolved once. `offset` is set when the zone keeps one offset for the
 * whole day (every day but the DST ones), so a wall time converts with one addition.
 */
export interface DayFrame {
  day: number;
  date: LocalDate;
  weekday: Weekday;
  /** Local midnight. */
  start: number;
  /** Next local midnight (23 or 25 hours later on DST days). */
  end: number;
  offset: number | null;
  tz: string;
}

const FRAME_CACHE_LIMIT = 20_000;
// By zone, then day number: a string key built on every call cost more than the frame it found.
const frameCache = new Map<string, Map<number, DayFrame>>();
let frameCacheSize = 0;

export function dayFrame(dayNumber: number, tz: string): DayFrame {
  let zone = frameCache.get(tz);
  const cached = zone?.get(dayNumber);
  if (cached) return cached;
  const start = localToInstant(dayNumber * DAY_MS, tz);
  const end = localToInstant((dayNumber + 1) * DAY_MS, tz);
  const startOffset = offsetMs(tz, start);
  const uniform = end - start === DAY_MS && startOffset === offsetMs(tz, end - 1);
  const frame: DayFrame = {
    day: dayNumber,
    date: formatDay(dayNumber),
    weekday: weekdayOfDay(dayNumber),
    start,
    end,
    offset: uniform ? startOffset : null,
    tz,
  };
  // Dates and zones in use are few; the bound only protects a long-lived process from odd callers.
  if (frameCacheSize >= FRAME_CACHE_LIMIT) {
    frameCache.clear();
    frameCacheSize = 0;
    zone = undefined;
  }
  if (!zone) {
    zone = new Map();
    frameCache.set(tz, zone);
  }
  zone.set(dayNumber, frame);
  frameCacheSize++;
  return frame;
}

/** Instant of `minutes` after local midnight on the frame's day (0 … 1440). */
export function frameTime(frame: DayFrame, minutes: number): number {
  if (frame.offset !== null) return frame.day * DAY_MS + minutes * MINUTE_MS - frame.offset;
  return localToInstant(frame.day * DAY_MS + minutes * MINUTE_MS, frame.tz);
}
