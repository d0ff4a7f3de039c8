import { describe, expect, it } from 'vitest';
import {
  allowedReplanMotifs,
  arrivalStatus,
  assertCanCancel,
  assertCanFlagArrival,
  assertNotCancelled,
  assertReplanMotif,
  assertSelfCancellable,
  CONTRE_APPEL_COMMENT_MAX,
  canFlagArrival,
  validateContreAppel,
} from './rdv-lifecycle.ts';
import { zonedTime } from './time.ts';
import type { Guichet } from './types.ts';

const PARIS = 'Europe/Paris';
const at = (date: string, time: string, tz = PARIS) => zonedTime(date, time, tz);
const rdv = { start: at('2026-12-08', '09:20'), cancelled: false };

describe('arrival', () => {
  it('can be flagged only on the local day of the rdv', () => {
    expect(canFlagArrival(rdv.start, at('2026-12-08', '00:00'), PARIS)).toBe(true);
    expect(canFlagArrival(rdv.start, at('2026-12-08', '23:59'), PARIS)).toBe(true);
    expect(arrivalStatus(rdv.start, at('2026-12-07', '23:59'), PARIS)).toBe('tooEarly');
    expect(arrivalStatus(rdv.start, at('2026-12-09', '00:00'), PARIS)).toBe('frozen');
    // 23:30Z on the 8th is already the 9th in Paris.
    expect(canFlagArrival(rdv.start, Date.parse('2026-12-08T23:30:00Z'), PARIS)).toBe(false);
  });

  it('uses the service zone', () => {
    const cayenne = 'America/Cayenne';
    const start = at('2026-12-08', '15:00', cayenne);
    expect(canFlagArrival(start, at('2026-12-08', '23:30', cayenne), cayenne)).toBe(true);
    expect(canFlagArrival(start, at('2026-12-08', '23:30', cayenne), PARIS)).toBe(false);
  });

  it('works on the 25-hour day', () => {
    const start = at('2026-10-25', '09:00');
    expect(canFlagArrival(start, Date.parse('2026-10-25T22:59:00Z'), PARIS)).toBe(true);
    expect(canFlagArrival(start, Date.parse('2026-10-25T23:00:00Z'), PARIS)).toBe(false);
  });

  it('throws ARRIVAL_FROZEN from the next day, ARRIVAL_TOO_EARLY before, RDV_CANCELLED if cancelled', () => {
    expect(() => assertCanFlagArrival(rdv, at('2026-12-08', '17:00'), PARIS)).not.toThrow();
    expect(() => assertCanFlagArrival(rdv, at('2026-12-09', '08:00'), PARIS)).toThrowError(
      expect.objectContaining({ code: 'ARRIVAL_FROZEN' }),
    );
    expect(() => assertCanFlagArrival(rdv, at('2026-12-07', '08:00'), PARIS)).toThrowError(
      expect.objectContaining({ code: 'ARRIVAL_TOO_EARLY' }),
    );
    expect(() =>
      assertCanFlagArrival({ ...rdv, cancelled: true }, at('2026-12-08', '10:00'), PARIS),
    ).toThrowError(expect.objectContaining({ code: 'RDV_CANCELLED' }));
  });
});

describe('cancellation', () => {
  it('is irreversible', () => {
    expect(() => assertCanCancel(rdv)).not.toThrow();
    expect(() => assertCanCancel({ cancelled: true })).toThrowError(
      expect.objectContaining({ code: 'RDV_CANCELLED' }),
    );
    expect(() => assertNotCancelled({ cancelled: true })).toThrowError(
      expect.objectContaining({ code: 'RDV_CANCELLED' }),
    );
  });
});

