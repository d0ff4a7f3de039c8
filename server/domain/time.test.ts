import { TZDate } from '@date-fns/tz';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.ts';
import {
  addDays,
  DAY_MS,
  dayFrame,
  daysBetween,
  formatDay,
  formatIsoWithOffset,
  formatTime,
  frameTime,
  isLocalDate,
  localDate,
  localTime,
  parseDay,
  parseTime,
  startOfLocalDay,
  weekday,
  zonedTime,
} from './time.ts';

const PARIS = 'Europe/Paris';
const utc = (iso: string) => Date.parse(iso);

describe('calendar dates', () => {
  it('round-trips day numbers against the UTC calendar', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), (n) => {
        const date = formatDay(n);
        expect(date).toBe(new Date(n * DAY_MS).toISOString().slice(0, 10));
        expect(parseDay(date)).toBe(n);
      }),
    );
  });

  it.each([
    ['2026-12-08', true],
    ['2024-02-29', true],
    ['2026-02-29', false],
    ['2100-02-29', false],
    ['2026-02-30', false],
    ['2026-13-01', false],
    ['2026-1-01', false],
    ['2026-01-01T00:00', false],
    ['', false],
  ])('isLocalDate(%j) is %s', (value, valid) => {
    expect(isLocalDate(value)).toBe(valid);
  });

  it('rejects an invalid date with INVALID_DATE', () => {
    expect(() => parseDay('2026-02-30')).toThrow(DomainError);
    try {
      parseDay('31/12/2026');
    } catch (e) {
      expect((e as DomainError).code).toBe('INVALID_DATE');
    }
  });

  it('gives ISO weekdays', () => {
    expect(weekday('2026-12-07')).toBe(1);
    expect(weekday('2026-12-08')).toBe(2);
    expect(weekday('2026-12-25')).toBe(5);
    expect(weekday('2026-12-27')).toBe(7);
    expect(weekday('1969-12-31')).toBe(3);
  });

  it('adds days across months, years and leap days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-10-22', '2026-11-21')).toBe(30);
    expect(daysBetween('2026-11-21', '2026-10-22')).toBe(-30);
  });
});

describe('wall-clock times', () => {
  it.each([
    ['00:00', 0],
    ['08:30', 510],
    ['23:59', 1439],
    ['24:00', 1440],
  ])('parses %s', (time, minutes) => {
    expect(parseTime(time)).toBe(minutes);
    if (minutes < 1440) expect(formatTime(minutes)).toBe(time);
  });

  it.each(['8:30', '24:01', '12:60', '25:00', '12h30', ''])('rejects %j with INVALID_TIME', (time) => {
    expect(() => parseTime(time)).toThrowError(expect.objectContaining({ code: 'INVALID_TIME' }));
  });
});

