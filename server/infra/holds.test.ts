import { describe, expect, it } from 'vitest';
import { fixedClock } from './clock.ts';
import { type HoldRequest, type HoldStore, memoryHolds, resilientHolds } from './holds.ts';
import { createLogger } from './logger.ts';

const clock = fixedClock(new Date('2027-01-04T08:00:00Z'));
const start = Date.parse('2027-01-05T09:00:00Z');
const request = (at: number, owner = 'navigateur'): HoldRequest => ({
  serviceId: 1,
  serviceCode: '9990001',
  guichetId: 7,
  motifId: 1,
  type: 'physique',
  start: at,
  end: at + 20 * 60_000,
  owner,
});

/** A store whose every call fails while `down` (Redis away), the memory store otherwise. */
function flaky(): HoldStore & { down: boolean } {
  const inner = memoryHolds(clock);
  const store = { down: false } as HoldStore & { down: boolean };
  for (const name of ['place', 'get', 'release', 'live', 'sweepExpired', 'close'] as const) {
    const call = inner[name] as (...args: unknown[]) => Promise<unknown>;
    Object.assign(store, {
      [name]: (...args: unknown[]) =>
        store.down ? Promise.reject(new Error('Redis indisponible')) : call.apply(inner, args),
    });
  }
  return store;
}

describe('memory holds', () => {
  it('records the browser’s one hold as it places it, and tells the previous one', async () => {
    const holds = memoryHolds(clock);
    const first = await holds.place(request(start), 60_000);
    expect(first?.previous).toBeNull();
    expect(holds.heldBy('navigateur')).toBe(first!.hold.id);
    // Refused (the slot is held): the browser's hold stays the first one.
    expect(await holds.place(request(start, 'autre'), 60_000)).toBeNull();
    const second = await holds.place(request(start + 20 * 60_000), 60_000);
    expect(second?.previous).toBe(first!.hold.id);
    await holds.release(second!.hold.id);
    expect(holds.heldBy('navigateur')).toBeNull();
  });

  it('an expired hold swept is announced once and not released: it may still book', async () => {
    const holds = memoryHolds(clock);
    const placed = await holds.place(request(start + 60 * 60_000), 60_000);
    clock.advance(61_000);
    expect((await holds.sweepExpired()).map((h) => h.id)).toEqual([placed!.hold.id]);
    expect(await holds.sweepExpired()).toEqual([]);
    expect((await holds.get(placed!.hold.id))?.released).toBeFalsy();
    expect(await holds.live(1)).toEqual([]);
  });
});

describe('resilient holds', () => {
  it('places in memory while Redis is away, and gives that hold back once the browser holds in Redis', async () => {
    const primary = flaky();
    const local = memoryHolds(clock);
    const holds = resilientHolds(primary, local, createLogger('silent'));
    primary.down = true;
    const during = await holds.place(request(start + 120 * 60_000), 60_000);
    expect(await local.get(during!.hold.id)).not.toBeNull();
    primary.down = false;
    const after = await holds.place(request(start + 140 * 60_000), 60_000);
    expect(await primary.get(after!.hold.id)).not.toBeNull();
    expect(after?.previous).toBe(during!.hold.id);
  });
});
