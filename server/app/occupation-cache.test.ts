import { describe, expect, it } from 'vitest';
import { createOccupationCache, type StoredOccupation } from './occupation-cache.ts';

const range = { start: 0, end: 86_400_000 };
const occupationWith = (rdvId: number): StoredOccupation => ({
  busy: [{ rdvId, guichetId: 1, start: 0, end: 1_200_000 }],
  fermetures: [],
});

describe('occupation cache', () => {
  it('answers from memory while nothing changed and the copy is young', async () => {
    let t = 0;
    let loads = 0;
    const cache = createOccupationCache({ ttlMs: 1000, now: () => t });
    const load = async () => occupationWith(++loads);
    expect((await cache.read('5800450', range, load)).busy[0]!.rdvId).toBe(1);
    t = 999;
    expect((await cache.read('5800450', range, load)).busy[0]!.rdvId).toBe(1);
    t = 1000;
    expect((await cache.read('5800450', range, load)).busy[0]!.rdvId).toBe(2);
    // Another range is another copy.
    expect((await cache.read('5800450', { start: 0, end: 1 }, load)).busy[0]!.rdvId).toBe(3);
  });

  it('reads again after a change of that service only, and after clear', async () => {
    let loads = 0;
    const cache = createOccupationCache({ now: () => 0 });
    const load = async () => occupationWith(++loads);
    await cache.read('A', range, load);
    await cache.read('B', range, load);
    cache.changed('A');
    expect((await cache.read('A', range, load)).busy[0]!.rdvId).toBe(3);
    expect((await cache.read('B', range, load)).busy[0]!.rdvId).toBe(2);
    cache.clear();
    expect((await cache.read('B', range, load)).busy[0]!.rdvId).toBe(4);
  });

  it('does not keep a read that a change overtook (it may predate the change)', async () => {
    const cache = createOccupationCache({ now: () => 0 });
    let release!: () => void;
    const slow = () =>
      new Promise<StoredOccupation>((resolve) => {
        release = () => resolve(occupationWith(1));
      });
    const pending = cache.read('A', range, slow);
    cache.changed('A');
    release();
    expect((await pending).busy[0]!.rdvId).toBe(1);
    expect((await cache.read('A', range, async () => occupationWith(2))).busy[0]!.rdvId).toBe(2);
  });
});