describe('zonedTime', () => {
  it('converts ordinary winter and summer times', () => {
    expect(zonedTime('2026-12-08', '09:20', PARIS)).toBe(utc('2026-12-08T08:20:00Z'));
    expect(zonedTime('2026-07-14', '09:20', PARIS)).toBe(utc('2026-07-14T07:20:00Z'));
  });

  it('shifts a time skipped by spring-forward to after the gap', () => {
    // 29 March 2026: 02:00 CET jumps to 03:00 CEST.
    expect(zonedTime('2026-03-29', '02:30', PARIS)).toBe(utc('2026-03-29T01:30:00Z'));
    expect(formatIsoWithOffset(zonedTime('2026-03-29', '02:30', PARIS), PARIS)).toBe(
      '2026-03-29T03:30:00+02:00',
    );
    expect(zonedTime('2026-03-29', '01:59', PARIS)).toBe(utc('2026-03-29T00:59:00Z'));
    expect(zonedTime('2026-03-29', '03:00', PARIS)).toBe(utc('2026-03-29T01:00:00Z'));
    expect(zonedTime('2026-03-29', '08:30', PARIS)).toBe(utc('2026-03-29T06:30:00Z'));
  });

  it('takes the earlier instant of a time repeated by fall-back', () => {
    // 25 October 2026: 03:00 CEST falls back to 02:00 CET, so 02:00–02:59 happen twice.
    expect(zonedTime('2026-10-25', '02:30', PARIS)).toBe(utc('2026-10-25T00:30:00Z'));
    expect(zonedTime('2026-10-25', '01:59', PARIS)).toBe(utc('2026-10-24T23:59:00Z'));
    expect(zonedTime('2026-10-25', '03:00', PARIS)).toBe(utc('2026-10-25T02:00:00Z'));
    expect(zonedTime('2026-10-25', '08:30', PARIS)).toBe(utc('2026-10-25T07:30:00Z'));
  });

  it('handles overseas zones', () => {
    expect(zonedTime('2026-12-08', '09:20', 'America/Cayenne')).toBe(utc('2026-12-08T12:20:00Z'));
    expect(zonedTime('2026-12-08', '09:20', 'America/Guadeloupe')).toBe(utc('2026-12-08T13:20:00Z'));
    expect(zonedTime('2026-12-08', '09:20', 'Indian/Reunion')).toBe(utc('2026-12-08T05:20:00Z'));
    expect(zonedTime('2026-12-08', '09:20', 'Indian/Mayotte')).toBe(utc('2026-12-08T06:20:00Z'));
  });

  it('rejects an unknown zone with INVALID_TIME_ZONE', () => {
    expect(() => zonedTime('2026-12-08', '09:20', 'Europe/Nowhere')).toThrowError(
      expect.objectContaining({ code: 'INVALID_TIME_ZONE' }),
    );
  });

  it('agrees with TZDate on every minute-aligned instant (earlier instant on repeated hours)', () => {
    const zones = [PARIS, 'America/Cayenne', 'Indian/Reunion'];
    fc.assert(
      fc.property(
        fc.integer({ min: utc('2020-01-01T00:00:00Z') / 60_000, max: utc('2035-12-31T00:00:00Z') / 60_000 }),
        fc.constantFrom(...zones),
        (minute, tz) => {
          const ms = minute * 60_000;
          const d = new TZDate(ms, tz);
          const date = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
          const time = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
          expect(localDate(ms, tz)).toBe(date);
          expect(localTime(ms, tz)).toBe(time);
          const back = zonedTime(date, time, tz);
          // Equal, or the first occurrence of a repeated wall time one hour earlier.
          expect(back === ms || (ms - back === 3_600_000 && localTime(back, tz) === time)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('localDate and formatIsoWithOffset', () => {
  it('switches day at local midnight, not UTC midnight', () => {
    expect(localDate(utc('2026-10-24T21:59:59.999Z'), PARIS)).toBe('2026-10-24');
    expect(localDate(utc('2026-10-24T22:00:00Z'), PARIS)).toBe('2026-10-25');
    expect(localDate(utc('2026-10-25T22:59:59.999Z'), PARIS)).toBe('2026-10-25');
    expect(localDate(utc('2026-10-25T23:00:00Z'), PARIS)).toBe('2026-10-26');
    expect(localDate(utc('2026-12-08T02:00:00Z'), 'America/Cayenne')).toBe('2026-12-07');
  });

  it('formats RFC 3339 with the offset in force', () => {
    expect(formatIsoWithOffset(utc('2026-12-08T08:20:00Z'), PARIS)).toBe('2026-12-08T09:20:00+01:00');
    expect(formatIsoWithOffset(utc('2026-07-14T07:20:05Z'), PARIS)).toBe('2026-07-14T09:20:05+02:00');
    expect(formatIsoWithOffset(utc('2026-10-25T00:30:00Z'), PARIS)).toBe('2026-10-25T02:30:00+02:00');
    expect(formatIsoWithOffset(utc('2026-10-25T01:30:00Z'), PARIS)).toBe('2026-10-25T02:30:00+01:00');
    expect(formatIsoWithOffset(utc('2026-12-08T12:20:00Z'), 'America/Cayenne')).toBe(
      '2026-12-08T09:20:00-03:00',
    );
  });
});

describe('dayFrame', () => {
  it('is 24 h with a fixed offset on ordinary days', () => {
    const f = dayFrame(parseDay('2026-12-08'), PARIS);
    expect(f.date).toBe('2026-12-08');
    expect(f.weekday).toBe(2);
    expect(f.end - f.start).toBe(DAY_MS);
    expect(f.offset).toBe(3_600_000);
    expect(frameTime(f, 560)).toBe(utc('2026-12-08T08:20:00Z'));
    expect(startOfLocalDay('2026-12-08', PARIS)).toBe(utc('2026-12-07T23:00:00Z'));
  });

  it('is 23 h and 25 h long on DST days and converts like zonedTime', () => {
    const spring = dayFrame(parseDay('2026-03-29'), PARIS);
    const autumn = dayFrame(parseDay('2026-10-25'), PARIS);
    expect(spring.end - spring.start).toBe(23 * 3_600_000);
    expect(autumn.end - autumn.start).toBe(25 * 3_600_000);
    expect(spring.offset).toBeNull();
    expect(autumn.offset).toBeNull();
    for (const frame of [spring, autumn]) {
      for (let m = 0; m < 1440; m += 10) {
        expect(frameTime(frame, m)).toBe(zonedTime(frame.date, formatTime(m), PARIS));
      }
      expect(frameTime(frame, 1440)).toBe(frame.end);
    }
  });
});
