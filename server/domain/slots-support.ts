// Builders shared by the slot tests (examples, offered-slot checks, properties): one default
// query — a Paris service, one guichet open on weekday mornings and afternoons, asked on a
// Thursday — that each test bends with overrides, so a test shows only what it changes.
import { computeSlots, type SlotQuery } from './slots.ts';
import { formatIsoWithOffset, zonedTime } from './time.ts';
import type { Guichet, Plage } from './types.ts';

export const PARIS = 'Europe/Paris';
export const at = (date: string, time: string, tz = PARIS) => zonedTime(date, time, tz);
export const hhmm = (ms: number, tz = PARIS) => formatIsoWithOffset(ms, tz).slice(11, 16);

export const weekPlages = (...ranges: [string, string][]): Plage[] =>
  ([1, 2, 3, 4, 5] as const).flatMap((weekday) => ranges.map(([start, end]) => ({ weekday, start, end })));

export const guichet = (id: number, overrides: Partial<Guichet> = {}): Guichet => ({
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

export const query = (overrides: Partial<SlotQuery> = {}): SlotQuery => ({
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

export const times = (q: SlotQuery, date: string) =>
  computeSlots(q)
    .days.find((d) => d.date === date)
    ?.slots.map((s) => hhmm(s.start)) ?? [];
