import { describe, expect, it } from 'vitest';
import {
  type AgentBookingInput,
  assertAgentBooking,
  checkAgentBooking,
  isWithinPlages,
  offeredMinutesByDay,
  openingIntervals,
} from './agent-booking.ts';
import { DomainError } from './errors.ts';
import { localDayNumber, parseDay, zonedTime } from './time.ts';
import type { Guichet, Plage, ServiceRules } from './types.ts';

const PARIS = 'Europe/Paris';
const at = (date: string, time: string) => zonedTime(date, time, PARIS);
const rules: ServiceRules = { timeZone: PARIS, holidayCalendar: 'metropole', durationMinutes: 20 };

const plages: Plage[] = ([1, 2, 3, 4, 5] as const).flatMap((weekday) => [
  { weekday, start: '08:30', end: '12:00' },
  { weekday, start: '13:30', end: '16:00' },
]);
const guichet: Guichet = {
  id: 7,
  name: 'Guichet principal',
  open: true,
  allowsPhysique: true,
  allowsTelephone: false,
  bookableBy: ['agentService'],
  motifIds: [1],
  plages,
};

const input = (overrides: Partial<AgentBookingInput> = {}): AgentBookingInput => ({
  rules,
  guichet,
  fermetures: [],
  busy: [],
  start: at('2026-12-08', '08:30'),
  end: at('2026-12-08', '08:50'),
  type: 'physique',
  now: at('2026-12-07', '15:00'),
  usagerHasFutureRdv: false,
  acknowledged: [],
  ...overrides,
});

const codes = (issues: { code: string }[]) => issues.map((i) => i.code);

describe('checkAgentBooking: hard errors', () => {
  it('accepts a plain slot inside the plages', () => {
    expect(checkAgentBooking(input())).toEqual({ errors: [], warnings: [], unacknowledged: [], ok: true });
  });

  it('allows an immediate booking today', () => {
    const now = at('2026-12-08', '08:29');
    expect(checkAgentBooking(input({ now })).ok).toBe(true);
  });

  it('refuses a closed guichet', () => {
    const check = checkAgentBooking(
      input({ guichet: { ...guichet, open: false }, acknowledged: ['OUTSIDE_PLAGES'] }),
    );
    expect(codes(check.errors)).toEqual(['GUICHET_CLOSED']);
    expect(check.errors[0]?.message).toContain('Guichet principal');
    expect(check.ok).toBe(false);
  });

  it('refuses an end at or before the start', () => {
    expect(codes(checkAgentBooking(input({ end: at('2026-12-08', '08:30') })).errors)).toEqual([
      'END_BEFORE_START',
    ]);
    expect(codes(checkAgentBooking(input({ end: at('2026-12-08', '08:10') })).errors)).toEqual([
      'END_BEFORE_START',
    ]);
  });

  it('refuses the past and beyond 60 rolling days', () => {
    const past = checkAgentBooking(input({ now: at('2026-12-08', '08:31') }));
    expect(codes(past.errors)).toEqual(['OUTSIDE_BOOKING_WINDOW']);
    expect(past.errors[0]?.message).toMatch(/passé/);
    // 7 December + 60 days = 5 February 2027, bookable until its end.
    const lastDay = checkAgentBooking(
      input({ start: at('2027-02-05', '15:40'), end: at('2027-02-05', '16:00') }),
    );
    expect(lastDay.errors).toEqual([]);
    const tooFar = checkAgentBooking(
      input({ start: at('2027-02-08', '08:30'), end: at('2027-02-08', '08:50') }),
    );
    expect(codes(tooFar.errors)).toEqual(['OUTSIDE_BOOKING_WINDOW']);
    expect(tooFar.errors[0]?.message).toContain('05/02/2027');
  });

  it('stops at the window for an end years ahead: nothing else is weighed (no day-by-day walk)', () => {
    const check = checkAgentBooking(input({ end: at('2300-12-08', '08:50') }));
    expect(codes(check.errors)).toEqual(['OUTSIDE_BOOKING_WINDOW']);
    expect(check.warnings).toEqual([]);
  });

  it('refuses a fermeture of the service or of this guichet, not of another guichet', () => {
    const start = at('2026-12-08', '08:00');
    const end = at('2026-12-08', '09:00');
    const service = checkAgentBooking(input({ fermetures: [{ guichetId: null, start, end }] }));
    expect(codes(service.errors)).toEqual(['FERMETURE']);
    expect(service.errors[0]?.message).toContain(
      'Le service est fermé du 08/12/2026 08:00 au 08/12/2026 09:00',
    );
    expect(codes(checkAgentBooking(input({ fermetures: [{ guichetId: 7, start, end }] })).errors)).toEqual([
      'FERMETURE',
    ]);
    expect(checkAgentBooking(input({ fermetures: [{ guichetId: 8, start, end }] })).errors).toEqual([]);
  });

  it('refuses to overlap a rdv or hold of the same guichet, and only that', () => {
    const busy = [{ guichetId: 7, start: at('2026-12-08', '08:40'), end: at('2026-12-08', '09:00') }];
    const taken = checkAgentBooking(input({ busy }));
    expect(codes(taken.errors)).toEqual(['SLOT_TAKEN']);
    expect(taken.errors[0]?.message).toContain('08:40–09:00');
    expect(checkAgentBooking(input({ busy: [{ ...busy[0]!, guichetId: 8 }] })).errors).toEqual([]);
    // Back-to-back rdvs touch without overlapping.
    const adjacent = [{ guichetId: 7, start: at('2026-12-08', '08:50'), end: at('2026-12-08', '09:10') }];
    expect(checkAgentBooking(input({ busy: adjacent })).errors).toEqual([]);
  });

  it('reports every hard error at once, and no acknowledgement lifts them', () => {
    const check = checkAgentBooking(
      input({
        guichet: { ...guichet, open: false },
        busy: [{ guichetId: 7, start: at('2026-12-08', '08:30'), end: at('2026-12-08', '08:50') }],
        fermetures: [{ guichetId: null, start: at('2026-12-08', '00:00'), end: at('2026-12-09', '00:00') }],
        acknowledged: ['GUICHET_CLOSED', 'SLOT_TAKEN', 'FERMETURE'],
      }),
    );
    expect(codes(check.errors)).toEqual(['GUICHET_CLOSED', 'FERMETURE', 'SLOT_TAKEN']);
    expect(check.ok).toBe(false);
  });
});

