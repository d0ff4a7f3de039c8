import { describe, expect, it } from 'vitest';
import type { HolidayCalendar } from './types.ts';
import {
  addWorkingDays,
  isPublicHoliday,
  isWorkingDay,
  publicHolidays,
  workingDaysBetween,
} from './working-days.ts';

const dates = (calendar: HolidayCalendar, year: number) => publicHolidays(calendar, year).map((h) => h.date);

describe('public holidays', () => {
  it('lists the eleven holidays of metropolitan France', () => {
    expect(dates('metropole', 2026)).toEqual([
      '2026-01-01',
      '2026-04-06',
      '2026-05-01',
      '2026-05-08',
      '2026-05-14',
      '2026-05-25',
      '2026-07-14',
      '2026-08-15',
      '2026-11-01',
      '2026-11-11',
      '2026-12-25',
    ]);
    expect(publicHolidays('metropole', 2026)[0]?.name).toBe('Nouvel An');
  });

  it('adds Good Friday and 26 December in Alsace-Moselle', () => {
    const alsace = dates('alsace-moselle', 2026);
    expect(alsace).toHaveLength(13);
    expect(alsace).toContain('2026-04-03');
    expect(alsace).toContain('2026-12-26');
    expect(isPublicHoliday('2026-04-03', 'metropole')).toBe(false);
    expect(isPublicHoliday('2025-12-26', 'metropole')).toBe(false);
    expect(isPublicHoliday('2025-12-26', 'alsace-moselle')).toBe(true);
  });

  it.each([
    ['guadeloupe', '2026-05-27', true],
    ['martinique', '2026-05-22', true],
    ['guyane', '2026-06-10', false],
    ['reunion', '2026-12-20', false],
    ['mayotte', '2026-04-27', false],
  ] as const)('knows the abolition day of %s (%s) and Good Friday: %s', (calendar, abolition, goodFriday) => {
    expect(isPublicHoliday(abolition, calendar)).toBe(true);
    expect(isPublicHoliday(abolition, 'metropole')).toBe(false);
    expect(isPublicHoliday('2026-04-03', calendar)).toBe(goodFriday);
    expect(isPublicHoliday('2026-05-25', calendar)).toBe(true);
  });

  it('ignores observances and optional days', () => {
    expect(isPublicHoliday('2026-05-24', 'metropole')).toBe(false); // Pentecost Sunday
    expect(isPublicHoliday('2026-05-31', 'metropole')).toBe(false); // Mother's Day
    expect(isPublicHoliday('2026-07-21', 'martinique')).toBe(false); // Victor Schoelcher, 'optional'
  });

  it('has a stable count every year', () => {
    for (let year = 2020; year <= 2040; year++) {
      expect(dates('metropole', year)).toHaveLength(11);
      expect(dates('alsace-moselle', year)).toHaveLength(13);
    }
  });

  it('is cached per calendar and year', () => {
    expect(publicHolidays('reunion', 2027)).toBe(publicHolidays('reunion', 2027));
  });
});

describe('working days', () => {
  it('are Monday to Friday except public holidays', () => {
    expect(isWorkingDay('2026-12-04', 'metropole')).toBe(true);
    expect(isWorkingDay('2026-12-05', 'metropole')).toBe(false);
    expect(isWorkingDay('2026-12-06', 'metropole')).toBe(false);
    expect(isWorkingDay('2026-12-25', 'metropole')).toBe(false);
    expect(isWorkingDay('2027-05-06', 'metropole')).toBe(false); // Ascension
  });

  it('adds working days, the start day not counted', () => {
    expect(addWorkingDays('2026-12-03', 2, 'metropole')).toBe('2026-12-07');
    expect(addWorkingDays('2026-12-05', 1, 'metropole')).toBe('2026-12-07');
    expect(addWorkingDays('2026-12-23', 2, 'metropole')).toBe('2026-12-28');
    expect(addWorkingDays('2025-12-23', 2, 'metropole')).toBe('2025-12-26');
    expect(addWorkingDays('2025-12-23', 2, 'alsace-moselle')).toBe('2025-12-29');
    expect(addWorkingDays('2026-12-28', -1, 'metropole')).toBe('2026-12-24');
    expect(addWorkingDays('2026-12-26', 0, 'metropole')).toBe('2026-12-26');
  });

  it('counts working days in (from, to]', () => {
    expect(workingDaysBetween('2026-12-03', '2026-12-08', 'metropole')).toBe(3);
    expect(workingDaysBetween('2026-12-21', '2027-01-04', 'metropole')).toBe(8);
    expect(workingDaysBetween('2026-12-08', '2026-12-03', 'metropole')).toBe(-3);
  });
});
