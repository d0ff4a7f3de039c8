import { describe, expect, it } from 'vitest';
import {
  type OfferState,
  type PlacedRdv,
  rdvsPushedOut,
  replanTargets,
  serviceWarnings,
} from './offer-changes.ts';
import { zonedTime } from './time.ts';
import type { Guichet, Plage } from './types.ts';

const PARIS = 'Europe/Paris';
const at = (date: string, time: string) => zonedTime(date, time, PARIS);

const MORNINGS: Plage[] = ([1, 2, 3, 4, 5, 6] as const).map((weekday) => ({
  weekday,
  start: '08:30',
  end: '12:00',
}));
const guichet: Guichet = {
  id: 1,
  name: 'Guichet principal',
  open: true,
  allowsPhysique: true,
  allowsTelephone: false,
  bookableBy: ['internet', 'agentService'],
  motifIds: [10],
  plages: MORNINGS,
};
const before: OfferState = {
  rules: { timeZone: PARIS, holidayCalendar: 'metropole', durationMinutes: 20 },
  guichets: [guichet],
  fermetures: [],
};

let nextId = 1;
const rdv = (date: string, start: string, end: string, type: PlacedRdv['type'] = 'physique'): PlacedRdv => ({
  id: nextId++,
  guichetId: 1,
  type,
  start: at(date, start),
  end: at(date, end),
});

// Tuesday 8 December 2026: one rdv inside the plages, and three an agent forced.
const inside = rdv('2026-12-08', '09:00', '09:20');
const afterHours = rdv('2026-12-08', '12:30', '12:50');
const longer = rdv('2026-12-08', '10:00', '10:45');
const phone = rdv('2026-12-08', '11:00', '11:20', 'telephone');
const all = [inside, afterHours, longer, phone];
const ids = (rs: PlacedRdv[]) => rs.map((r) => r.id);
const withGuichet = (g: Partial<Guichet>): OfferState => ({ ...before, guichets: [{ ...guichet, ...g }] });

describe('rdvsPushedOut: the rdvs a change pushes out of the offer, not those already outside it', () => {
  it('a change that leaves the offer as it is (a new name) pushes nothing out, forced rdvs included', () => {
    expect(rdvsPushedOut(before, withGuichet({ name: 'Accueil' }), all)).toEqual([]);
  });

  it('closing the guichet pushes out the rdvs the offer received, not those forced outside it', () => {
    expect(ids(rdvsPushedOut(before, withGuichet({ open: false }), all))).toEqual([inside.id]);
  });

  it('shortening the plages pushes out what they no longer cover', () => {
    const shorter = MORNINGS.map((p) => ({ ...p, end: '09:10' }));
    expect(ids(rdvsPushedOut(before, withGuichet({ plages: shorter }), all))).toEqual([inside.id]);
  });

  it('a new duration pushes out the rdvs of the old one, not those an agent gave another length', () => {
    const thirty = { ...before, rules: { ...before.rules, durationMinutes: 30 } };
    expect(ids(rdvsPushedOut(before, thirty, all))).toEqual([inside.id]);
    // An rdv of 45 minutes fits a new duration of 45: it was outside, it is inside, nothing to decide.
    const fortyFive = { ...before, rules: { ...before.rules, durationMinutes: 45 } };
    expect(ids(rdvsPushedOut(before, fortyFive, [longer]))).toEqual([]);
  });

  it('a holiday calendar with other holidays pushes out the rdvs of the days it closes', () => {
    // Saturday 26 December 2026: a working day in métropole, a public holiday in Alsace-Moselle.
    const boxingDay = rdv('2026-12-26', '09:00', '09:20');
    const alsace: OfferState = { ...before, rules: { ...before.rules, holidayCalendar: 'alsace-moselle' } };
    expect(ids(rdvsPushedOut(before, alsace, [...all, boxingDay]))).toEqual([boxingDay.id]);
    expect(rdvsPushedOut(alsace, before, [boxingDay])).toEqual([]);
  });

  it('a fermeture pushes out the rdvs under it; those kept under an earlier one are not pushed again', () => {
    const morning = { guichetId: null, start: at('2026-12-08', '08:00'), end: at('2026-12-08', '12:00') };
    const closed = { ...before, fermetures: [morning] };
    expect(ids(rdvsPushedOut(before, closed, all))).toEqual([inside.id]);
    // Kept under the fermeture, then the guichet is renamed or closed: not this change's doing.
    expect(rdvsPushedOut(closed, { ...closed, guichets: [{ ...guichet, open: false }] }, [inside])).toEqual(
      [],
    );
    // A fermeture of another guichet touches nothing here.
    expect(rdvsPushedOut(before, { ...before, fermetures: [{ ...morning, guichetId: 2 }] }, all)).toEqual([]);
  });

  it('no longer taking a type pushes out the rdvs of that type', () => {
    const both = withGuichet({ allowsTelephone: true });
    const physiqueOnly = withGuichet({ allowsTelephone: false });
    expect(ids(rdvsPushedOut(both, physiqueOnly, all))).toEqual([phone.id]);
  });
});

describe('serviceWarnings: what the public will see', () => {
  const warning = (guichets: Guichet[]) =>
    serviceWarnings({ active: true, durationMinutes: 20, guichets }).find(
      (w) => w.code === 'NO_BOOKABLE_GUICHET',
    )?.message;

  it('no warning when an open guichet bookable by internet has plages and motifs', () => {
    expect(warning([guichet])).toBeUndefined();
    expect(serviceWarnings({ active: false, durationMinutes: 20, guichets: [] })).toEqual([]);
  });

  it('a guichet bookable by agents only: no « Prendre rendez-vous », only agents book', () => {
    expect(warning([{ ...guichet, bookableBy: ['agentService'] }])).toMatch(
      /n’affiche pas « Prendre rendez-vous ».*seuls les agents/,
    );
  });

  it('a guichet bookable by internet without plages: the button shows, with no slot', () => {
    expect(warning([{ ...guichet, plages: [] }])).toMatch(
      /« Guichet principal » n’a aucune plage.*affiche « Prendre rendez-vous » mais ne propose aucun créneau.*personne/,
    );
  });

  it('a guichet bookable by internet without motifs, or closed: no button, and nobody books', () => {
    expect(warning([{ ...guichet, motifIds: [] }])).toMatch(/n’a aucun motif.*n’affiche pas.*personne/);
    expect(warning([{ ...guichet, open: false }])).toMatch(/n’affiche pas/);
  });
});

describe('replanTargets: the rdvs move one by one under the exclusion constraint', () => {
  it('an rdv still in place blocks its time until its own turn', () => {
    const first = { ...rdv('2026-12-14', '09:00', '09:20'), motifId: 10 };
    const second = { ...rdv('2026-12-14', '09:20', '09:40'), motifId: 10 };
    const targets = replanTargets(
      {
        rules: { ...before.rules, durationMinutes: 30 },
        guichets: [guichet],
        fermetures: [],
        busy: [first, second].map((r) => ({ ...r, rdvId: r.id })),
        now: at('2026-12-03', '09:00'),
      },
      [first, second],
    );
    const a = targets.get(first.id)!;
    const b = targets.get(second.id)!;
    // The first does not take 09:00–09:30 while the second still sits at 09:20; the second may
    // then take the time the first left, never the first's new one.
    expect(a.start >= second.end || a.end <= second.start).toBe(true);
    expect(b.start >= a.end || b.end <= a.start).toBe(true);
    expect([a.end - a.start, b.end - b.start]).toEqual([30 * 60_000, 30 * 60_000]);
  });
});
