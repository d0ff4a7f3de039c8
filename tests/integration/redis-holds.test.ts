import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fixedClock } from '../../server/infra/clock.ts';
import { type HoldRequest, redisHolds } from '../../server/infra/holds.ts';
import { createLogger } from '../../server/infra/logger.ts';
import { connectRedis, type Redis } from '../../server/infra/redis.ts';

/*
 * The Redis hold store on its own, against the real Redis: its Lua scripts run there and nowhere
 * else (a script error would only show as holds quietly falling back to one node's memory).
 */
const redisUrl = inject('redisUrl');
const clock = fixedClock(new Date('2027-01-04T08:00:00Z'));
let redis: Redis;

beforeAll(async () => {
  if (redisUrl) redis = await connectRedis(redisUrl, createLogger('warn'));
});
afterAll(async () => {
  await redis?.close();
});

const request = (start: number, serviceId = 1): HoldRequest => ({
  serviceId,
  serviceCode: '9990001',
  guichetId: 7,
  motifId: 1,
  type: 'physique',
  start,
  end: start + 20 * 60_000,
  owner: 'navigateur',
});

describe.runIf(redisUrl)('Redis holds', () => {
  it('sweeps expired holds once, out of the service index too, and frees their slot', async () => {
    const holds = redisHolds(redis, clock, `test-${randomUUID()}`);
    const start = Date.parse('2027-01-05T09:00:00Z');
    const first = await holds.place(request(start), 60_000);
    const second = await holds.place(request(start + 20 * 60_000), 120_000);
    expect(first && second).toBeTruthy();
    expect(await holds.place(request(start), 60_000)).toBeNull();
    expect((await holds.live(1)).map((h) => h.id).sort()).toEqual([first!.hold.id, second!.hold.id].sort());

    clock.advance(90_000);
    const swept = await holds.sweepExpired();
    expect(swept.map((h) => h.id)).toEqual([first!.hold.id]);
    expect(await holds.sweepExpired()).toEqual([]);
    expect((await holds.live(1)).map((h) => h.id)).toEqual([second!.hold.id]);
    // Its slot is free again for another usager.
    expect(await holds.place(request(start), 60_000)).not.toBeNull();
  });

  it('releases a hold once and leaves the others', async () => {
    const holds = redisHolds(redis, clock, `test-${randomUUID()}`);
    const start = Date.parse('2027-01-06T09:00:00Z');
    const a = await holds.place(request(start, 2), 60_000);
    const b = await holds.place(request(start + 20 * 60_000, 2), 60_000);
    expect(await holds.release(a!.hold.id)).toBe(true);
    expect(await holds.release(a!.hold.id)).toBe(false);
    expect((await holds.live(2)).map((h) => h.id)).toEqual([b!.hold.id]);
  });

  it('places and records the browser’s one hold in a single call, which tells the previous one', async () => {
    let calls = 0;
    const counted = new Proxy(redis, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls++;
          return value.apply(target, args);
        };
      },
    });
    const holds = redisHolds(counted, clock, `test-${randomUUID()}`);
    const start = Date.parse('2027-01-07T09:00:00Z');
    // Once known to this Redis (a first call sends the script's text), it is one call.
    await redisHolds(redis, clock, `test-${randomUUID()}`).place(request(start, 3), 60_000);
    const first = await holds.place(request(start, 3), 60_000);
    expect(first?.previous).toBeNull();
    expect(calls).toBe(1);
    // Refused (the slot is held): the browser's hold stays the first one.
    expect(await holds.place({ ...request(start, 3), owner: 'navigateur' }, 60_000)).toBeNull();
    const second = await holds.place(request(start + 20 * 60_000, 3), 60_000);
    expect(second?.previous).toBe(first!.hold.id);
    const other = await holds.place({ ...request(start + 40 * 60_000, 3), owner: 'autre' }, 60_000);
    expect(other?.previous).toBeNull();
    expect(calls).toBe(4);
  });

  it('runs its scripts by SHA1, and sends them again to a Redis that lost them', async () => {
    const holds = redisHolds(redis, clock, `test-${randomUUID()}`);
    const start = Date.parse('2027-01-08T09:00:00Z');
    await redis.scriptFlush();
    const placed = await holds.place(request(start, 4), 60_000);
    expect(placed).not.toBeNull();
    expect(await holds.release(placed!.hold.id, placed!.hold)).toBe(true);
    expect(await holds.live(4)).toEqual([]);
  });
});
