import { describe, expect, it } from 'vitest';
import { bookingWindow, isInBookingWindow } from './booking-window.ts';
import { formatIsoWithOffset, zonedTime } from './time.ts';
import type { Canal, HolidayCalendar, ServiceRules } from './types.ts';

const PARIS = 'Europe/Paris';
const rules = (holidayCalendar: HolidayCalendar = 'metropole', timeZone = PARIS): ServiceRules => ({
  timeZone,
  holidayCalendar,
  durationMinutes: 20,
});
const iso = (ms: number, tz = PARIS) => formatIsoWithOffset(ms, tz);

describe('bookingWindow for internet and agentExterieur', () => {
  it.each<[string, string, HolidayCalendar, string]>([
    // now (local date, time), calendar, earliest start
    ['2026-12-03', '10:00', 'metropole', '2026-12-08T00:00:00+01:00'], // Thursday → next Tuesday
    ['2026-12-03', '00:00', 'metropole', '2026-12-08T00:00:00+01:00'],
    ['2026-12-03', '23:59', 'metropole', '2026-12-08T00:00:00+01:00'],
    ['2026-12-07', '10:00', 'metropole', '2026-12-10T00:00:00+01:00'], // Monday → Thursday
    ['2026-12-04', '10:00', 'metropole', '2026-12-09T00:00:00+01:00'], // Friday → Wednesday
    ['2026-12-05', '10:00', 'metropole', '2026-12-09T00:00:00+01:00'], // Saturday → Wednesday
    ['2026-12-06', '23:00', 'metropole', '2026-12-09T00:00:00+01:00'], // Sunday → Wednesday
    // Christmas 2026 falls on a Friday; 26 December is a Saturday, so Alsace-Moselle changes nothing.
    ['2026-12-23', '10:00', 'metropole', '2026-12-29T00:00:00+01:00'],
    ['2026-12-23', '10:00', 'alsace-moselle', '2026-12-29T00:00:00+01:00'],
    ['2026-12-24', '10:00', 'metropole', '2026-12-30T00:00:00+01:00'],
    // In 2025, 26 December is a Friday: a working day in metropole only.
    ['2025-12-23', '10:00', 'metropole', '2025-12-27T00:00:00+01:00'],
    ['2025-12-23', '10:00', 'alsace-moselle', '2025-12-30T00:00:00+01:00'],
    // Good Friday 3 April 2026 and Easter Monday 6 April.
    ['2026-04-01', '10:00', 'metropole', '2026-04-04T00:00:00+02:00'],
    ['2026-04-01', '10:00', 'alsace-moselle', '2026-04-08T00:00:00+02:00'],
    // Ascension, Thursday 6 May 2027; Whit Monday, 17 May 2027.
    ['2027-05-04', '10:00', 'metropole', '2027-05-08T00:00:00+02:00'],
    ['2027-05-05', '10:00', 'metropole', '2027-05-11T00:00:00+02:00'],
    ['2027-05-06', '10:00', 'metropole', '2027-05-11T00:00:00+02:00'],
    ['2027-05-13', '10:00', 'metropole', '2027-05-19T00:00:00+02:00'],
    // Fall-back weekend, 25 October 2026: the start is a CET midnight.
    ['2026-10-22', '10:00', 'metropole', '2026-10-27T00:00:00+01:00'],
    ['2026-10-23', '10:00', 'metropole', '2026-10-28T00:00:00+01:00'],
    ['2026-10-24', '23:30', 'metropole', '2026-10-28T00:00:00+01:00'],
    // Spring-forward on Easter Sunday, 28 March 2027; Easter Monday the 29th.
    ['2027-03-25', '10:00', 'metropole', '2027-03-31T00:00:00+02:00'],
    ['2027-03-25', '10:00', 'alsace-moselle', '2027-04-01T00:00:00+02:00'],
    ['2027-03-26', '10:00', 'metropole', '2027-04-01T00:00:00+02:00'],
    ['2027-03-27', '12:00', 'metropole', '2027-04-01T00:00:00+02:00'],
  ])('now %s %s (%s) → earliest %s', (date, time, calendar, expected) => {
    const now = zonedTime(date, time, PARIS);
    for (const canal of ['internet', 'agentExterieur'] as const) {
      expect(iso(bookingWindow(canal, now, rules(calendar)).start)).toBe(expected);
    }
  });

  it('reads "today" in the service zone, during the repeated hour as well', () => {
    // 23:30Z on Thursday is already Friday 00:30 in Paris.
    const fridayInParis = Date.parse('2026-12-03T23:30:00Z');
    expect(iso(bookingWindow('internet', fridayInParis, rules()).start)).toBe('2026-12-09T00:00:00+01:00');
    for (const now of [Date.parse('2026-10-25T00:30:00Z'), Date.parse('2026-10-25T01:30:00Z')]) {
      expect(iso(bookingWindow('internet', now, rules()).start)).toBe('2026-10-28T00:00:00+01:00');
    }
  });

  it('ends at the end of the local day 30 days after today', () => {
    const w = bookingWindow('internet', zonedTime('2026-12-03', '10:00', PARIS), rules());
    expect(iso(w.end)).toBe('2027-01-03T00:00:00+01:00');
    // Across the fall-back change the horizon keeps local midnights (one 25-hour day inside).
    const october = bookingWindow('internet', zonedTime('2026-10-01', '10:00', PARIS), rules());
    expect(iso(october.end)).toBe('2026-11-01T00:00:00+01:00');
    const friday = bookingWindow('agentExterieur', zonedTime('2026-10-23', '10:00', PARIS), rules());
    expect(iso(friday.end)).toBe('2026-11-23T00:00:00+01:00');
  });

  it('uses the overseas calendar and zone', () => {
    const cayenne = 'America/Cayenne';
    // 10 June, abolition of slavery in Guyane (a Wednesday in 2026).
    const now = zonedTime('2026-06-08', '10:00', cayenne);
    expect(iso(bookingWindow('internet', now, rules('guyane', cayenne)).start, cayenne)).toBe(
      '2026-06-12T00:00:00-03:00',
    );
    expect(iso(bookingWindow('internet', now, rules('metropole', cayenne)).start, cayenne)).toBe(
      '2026-06-11T00:00:00-03:00',
    );
    // 20 December 2027, a Monday, in La Réunion.
    const reunion = 'Indian/Reunion';
    const thursday = zonedTime('2027-12-16', '10:00', reunion);
    expect(iso(bookingWindow('internet', thursday, rules('reunion', reunion)).start, reunion)).toBe(
      '2027-12-22T00:00:00+04:00',
    );
  });
});

