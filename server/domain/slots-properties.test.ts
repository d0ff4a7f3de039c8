import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bookingWindow } from './booking-window.ts';
import { computeSlots, findOfferedSlot, guichetOffers, type SlotQuery } from './slots.ts';
import { PARIS } from './slots-support.ts';
import { addDays, formatTime, localDate, weekday, zonedTime } from './time.ts';
import { CANAUX, HOLIDAY_CALENDARS, type Plage, type RdvType, type Weekday } from './types.ts';
import { isPublicHoliday } from './working-days.ts';

// Property tests: random services in three time zones, checked against a naive reference.
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
      // A skipped DST hour can make two plages of one guichet overlap on the time line (00:05–02:05
      // ends at 03:05 CEST, past a 03:00 plage): slots on one guichet never overlap, so a later
      // plage's grid offers nothing before the end of the guichet's last slot of the day.
      let freeFrom = Number.NEGATIVE_INFINITY;
      const today = g.plages
        .filter((p) => p.weekday === weekday(date))
        .filter((p) => !((p.validFrom && date < p.validFrom) || (p.validTo && date > p.validTo)))
        .sort((a, b) => zonedTime(date, a.start, tz) - zonedTime(date, b.start, tz));
      for (const p of today) {
        const pe = zonedTime(date, p.end, tz);
        for (let s = zonedTime(date, p.start, tz); s + d <= pe; s += d) {
          if (s < w.start || s + d > w.end || s < freeFrom) continue;
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
          freeFrom = s + d;
        }
      }
    }
  }
  return out;
}

const DST_MEETING_PLAGES: SlotQuery = {
  rules: { timeZone: PARIS, holidayCalendar: 'metropole', durationMinutes: 30 },
  guichets: [
    {
      id: 1,
      name: 'G1',
      open: true,
      allowsPhysique: true,
      allowsTelephone: true,
      bookableBy: [...CANAUX],
      motifIds: [1, 2],
      plages: [
        { weekday: 7, start: '00:05', end: '02:05' },
        { weekday: 7, start: '03:00', end: '03:30' },
      ],
    },
  ],
  busy: [],
  fermetures: [],
  motifId: 2,
  type: 'physique',
  canal: 'agentExterieur',
  from: '2026-03-18',
  to: '2026-04-11',
  now: 1773532800007,
};

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
      {
        numRuns: 200,
        // Once found by a CI run: on 29 March 2026 the skipped hour puts the end of 00:05–02:05
        // past the start of 03:00–03:30 on the same guichet.
        examples: [[DST_MEETING_PLAGES]],
      },
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
