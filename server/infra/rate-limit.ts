import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { evalBySha, type Redis } from './redis.ts';

export type RateLimit = {
  /** Counts one hit for `key`; resolves with the seconds to wait when over the limit, else null. */
  hit(key: string): Promise<number | null>;
  /** The seconds to wait if `key` is already over the limit, without counting a hit. */
  peek(key: string): Promise<number | null>;
  /** Forgets `key` (a successful sign-in clears its failures). */
  reset(key: string): Promise<void>;
};

/**
 * A fixed-window limiter shared by every node through Redis when there is one; in memory
 * otherwise, and in memory as an insurance while Redis is unreachable.
 */
export function createRateLimit(options: {
  name: string;
  points: number;
  durationSeconds: number;
  redis: Redis | undefined;
  /** Prefix of the Redis keys (see server/boot.ts). */
  namespace: string;
}): RateLimit {
  const base = {
    keyPrefix: `${options.namespace}:rl:${options.name}`,
    points: options.points,
    duration: options.durationSeconds,
  };
  const memory = new RateLimiterMemory(base);
  const limiter = options.redis
    ? new RateLimiterRedis({
        ...base,
        // Its counting script runs by SHA1, not sent whole with each request counted.
        storeClient: evalBySha(options.redis),
        useRedisPackage: true,
        rejectIfRedisNotReady: true,
        insuranceLimiter: memory,
      })
    : memory;
  return {
    async hit(key) {
      try {
        await limiter.consume(key);
        return null;
      } catch (res) {
        if (res instanceof RateLimiterRes) return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
        throw res;
      }
    },
    async peek(key) {
      const res = await limiter.get(key).catch(() => memory.get(key));
      if (!res || res.consumedPoints < options.points) return null;
      return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    },
    async reset(key) {
      await Promise.all([limiter.delete(key).catch(() => false), memory.delete(key)]);
    },
  };
}
