import { describe, expect, it } from 'vitest';
import { assertOfferedSlot, findFreeGuichet, findOfferedSlot } from './slots.ts';
import { at, guichet, query } from './slots-support.ts';
import type { Busy } from './types.ts';

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
