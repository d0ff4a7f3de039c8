import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bookingWindow } from './booking-window.ts';
import {
  assertOfferedSlot,
  computeSlots,
  findFreeGuichet,
  findOfferedSlot,
  guichetOffers,
  type SlotQuery,
} from './slots.ts';
import { addDays, formatIsoWithOffset, formatTime, localDate, weekday, zonedTime } from './time.ts';
import {
  type Busy,
  CANAUX,
  type Canal,
  type Fermeture,
  type Guichet,
  HOLIDAY_CALENDARS,
  type Plage,
  type RdvType,
  type Weekday,
} from './types.ts';
import { isPublicHoliday } from './working-days.ts';

const PARIS = 'Europe/Paris';
const at = (date: string, time: string, tz = PARIS) => zonedTime(date, time, tz);
const hhmm = (ms: number, tz = PARIS) => formatIsoWithOffset(ms, tz).slice(11, 16);

const weekPlages = (...ranges: [string, string][]): Plage[] =>
  ([1, 2, 3, 4, 5] as const).flatMap((weekday) => ranges.map(([start, end]) => ({ weekday, start, end })));

const guichet = (id: number, overrides: Partial<Guichet> = {}): Guichet => ({
  id,
  name: `Guichet n°${id}`,
  open: true,
  allowsPhysique: true,
  allowsTelephone: true,
  bookableBy: ['internet', 'agentExterieur', 'agentService'],
  motifIds: [10, 11],
  plages: weekPlages(['08:30', '12:00'], ['13:30', '16:00']),
  ...overrides,
});

const query = (overrides: Partial<SlotQuery> = {}): SlotQuery => ({
  rules: { timeZone: PARIS, holidayCalendar: 'metropole', durationMinutes: 20 },
  guichets: [guichet(1)],
  fermetures: [],
  busy: [],
  motifId: 10,
  type: 'physique',
  canal: 'internet',
  from: '2026-12-01',
  to: '2026-12-10',
  now: at('2026-12-03', '10:00'), // a Thursday
  ...overrides,
});

const times = (q: SlotQuery, date: string) =>
  computeSlots(q)
    .days.find((d) => d.date === date)
    ?.slots.map((s) => hhmm(s.start)) ?? [];

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

describe('findOfferedSlot and findFreeGuichet', () => {
  const base = query({ guichets: [guichet(1), guichet(2), guichet(3)] });
  const busy: Busy[] = [{ guichetId: 1, start: at('2026-12-08', '08:30'), end: at('2026-12-08', '08:50') }];

  it('finds a slot still offered, with its free guichets', () => {
    expect(findOfferedSlot({ ...base, busy }, at('2026-12-08', '08:30'))).toEqual({
      start: at('2026-12-08', '08:30'),
      end: at('2026-12-08', '08:50'),
      guichetIds: [2, 3],
    });
  });

  it('prefers the requested guichet when free, else the lowest id', () => {
    expect(findFreeGuichet({ ...base, busy }, at('2026-12-08', '08:30'), 3)).toBe(3);
    expect(findFreeGuichet({ ...base, busy }, at('2026-12-08', '08:30'), 1)).toBe(2);
    expect(findFreeGuichet({ ...base, busy }, at('2026-12-08', '08:30'))).toBe(2);
  });

  it('returns null off the grid, when taken, or outside the window', () => {
    const allBusy: Busy[] = [1, 2, 3].map((guichetId) => ({
      guichetId,
      start: at('2026-12-08', '08:30'),
      end: at('2026-12-08', '08:50'),
    }));
    expect(findOfferedSlot(base, at('2026-12-08', '08:35'))).toBeNull();
    expect(findOfferedSlot({ ...base, busy: allBusy }, at('2026-12-08', '08:30'))).toBeNull();
    expect(findFreeGuichet({ ...base, busy: allBusy }, at('2026-12-08', '08:30'))).toBeNull();
    expect(findOfferedSlot(base, at('2026-12-07', '08:30'))).toBeNull();
    expect(findOfferedSlot({ ...base, canal: 'agentService' }, at('2026-12-07', '08:30'))).not.toBeNull();
  });
});

