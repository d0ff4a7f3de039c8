import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '../../server/infra/logger.ts';
import { createRateLimit } from '../../server/infra/rate-limit.ts';
import { connectRedis, type Redis } from '../../server/infra/redis.ts';

/* The rate limits shared through Redis: their counting script runs there by its SHA1. */
const redisUrl = inject('redisUrl');
let redis: Redis;

beforeAll(async () => {
  if (redisUrl) redis = await connectRedis(redisUrl, createLogger('warn'));
});
afterAll(async () => {
  await redis?.close();
});

describe.runIf(redisUrl)('Redis rate limits', () => {
  it('count every node’s hits, also once Redis lost its scripts', async () => {
    const options = { name: 'essai', points: 3, durationSeconds: 60, namespace: `test-${randomUUID()}` };
    const a = createRateLimit({ ...options, redis });
    const b = createRateLimit({ ...options, redis });
    expect(await a.hit('203.0.113.7')).toBeNull();
    await redis.scriptFlush();
    expect(await b.hit('203.0.113.7')).toBeNull();
    expect(await a.hit('203.0.113.7')).toBeNull();
    expect(await b.hit('203.0.113.7')).toBeGreaterThan(0);
    expect(await a.peek('198.51.100.1')).toBeNull();
  });
});
