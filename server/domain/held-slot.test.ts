import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.ts';
import { guichetForHeldSlot, type HeldSlotState } from './held-slot.ts';
import type { SlotQuery } from './slots.ts';
import { zonedTime } from './time.ts';
import type { Guichet } from './types.ts';

const PARIS = 'Europe/Paris';
const at = (date: string, time: string) => zonedTime(date, time, PARIS);
const guichet = (id: number, overrides: Partial<Guichet> = {}): Guichet => ({
  id,
  name: `G${id}`,
  open: true,
  allowsPhysique: true,
  allowsTelephone: false,
  bookableBy: ['internet'],
  motifIds: [1],
  plages: [{ weekday: 2, start: '09:00', end: '10:00' }],
  ...overrides,
});

// Thursday 3 December 2026: the earliest online rdv is Tuesday 8 December.
const query = (overrides: Partial<Omit<SlotQuery, 'from' | 'to'>> = {}): Omit<SlotQuery, 'from' | 'to'> => ({
  rules: { timeZone: PARIS, holidayCalendar: 'metropole', durationMinutes: 20 },
  guichets: [guichet(1), guichet(2)],
  fermetures: [],
  busy: [],
  motifId: 1,
  type: 'physique',
  canal: 'internet',
  now: at('2026-12-03', '10:00'),
  ...overrides,
});
const held = (overrides: Partial<HeldSlotState> = {}): HeldSlotState => ({
  guichetId: 1,
  start: at('2026-12-08', '09:20'),
  end: at('2026-12-08', '09:40'),
  released: false,
  live: true,
  ...overrides,
});
const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return (err as DomainError).code;
  }
  return 'OK';
};

describe('guichetForHeldSlot', () => {
  it('a live hold keeps its guichet', () => {
    expect(guichetForHeldSlot(query(), held())).toBe(1);
  });

  it('a released hold never books; if a booking consumed it, the slot is taken', () => {
    expect(codeOf(() => guichetForHeldSlot(query(), held({ released: true, live: false })))).toBe(
      'HOLD_RELEASED',
    );
    const booked = { guichetId: 1, start: at('2026-12-08', '09:20'), end: at('2026-12-08', '09:40') };
    expect(codeOf(() => guichetForHeldSlot(query({ busy: [booked] }), held({ released: true })))).toBe(
      'SLOT_TAKEN',
    );
  });

  it('a live hold re-checks that its guichet is still open and not closed by a fermeture', () => {
    const closed = query({ guichets: [guichet(1, { open: false }), guichet(2)] });
    expect(codeOf(() => guichetForHeldSlot(closed, held()))).toBe('SLOT_UNAVAILABLE');
    const fermeture = { guichetId: null, start: at('2026-12-08', '00:00'), end: at('2026-12-09', '00:00') };
    expect(codeOf(() => guichetForHeldSlot(query({ fermetures: [fermeture] }), held()))).toBe(
      'SLOT_UNAVAILABLE',
    );
    const otherGuichet = { ...fermeture, guichetId: 2 };
    expect(guichetForHeldSlot(query({ fermetures: [otherGuichet] }), held())).toBe(1);
  });

  it('an expired hold books only an offered slot, on its guichet or another free one', () => {
    const expired = held({ live: false });
    expect(guichetForHeldSlot(query(), expired)).toBe(1);
    const taken = { guichetId: 1, start: expired.start, end: expired.end };
    expect(guichetForHeldSlot(query({ busy: [taken] }), expired)).toBe(2);
    expect(
      codeOf(() => guichetForHeldSlot(query({ busy: [taken, { ...taken, guichetId: 2 }] }), expired)),
    ).toBe('SLOT_TAKEN');
    // The motif is no longer offered, the canal no longer allowed, the service no longer active.
    const noMotif = query({ guichets: [guichet(1, { motifIds: [9] }), guichet(2, { motifIds: [9] })] });
    expect(codeOf(() => guichetForHeldSlot(noMotif, expired))).toBe('SLOT_TAKEN');
    expect(codeOf(() => guichetForHeldSlot(query({ guichets: [] }), expired))).toBe('SLOT_TAKEN');
  });

  it('an expired hold outside the window (now too late) is refused as such', () => {
    const late = query({ now: at('2026-12-07', '10:00') });
    expect(codeOf(() => guichetForHeldSlot(late, held({ live: false })))).toBe('OUTSIDE_BOOKING_WINDOW');
  });

  it('throws domain errors with French messages', () => {
    expect(() => guichetForHeldSlot(query(), held({ released: true, live: false }))).toThrow(DomainError);
    expect(() => guichetForHeldSlot(query(), held({ released: true, live: false }))).toThrow(/Choisissez/);
  });
});