describe('assertOfferedSlot', () => {
  const base = query({ guichets: [guichet(1), guichet(2)] });

  it('returns the slot when it is still offered', () => {
    expect(assertOfferedSlot(base, at('2026-12-08', '08:30')).guichetIds).toEqual([1, 2]);
    expect(assertOfferedSlot(base, at('2026-12-08', '08:30'), at('2026-12-08', '08:50')).start).toBe(
      at('2026-12-08', '08:30'),
    );
  });

  it('says OUTSIDE_BOOKING_WINDOW before the 2 working days or after 30 days', () => {
    for (const start of [at('2026-12-07', '08:30'), at('2027-01-04', '08:30')]) {
      expect(() => assertOfferedSlot(base, start)).toThrowError(
        expect.objectContaining({ code: 'OUTSIDE_BOOKING_WINDOW' }),
      );
    }
  });

  it('says SLOT_UNAVAILABLE when taken, off the grid or of another length', () => {
    const busy: Busy[] = [1, 2].map((guichetId) => ({
      guichetId,
      start: at('2026-12-08', '08:30'),
      end: at('2026-12-08', '08:50'),
    }));
    const unavailable = expect.objectContaining({ code: 'SLOT_UNAVAILABLE' });
    expect(() => assertOfferedSlot({ ...base, busy }, at('2026-12-08', '08:30'))).toThrowError(unavailable);
    expect(() => assertOfferedSlot(base, at('2026-12-08', '08:40'))).toThrowError(unavailable);
    expect(() => assertOfferedSlot(base, at('2026-12-08', '08:30'), at('2026-12-08', '09:10'))).toThrowError(
      unavailable,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Property tests

const TZS = [PARIS, 'America/Cayenne', 'Indian/Reunion'];
const FIVE_MIN = 5 * 60_000;
const T0 = Date.parse('2026-03-15T00:00:00Z');
const T1 = Date.parse('2026-11-15T00:00:00Z');

/** Plages of one weekday, disjoint (cut points paired in order), on a 5-minute grid. */
const disjointDayPlages = (weekday: Weekday) =>
  fc.uniqueArray(fc.integer({ min: 0, max: 288 }), { maxLength: 4 }).map((cuts) => {
    const sorted = [...cuts].sort((a, b) => a - b);
    const out: Plage[] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) {
      out.push({ weekday, start: formatTime(sorted[i]! * 5), end: formatTime(sorted[i + 1]! * 5) });
    }
    return out;
  });

const validity = fc.option(
  fc.integer({ min: 0, max: 240 }).map((d) => addDays('2026-03-15', d)),
  {
    nil: undefined,
  },
);

const plagesArb = (disjoint: boolean) =>
  (disjoint
    ? fc.tuple(...([1, 2, 3, 4, 5, 6, 7] as const).map(disjointDayPlages)).map((days) => days.flat())
    : fc.array(
        fc.record({
          weekday: fc.integer({ min: 1, max: 7 }).map((n) => n as Weekday),
          start: fc.integer({ min: 0, max: 288 }).map((n) => formatTime(n * 5)),
          end: fc.integer({ min: 0, max: 288 }).map((n) => formatTime(n * 5)),
        }),
        { maxLength: 10 },
      )
  ).chain((plages) =>
    disjoint
      ? fc.constant(plages)
      : fc
          .tuple(...plages.map(() => fc.tuple(validity, validity)))
          .map((vs) =>
            plages.map((p, i) => ({ ...p, validFrom: vs[i]?.[0] ?? null, validTo: vs[i]?.[1] ?? null })),
          ),
  );

const intervalArb = (maxMinutes: number) =>
  fc
    .tuple(
      fc.integer({ min: T0 / FIVE_MIN, max: T1 / FIVE_MIN }),
      fc.integer({ min: 1, max: maxMinutes / 5 }),
    )
    .map(([s, len]) => ({ start: s * FIVE_MIN, end: (s + len) * FIVE_MIN }));

const queryArb = (disjoint: boolean) =>
  fc
    .record({
      tz: fc.constantFrom(...TZS),
      calendar: fc.constantFrom(...HOLIDAY_CALENDARS),
      duration: fc.constantFrom(10, 15, 20, 30, 45, 60),
      guichetCount: fc.integer({ min: 1, max: 4 }),
      now: fc.integer({ min: T0, max: T1 - 80 * 86_400_000 }),
      canal: fc.constantFrom(...CANAUX),
      type: fc.constantFrom<RdvType>('physique', 'telephone'),
      motifId: fc.constantFrom(1, 2),
      fromOffset: fc.integer({ min: -3, max: 10 }),
      span: fc.integer({ min: 0, max: 70 }),
    })
    .chain((base) => {
      const id = fc.integer({ min: 1, max: base.guichetCount });
      // Mostly eligible guichets, so that most runs have slots to check.
      const mostly = <T>(usual: T, other: fc.Arbitrary<T>) =>
        fc.oneof({ weight: 3, arbitrary: fc.constant(usual) }, { weight: 1, arbitrary: other });
      const guichetArb = fc.record({
        open: mostly(true, fc.boolean()),
        allowsPhysique: mostly(true, fc.boolean()),
        allowsTelephone: mostly(true, fc.boolean()),
        bookableBy: mostly([...CANAUX], fc.subarray([...CANAUX])),
        motifIds: mostly([1, 2], fc.subarray([1, 2, 3])),
        plages: plagesArb(disjoint),
      });
      return fc.record({
        base: fc.constant(base),
        guichets: fc.array(guichetArb, { minLength: base.guichetCount, maxLength: base.guichetCount }),
        busy: fc.array(fc.tuple(id, intervalArb(180)), { maxLength: 60 }),
        fermetures: fc.array(fc.tuple(fc.option(id, { nil: null }), intervalArb(3 * 24 * 60)), {
          maxLength: 4,
        }),
      });
    })
    .map(({ base, guichets, busy, fermetures }): SlotQuery => {
      const today = localDate(base.now, base.tz);
      const from = addDays(today, base.fromOffset);
      return {
        rules: { timeZone: base.tz, holidayCalendar: base.calendar, durationMinutes: base.duration },
        guichets: guichets.map((g, i) => ({ ...g, id: i + 1, name: `G${i + 1}` })),
        busy: busy.map(([guichetId, iv]) => ({ guichetId, ...iv })),
        fermetures: fermetures.map(([guichetId, iv]) => ({ guichetId, ...iv })),
        motifId: base.motifId,
        type: base.type,
        canal: base.canal,
        from,
        to: addDays(from, base.span),
        now: base.now,
      };
    });

const overlaps = (a: { start: number; end: number }, s: number, e: number) => a.start < e && a.end > s;

/** Straightforward reference: every grid slot of every plage, filtered one by one. */
function referenceSlots(q: SlotQuery): Map<string, Map<number, number[]>> {
  const tz = q.rules.timeZone;
  const d = q.rules.durationMinutes * 60_000;
  const w = bookingWindow(q.canal, q.now, q.rules);
  const out = new Map<string, Map<number, number[]>>();
  const eligible = [...q.guichets]
    .filter((g) => guichetOffers(g, q.motifId, q.type, q.canal))
    .sort((a, b) => a.id - b.id);
  for (let date = q.from; date <= q.to; date = addDays(date, 1)) {
    if (isPublicHoliday(date, q.rules.holidayCalendar)) continue;
    for (const g of eligible) {
      for (const p of g.plages) {
        if (p.weekday !== weekday(date)) continue;
        if ((p.validFrom && date < p.validFrom) || (p.validTo && date > p.validTo)) continue;
        const pe = zonedTime(date, p.end, tz);
        for (let s = zonedTime(date, p.start, tz); s + d <= pe; s += d) {
          if (s < w.start || s + d > w.end) continue;
          if (
            q.fermetures.some((f) => (f.guichetId === null || f.guichetId === g.id) && overlaps(f, s, s + d))
          ) {
            continue;
          }
          if (q.busy.some((b) => b.guichetId === g.id && overlaps(b, s, s + d))) continue;
          const day = out.get(date) ?? new Map<number, number[]>();
          out.set(date, day);
          // A skipped DST hour can make two plages of one guichet meet (02:10 becomes 03:10): a slot
          // is still offered once per guichet.
          const ids = day.get(s) ?? [];
          if (!ids.includes(g.id)) day.set(s, [...ids, g.id]);
        }
      }
    }
  }
  return out;
}

describe('computeSlots: properties', () => {
  it('matches a naive reference when plages do not overlap', () => {
    fc.assert(
      fc.property(queryArb(true), (q) => {
        const actual = computeSlots(q).days.map((day) => [
          day.date,
          day.slots.map((s) => [s.start, s.end, s.guichetIds]),
        ]);
        const d = q.rules.durationMinutes * 60_000;
        const expected = [...referenceSlots(q).entries()]
          .filter(([, m]) => m.size > 0)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([date, m]) => [
            date,
            [...m.entries()].sort(([a], [b]) => a - b).map(([s, ids]) => [s, s + d, ids]),
          ]);
        expect(actual).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('only offers free slots inside plages, window and working days', () => {
    fc.assert(
      fc.property(queryArb(false), (q) => {
        const tz = q.rules.timeZone;
        const d = q.rules.durationMinutes * 60_000;
        const result = computeSlots(q);
        const w = bookingWindow(q.canal, q.now, q.rules);
        expect(result.window).toEqual(w);
        const perGuichet = new Map<number, { start: number; end: number }[]>();
        let previousDate = '';
        for (const day of result.days) {
          expect(day.date > previousDate).toBe(true);
          previousDate = day.date;
          expect(day.date >= q.from && day.date <= q.to).toBe(true);
          expect(day.slots.length).toBeGreaterThan(0);
          expect(isPublicHoliday(day.date, q.rules.holidayCalendar)).toBe(false);
          let previousStart = Number.NEGATIVE_INFINITY;
          for (const slot of day.slots) {
            expect(slot.start).toBeGreaterThan(previousStart);
            previousStart = slot.start;
            expect(slot.end - slot.start).toBe(d);
            expect(localDate(slot.start, tz)).toBe(day.date);
            expect(slot.start).toBeGreaterThanOrEqual(w.start);
            expect(slot.end).toBeLessThanOrEqual(w.end);
            expect(slot.guichetIds.length).toBeGreaterThan(0);
            expect([...slot.guichetIds].sort((a, b) => a - b)).toEqual([...new Set(slot.guichetIds)]);
            for (const id of slot.guichetIds) {
              const g = q.guichets.find((x) => x.id === id)!;
              expect(guichetOffers(g, q.motifId, q.type, q.canal)).toBe(true);
              expect(q.busy.some((b) => b.guichetId === id && overlaps(b, slot.start, slot.end))).toBe(false);
              expect(
                q.fermetures.some(
                  (f) => (f.guichetId === null || f.guichetId === id) && overlaps(f, slot.start, slot.end),
                ),
              ).toBe(false);
              const inPlage = g.plages.some(
                (p) =>
                  p.weekday === weekday(day.date) &&
                  !(p.validFrom && day.date < p.validFrom) &&
                  !(p.validTo && day.date > p.validTo) &&
                  zonedTime(day.date, p.start, tz) <= slot.start &&
                  slot.end <= zonedTime(day.date, p.end, tz),
              );
              expect(inPlage).toBe(true);
              const list = perGuichet.get(id) ?? [];
              expect(list.some((o) => overlaps(o, slot.start, slot.end))).toBe(false);
              list.push(slot);
              perGuichet.set(id, list);
            }
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('offers through findOfferedSlot exactly what computeSlots lists', () => {
    fc.assert(
      fc.property(queryArb(true), fc.nat(), (q, pick) => {
        const all = computeSlots(q).days.flatMap((d) => d.slots);
        if (all.length === 0) return;
        const slot = all[pick % all.length]!;
        const full = computeSlots({ ...q, from: '2000-01-01', to: '2100-01-01' });
        const inFull = full.days.flatMap((d) => d.slots).find((s) => s.start === slot.start);
        expect(findOfferedSlot(q, slot.start)).toEqual(inFull);
      }),
      { numRuns: 100 },
    );
  });
});