describe('checkAgentBooking: warnings to acknowledge', () => {
  it('warns outside the plages, including over lunch and on holidays', () => {
    for (const [start, end] of [
      [at('2026-12-08', '12:00'), at('2026-12-08', '12:20')],
      [at('2026-12-08', '11:50'), at('2026-12-08', '12:10')],
      [at('2026-12-08', '07:00'), at('2026-12-08', '07:20')],
      [at('2026-12-12', '09:00'), at('2026-12-12', '09:20')], // Saturday
      [at('2026-12-25', '09:00'), at('2026-12-25', '09:20')], // Christmas, a Friday
    ]) {
      const check = checkAgentBooking(input({ start, end }));
      expect(check.errors).toEqual([]);
      expect(codes(check.warnings)).toEqual(['OUTSIDE_PLAGES']);
      expect(check.ok).toBe(false);
      expect(checkAgentBooking(input({ start, end, acknowledged: ['OUTSIDE_PLAGES'] })).ok).toBe(true);
    }
  });

  it('accepts a rdv spanning two adjacent plages', () => {
    const split: Plage[] = [
      { weekday: 2, start: '08:30', end: '10:00' },
      { weekday: 2, start: '10:00', end: '12:00' },
    ];
    const g = { ...guichet, plages: split };
    expect(isWithinPlages(rules, g, at('2026-12-08', '09:50'), at('2026-12-08', '10:10'))).toBe(true);
    expect(isWithinPlages(rules, g, at('2026-12-08', '11:50'), at('2026-12-08', '12:10'))).toBe(false);
  });

  it('warns when the duration differs from the service duration', () => {
    const check = checkAgentBooking(input({ end: at('2026-12-08', '09:10') }));
    expect(codes(check.warnings)).toEqual(['DURATION_DIFFERS']);
    expect(check.warnings[0]?.message).toContain('40 minutes au lieu des 20');
  });

  it('warns for a phone rdv on a physique-only guichet, and the reverse', () => {
    expect(codes(checkAgentBooking(input({ type: 'telephone' })).warnings)).toEqual([
      'TELEPHONE_ON_PHYSIQUE_ONLY',
    ]);
    const phoneOnly = { ...guichet, allowsPhysique: false, allowsTelephone: true };
    expect(codes(checkAgentBooking(input({ guichet: phoneOnly })).warnings)).toEqual([
      'PHYSIQUE_ON_TELEPHONE_ONLY',
    ]);
    expect(checkAgentBooking(input({ guichet: phoneOnly, type: 'telephone' })).warnings).toEqual([]);
  });

  it('warns when the usager already has a future rdv', () => {
    const check = checkAgentBooking(input({ usagerHasFutureRdv: true }));
    expect(codes(check.warnings)).toEqual(['USAGER_HAS_FUTURE_RDV']);
  });

  it('needs every warning acknowledged by its code', () => {
    const forced = input({
      start: at('2026-12-08', '12:00'),
      end: at('2026-12-08', '12:45'),
      type: 'telephone',
      usagerHasFutureRdv: true,
      acknowledged: ['OUTSIDE_PLAGES', 'DURATION_DIFFERS'],
    });
    const check = checkAgentBooking(forced);
    expect(codes(check.warnings)).toEqual([
      'OUTSIDE_PLAGES',
      'DURATION_DIFFERS',
      'TELEPHONE_ON_PHYSIQUE_ONLY',
      'USAGER_HAS_FUTURE_RDV',
    ]);
    expect(codes(check.unacknowledged)).toEqual(['TELEPHONE_ON_PHYSIQUE_ONLY', 'USAGER_HAS_FUTURE_RDV']);
    expect(check.ok).toBe(false);
    const all = {
      ...forced,
      acknowledged: [...forced.acknowledged, 'TELEPHONE_ON_PHYSIQUE_ONLY', 'USAGER_HAS_FUTURE_RDV'],
    };
    expect(checkAgentBooking(all).ok).toBe(true);
  });

  it('measures plages across the DST change in real time', () => {
    const night: Plage[] = [{ weekday: 7, start: '01:00', end: '04:00' }];
    const g = { ...guichet, plages: night };
    const start = at('2026-03-29', '01:40');
    const end = at('2026-03-29', '03:00'); // 20 real minutes: 02:00–03:00 does not exist
    const check = checkAgentBooking(input({ guichet: g, start, end, now: at('2026-03-20', '09:00') }));
    expect(check).toMatchObject({ errors: [], warnings: [], ok: true });
  });
});

