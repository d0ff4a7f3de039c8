import { describe, expect, it } from 'vitest';
import { computeSlots } from './slots.ts';
import { at, guichet, hhmm, PARIS, query, times } from './slots-support.ts';
import { formatIsoWithOffset, zonedTime } from './time.ts';
import type { Busy, Canal, Fermeture, Plage } from './types.ts';

describe('computeSlots: examples', () => {
  it('splits the plages of the days inside the window into 20-minute slots', () => {
    const result = computeSlots(query());
    expect(result.days.map((d) => d.date)).toEqual(['2026-12-08', '2026-12-09', '2026-12-10']);
    const tuesday = result.days[0]!;
    expect(tuesday.slots).toHaveLength(17);
    expect(tuesday.slots.map((s) => hhmm(s.start))).toEqual([
      '08:30',
      '08:50',
      '09:10',
      '09:30',
      '09:50',
      '10:10',
      '10:30',
      '10:50',
      '11:10',
      '11:30',
      '13:30',
      '13:50',
      '14:10',
      '14:30',
      '14:50',
      '15:10',
      '15:30',
    ]);
    expect(tuesday.slots[0]).toEqual({
      start: Date.parse('2026-12-08T07:30:00Z'),
      end: Date.parse('2026-12-08T07:50:00Z'),
      guichetIds: [1],
    });
    expect(result.window.start).toBe(at('2026-12-08', '00:00'));
  });

  it('drops a trailing partial slot', () => {
    const q = query({ guichets: [guichet(1, { plages: [{ weekday: 2, start: '08:30', end: '09:15' }] })] });
    expect(times(q, '2026-12-08')).toEqual(['08:30', '08:50']);
  });

  it('offers nothing on a public holiday', () => {
    const q = query({ canal: 'agentService', from: '2026-12-21', to: '2026-12-31' });
    const dates = computeSlots(q).days.map((d) => d.date);
    expect(dates).toEqual([
      '2026-12-21',
      '2026-12-22',
      '2026-12-23',
      '2026-12-24',
      '2026-12-28',
      '2026-12-29',
      '2026-12-30',
      '2026-12-31',
    ]);
  });

  it('keeps plages on a weekend day when the guichet has some', () => {
    const q = query({
      guichets: [guichet(1, { plages: [{ weekday: 6, start: '09:00', end: '10:00' }] })],
      to: '2026-12-13',
    });
    expect(computeSlots(q).days.map((d) => d.date)).toEqual(['2026-12-12']);
  });

  it('clips the requested range to the booking window', () => {
    const result = computeSlots(query({ from: '2026-11-01', to: '2027-03-01' }));
    expect(result.days[0]?.date).toBe('2026-12-08');
    // 30 rolling days end with Saturday 2 January; 1 January is a holiday.
    expect(result.days.at(-1)?.date).toBe('2026-12-31');
    expect(computeSlots(query({ from: '2026-12-10', to: '2026-12-09' })).days).toEqual([]);
  });

  it('starts at now for agents of the service', () => {
    const q = query({
      canal: 'agentService',
      now: at('2026-12-08', '10:05'),
      from: '2026-12-08',
      to: '2026-12-08',
    });
    expect(times(q, '2026-12-08')[0]).toBe('10:10');
    const exact = query({
      canal: 'agentService',
      now: at('2026-12-08', '10:10'),
      from: '2026-12-08',
      to: '2026-12-08',
    });
    expect(times(exact, '2026-12-08')[0]).toBe('10:10');
  });

  it('only uses guichets that are open, allow the type, offer the motif and are bookable by the canal', () => {
    const guichets = [
      guichet(1, { open: false }),
      guichet(2, { allowsPhysique: false }),
      guichet(3, { motifIds: [11] }),
      guichet(4, { bookableBy: ['agentService'] }),
      guichet(5),
    ];
    const ids = new Set(
      computeSlots(query({ guichets })).days.flatMap((d) => d.slots.flatMap((s) => s.guichetIds)),
    );
    expect([...ids]).toEqual([5]);
    expect(computeSlots(query({ guichets: guichets.slice(0, 4) })).days).toEqual([]);
    const phone = computeSlots(query({ guichets, type: 'telephone' }));
    expect(new Set(phone.days.flatMap((d) => d.slots.flatMap((s) => s.guichetIds)))).toEqual(new Set([2, 5]));
  });

  it('aggregates guichets per slot and removes busy ones', () => {
    const busy: Busy[] = [
      { guichetId: 1, start: at('2026-12-08', '08:30'), end: at('2026-12-08', '08:50') },
      { guichetId: 2, start: at('2026-12-08', '08:50'), end: at('2026-12-08', '09:10') },
      { guichetId: 1, start: at('2026-12-08', '09:10'), end: at('2026-12-08', '09:30') },
      { guichetId: 2, start: at('2026-12-08', '09:10'), end: at('2026-12-08', '09:30') },
      // Overlaps the 09:30 slot by five minutes only.
      { guichetId: 1, start: at('2026-12-08', '09:45'), end: at('2026-12-08', '09:50') },
    ];
    const q = query({ guichets: [guichet(2), guichet(1)], busy, from: '2026-12-08', to: '2026-12-08' });
    const slots = computeSlots(q).days[0]!.slots;
    const byTime = Object.fromEntries(slots.map((s) => [hhmm(s.start), s.guichetIds]));
    expect(byTime['08:30']).toEqual([2]);
    expect(byTime['08:50']).toEqual([1]);
    expect(byTime['09:10']).toBeUndefined();
    expect(byTime['09:30']).toEqual([2]);
    expect(byTime['09:50']).toEqual([1, 2]);
  });

  it('removes slots in a fermeture of the service or of the guichet', () => {
    const fermetures: Fermeture[] = [
      { guichetId: null, start: at('2026-12-09', '00:00'), end: at('2026-12-10', '00:00') },
      { guichetId: 2, start: at('2026-12-08', '13:00'), end: at('2026-12-08', '14:00') },
    ];
    const result = computeSlots(query({ guichets: [guichet(1), guichet(2)], fermetures }));
    expect(result.days.map((d) => d.date)).toEqual(['2026-12-08', '2026-12-10']);
    const afternoon = result.days[0]!.slots.filter((s) => hhmm(s.start) >= '13:00');
    expect(afternoon.map((s) => [hhmm(s.start), s.guichetIds])).toEqual([
      ['13:30', [1]],
      ['13:50', [1]],
      ['14:10', [1, 2]],
      ['14:30', [1, 2]],
      ['14:50', [1, 2]],
      ['15:10', [1, 2]],
      ['15:30', [1, 2]],
    ]);
  });

  it('honours plage validity dates', () => {
    const plages: Plage[] = [
      { weekday: 2, start: '08:30', end: '09:30', validTo: '2026-12-08' },
      { weekday: 2, start: '14:00', end: '15:00', validFrom: '2026-12-15', validTo: null },
    ];
    const q = query({ guichets: [guichet(1, { plages })], canal: 'agentService', to: '2026-12-31' });
    expect(computeSlots(q).days.map((d) => [d.date, d.slots.map((s) => hhmm(s.start))])).toEqual([
      ['2026-12-08', ['08:30', '08:50', '09:10']],
      ['2026-12-15', ['14:00', '14:20', '14:40']],
      ['2026-12-22', ['14:00', '14:20', '14:40']],
      ['2026-12-29', ['14:00', '14:20', '14:40']],
    ]);
  });

  it('never gives one guichet overlapping slots when its plages overlap', () => {
    const plages: Plage[] = [
      { weekday: 2, start: '08:30', end: '09:30' },
      { weekday: 2, start: '09:00', end: '10:00' },
    ];
    const q = query({ guichets: [guichet(1, { plages })], from: '2026-12-08', to: '2026-12-08' });
    // Each plage keeps its own grid: 09:00 and 09:20 would overlap 09:10–09:30.
    expect(times(q, '2026-12-08')).toEqual(['08:30', '08:50', '09:10', '09:40']);
  });

  it('keeps the real length of a night plage on DST days', () => {
    const night: Plage[] = [{ weekday: 7, start: '01:00', end: '04:00' }];
    const base = { guichets: [guichet(1, { plages: night })], canal: 'agentService' as Canal };
    const spring = query({ ...base, now: at('2026-03-20', '10:00'), from: '2026-03-29', to: '2026-03-29' });
    expect(
      computeSlots(spring).days[0]!.slots.map((s) => formatIsoWithOffset(s.start, PARIS).slice(11)),
    ).toEqual([
      '01:00:00+01:00',
      '01:20:00+01:00',
      '01:40:00+01:00',
      '03:00:00+02:00',
      '03:20:00+02:00',
      '03:40:00+02:00',
    ]);
    const autumn = query({ ...base, now: at('2026-10-20', '10:00'), from: '2026-10-25', to: '2026-10-25' });
    const slots = computeSlots(autumn).days[0]!.slots;
    expect(slots).toHaveLength(12);
    expect(formatIsoWithOffset(slots[3]!.start, PARIS)).toBe('2026-10-25T02:00:00+02:00');
    expect(formatIsoWithOffset(slots[6]!.start, PARIS)).toBe('2026-10-25T02:00:00+01:00');
  });

  it('serves daytime plages normally on DST Sundays and Mondays', () => {
    const everyDay = ([1, 2, 3, 4, 5, 6, 7] as const).map((weekday) => ({
      weekday,
      start: '08:30',
      end: '09:30',
    }));
    const q = query({
      guichets: [guichet(1, { plages: everyDay })],
      canal: 'agentService',
      now: at('2026-10-20', '10:00'),
      from: '2026-10-24',
      to: '2026-10-26',
    });
    const days = computeSlots(q).days;
    expect(days.map((d) => d.slots.map((s) => formatIsoWithOffset(s.start, PARIS).slice(11, 22)))).toEqual([
      ['08:30:00+02', '08:50:00+02', '09:10:00+02'],
      ['08:30:00+01', '08:50:00+01', '09:10:00+01'],
      ['08:30:00+01', '08:50:00+01', '09:10:00+01'],
    ]);
  });

  it('works in an overseas zone with its own calendar', () => {
    const cayenne = 'America/Cayenne';
    const q = query({
      rules: { timeZone: cayenne, holidayCalendar: 'guyane', durationMinutes: 30 },
      canal: 'agentService',
      now: zonedTime('2026-06-08', '07:00', cayenne),
      from: '2026-06-08',
      to: '2026-06-12',
    });
    const result = computeSlots(q);
    expect(result.days.map((d) => d.date)).toEqual(['2026-06-08', '2026-06-09', '2026-06-11', '2026-06-12']);
    expect(formatIsoWithOffset(result.days[0]!.slots[0]!.start, cayenne)).toBe('2026-06-08T08:30:00-03:00');
  });

  it('rejects an invalid duration', () => {
    const q = query({ rules: { timeZone: PARIS, holidayCalendar: 'metropole', durationMinutes: 0 } });
    expect(() => computeSlots(q)).toThrowError(expect.objectContaining({ code: 'INVALID_DURATION' }));
  });
});

describe('computeSlots: DST edge found by the property test', () => {
  it('offers once a slot where two plages meet across the skipped hour', () => {
    // 29 March 2026: 02:10 does not exist and becomes 03:10, so 00:00–02:10 reaches into 03:00–03:10.
    const result = computeSlots(
      query({
        rules: { timeZone: PARIS, holidayCalendar: 'metropole', durationMinutes: 10 },
        guichets: [
          guichet(3, {
            plages: [
              { weekday: 7, start: '00:00', end: '02:10' },
              { weekday: 7, start: '03:00', end: '03:10' },
            ],
          }),
        ],
        from: '2026-03-29',
        to: '2026-03-29',
        now: at('2026-03-15', '00:00'),
      }),
    );
    const slots = result.days[0]!.slots;
    const at3 = slots.filter((slot) => hhmm(slot.start) === '03:00');
    expect(at3).toEqual([
      { start: at('2026-03-29', '03:00'), end: at('2026-03-29', '03:10'), guichetIds: [3] },
    ]);
    expect(new Set(slots.map((slot) => slot.start)).size).toBe(slots.length);
  });
});