describe('contre-appel', () => {
  const now = at('2026-12-04', '11:00');

  it('trims the comment and keeps the cancel choice', () => {
    expect(
      validateContreAppel(
        { date: '2026-12-04', comment: '  Réglé par téléphone.\n', cancel: true },
        rdv,
        now,
        PARIS,
      ),
    ).toEqual({ date: '2026-12-04', comment: 'Réglé par téléphone.', cancel: true });
    expect(
      validateContreAppel(
        { date: '2026-12-01', comment: 'Pièces à apporter rappelées', cancel: false },
        rdv,
        now,
        PARIS,
      ).cancel,
    ).toBe(false);
  });

  it('requires a comment', () => {
    for (const comment of ['', '   ', '\n\t']) {
      expect(() =>
        validateContreAppel({ date: '2026-12-04', comment, cancel: false }, rdv, now, PARIS),
      ).toThrowError(expect.objectContaining({ code: 'COMMENT_REQUIRED' }));
    }
  });

  it('limits the comment length', () => {
    const max = 'x'.repeat(CONTRE_APPEL_COMMENT_MAX);
    expect(
      validateContreAppel({ date: '2026-12-04', comment: ` ${max} `, cancel: false }, rdv, now, PARIS)
        .comment,
    ).toBe(max);
    expect(() =>
      validateContreAppel({ date: '2026-12-04', comment: `${max}x`, cancel: false }, rdv, now, PARIS),
    ).toThrowError(expect.objectContaining({ code: 'COMMENT_TOO_LONG' }));
  });

  it('needs a valid date that is not in the future', () => {
    for (const date of ['04/12/2026', '2026-02-30', '']) {
      expect(() => validateContreAppel({ date, comment: 'ok', cancel: false }, rdv, now, PARIS)).toThrowError(
        expect.objectContaining({ code: 'INVALID_DATE' }),
      );
    }
    expect(() =>
      validateContreAppel({ date: '2026-12-05', comment: 'ok', cancel: false }, rdv, now, PARIS),
    ).toThrowError(expect.objectContaining({ code: 'INVALID_DATE' }));
  });

  it('is refused on a cancelled rdv', () => {
    expect(() =>
      validateContreAppel(
        { date: '2026-12-04', comment: 'ok', cancel: true },
        { ...rdv, cancelled: true },
        now,
        PARIS,
      ),
    ).toThrowError(expect.objectContaining({ code: 'RDV_CANCELLED' }));
  });
});

describe('replanning motifs', () => {
  const g = (id: number, open: boolean, bookableBy: Guichet['bookableBy'], motifIds: number[]): Guichet => ({
    id,
    name: `G${id}`,
    open,
    allowsPhysique: true,
    allowsTelephone: true,
    bookableBy,
    motifIds,
    plages: [],
  });
  const guichets = [
    g(1, true, ['internet', 'agentExterieur', 'agentService'], [3, 1]),
    g(2, true, ['agentService'], [5]),
    g(3, false, ['agentExterieur', 'agentService'], [8]),
    g(4, true, ['agentExterieur'], [6, 3]),
  ];

  it('allows the initial motif plus those of open guichets bookable by the canal', () => {
    expect(allowedReplanMotifs(9, guichets, 'agentService')).toEqual([1, 3, 5, 9]);
    expect(allowedReplanMotifs(9, guichets, 'agentExterieur')).toEqual([1, 3, 6, 9]);
    expect(allowedReplanMotifs(8, guichets, 'agentExterieur')).toEqual([1, 3, 6, 8]);
    expect(allowedReplanMotifs(2, [], 'agentService')).toEqual([2]);
  });

  it('refuses another motif with MOTIF_NOT_ALLOWED', () => {
    expect(() => assertReplanMotif(5, 9, guichets, 'agentService')).not.toThrow();
    expect(() => assertReplanMotif(9, 9, [], 'agentService')).not.toThrow();
    expect(() => assertReplanMotif(8, 9, guichets, 'agentService')).toThrowError(
      expect.objectContaining({ code: 'MOTIF_NOT_ALLOWED' }),
    );
    expect(() => assertReplanMotif(5, 9, guichets, 'agentExterieur')).toThrowError(
      expect.objectContaining({ code: 'MOTIF_NOT_ALLOWED' }),
    );
  });
});

describe('assertSelfCancellable', () => {
  const start = Date.parse('2026-12-10T09:00:00+01:00');
  const open = { selfCancellation: true, phone: '03 86 68 49 49' };
  it('lets the usager cancel a confirmed rdv that has not started', () => {
    expect(() => assertSelfCancellable({ start, cancelled: false }, open, start - 1)).not.toThrow();
  });
  it('refuses a cancelled, a started, or a service that turned it off', () => {
    expect(() => assertSelfCancellable({ start, cancelled: true }, open, start - 1)).toThrow(
      expect.objectContaining({ code: 'RDV_CANCELLED' }),
    );
    expect(() => assertSelfCancellable({ start, cancelled: false }, open, start)).toThrow(
      expect.objectContaining({ code: 'RDV_STARTED' }),
    );
    expect(() =>
      assertSelfCancellable({ start, cancelled: false }, { ...open, selfCancellation: false }, 0),
    ).toThrow(/03 86 68 49 49/);
  });
});