describe('bookingWindow for agentService', () => {
  it('starts now and ends at the end of the local day 60 days after today', () => {
    const now = zonedTime('2026-12-03', '10:17', PARIS);
    const w = bookingWindow('agentService', now, rules());
    expect(w.start).toBe(now);
    expect(iso(w.end)).toBe('2027-02-02T00:00:00+01:00');
  });

  it('crosses the spring-forward change', () => {
    const now = zonedTime('2027-02-15', '09:00', PARIS);
    expect(iso(bookingWindow('agentService', now, rules()).end)).toBe('2027-04-17T00:00:00+02:00');
  });

  it('is wider than the internet window on both sides', () => {
    const now = zonedTime('2026-12-03', '10:00', PARIS);
    const service = bookingWindow('agentService', now, rules());
    for (const canal of ['internet', 'agentExterieur'] satisfies Canal[]) {
      const w = bookingWindow(canal, now, rules());
      expect(service.start).toBeLessThan(w.start);
      expect(service.end).toBeGreaterThan(w.end);
    }
  });
});

describe('isInBookingWindow', () => {
  it('is half-open', () => {
    const w = { start: 100, end: 200 };
    expect(isInBookingWindow({ start: 100, end: 200 }, w)).toBe(true);
    expect(isInBookingWindow({ start: 99, end: 120 }, w)).toBe(false);
    expect(isInBookingWindow({ start: 180, end: 201 }, w)).toBe(false);
  });
});