describe('assertAgentBooking', () => {
  it('throws the first hard error as a DomainError', () => {
    expect(() => assertAgentBooking(input({ guichet: { ...guichet, open: false } }))).toThrowError(
      expect.objectContaining({ code: 'GUICHET_CLOSED' }),
    );
  });

  it('throws ACKNOWLEDGEMENT_REQUIRED with the warnings left', () => {
    try {
      assertAgentBooking(input({ usagerHasFutureRdv: true }));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      const err = e as DomainError;
      expect(err.code).toBe('ACKNOWLEDGEMENT_REQUIRED');
      expect(codes(err.details?.warnings as { code: string }[])).toEqual(['USAGER_HAS_FUTURE_RDV']);
    }
  });

  it('returns the check when everything is acknowledged', () => {
    const check = assertAgentBooking(
      input({ usagerHasFutureRdv: true, acknowledged: ['USAGER_HAS_FUTURE_RDV'] }),
    );
    expect(codes(check.warnings)).toEqual(['USAGER_HAS_FUTURE_RDV']);
  });
});

describe("offeredMinutesByDay: the occupancy rate's offered minutes", () => {
  const day = (date: string) => parseDay(date);
  const second: Guichet = { ...guichet, id: 8, name: 'Guichet 2' };

  it("counts each open guichet's plages, a fermeture of one guichet or of the service taken off", () => {
    const fermetures = [
      // Guichet 7, Tuesday 8 December 10:00–11:00: 60 minutes of its 360.
      { guichetId: 7, start: at('2026-12-08', '10:00'), end: at('2026-12-08', '11:00') },
      // The whole service, Wednesday 9 December from 15:00 to Thursday 09:00: 60 + 30 minutes per guichet.
      { guichetId: null, start: at('2026-12-09', '15:00'), end: at('2026-12-10', '09:00') },
    ];
    const closed: Guichet = { ...guichet, id: 9, open: false };
    const byDay = offeredMinutesByDay(
      rules,
      [guichet, second, closed],
      fermetures,
      day('2026-12-07'),
      day('2026-12-13'),
    );
    expect(Object.fromEntries([...byDay].map(([d, m]) => [d - day('2026-12-07'), m]))).toEqual({
      0: 720,
      1: 660,
      2: 600,
      3: 660,
      4: 720,
    });
  });

  it('skips public holidays, and a fermeture longer than a plage never takes more than the plage', () => {
    const all = [{ guichetId: null, start: at('2026-12-21', '00:00'), end: at('2027-01-04', '00:00') }];
    const byDay = offeredMinutesByDay(rules, [guichet], all, day('2026-12-21'), day('2027-01-08'));
    expect([...byDay.keys()].map((d) => d - day('2027-01-04'))).toEqual([0, 1, 2, 3, 4]);
    expect(offeredMinutesByDay(rules, [guichet], [], day('2026-12-25'), day('2026-12-25')).size).toBe(0);
  });

  it('takes off once the time that overlapping fermetures close together', () => {
    const fermetures = [
      // The service, Tuesday 8 December 09:00–10:30 and 10:00–11:30 (overlapping): 09:00–11:30.
      { guichetId: null, start: at('2026-12-08', '09:00'), end: at('2026-12-08', '10:30') },
      { guichetId: null, start: at('2026-12-08', '10:00'), end: at('2026-12-08', '11:30') },
      // Guichet 7 alone, 11:00–14:00, over the service's end and the lunch break.
      { guichetId: 7, start: at('2026-12-08', '11:00'), end: at('2026-12-08', '14:00') },
    ];
    const tuesday = day('2026-12-08');
    const byDay = offeredMinutesByDay(rules, [guichet, second], fermetures, tuesday, tuesday);
    // Guichet 7: morning 08:30–12:00 closed 09:00–12:00 (30 left), afternoon 13:30–16:00 closed
    // until 14:00 (120 left): 150. Guichet 8: morning closed 09:00–11:30 (60 left), afternoon
    // whole (150): 210.
    expect(byDay.get(tuesday)).toBe(150 + 210);
  });

  it('gives over a year, DST days included, what the opening intervals give', () => {
    const from = day('2026-01-01');
    const to = day('2026-12-31');
    const fermetures = [
      { guichetId: 8, start: at('2026-03-27', '14:00'), end: at('2026-03-30', '10:00') },
      { guichetId: null, start: at('2026-10-23', '09:00'), end: at('2026-10-26', '12:00') },
    ];
    const expected = new Map<number, number>();
    for (const g of [guichet, second]) {
      for (const i of openingIntervals(rules, g, from, to)) {
        let ms = i.end - i.start;
        for (const f of fermetures) {
          if (f.guichetId !== null && f.guichetId !== g.id) continue;
          ms -= Math.max(0, Math.min(i.end, f.end) - Math.max(i.start, f.start));
        }
        const d = localDayNumber(i.start, PARIS);
        expected.set(d, (expected.get(d) ?? 0) + Math.max(0, ms) / 60_000);
      }
    }
    for (const [d, m] of [...expected]) if (m === 0) expected.delete(d);
    expect(offeredMinutesByDay(rules, [guichet, second], fermetures, from, to)).toEqual(expected);
  });
});
