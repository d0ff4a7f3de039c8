import { type Challenge, createChallenge, type Payload, verifySolution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import type { Redis } from './redis.ts';

export type Captcha = {
  challenge(): Promise<Challenge>;
  /**
   * The solution's one-use key when the payload is a valid, unexpired, signed solution that was
   * not used yet; null otherwise. Checking uses nothing up: a booking that fails keeps its captcha.
   */
  check(payload: string): Promise<CaptchaKey | null>;
  /** Uses the solution up; false when another request used it first (a replay). */
  consume(key: CaptchaKey): Promise<boolean>;
};

export type CaptchaKey = { signature: string; expiresAt: number };

const TTL_MS = 10 * 60_000;

/**
 * A self-hosted proof-of-work captcha (ALTCHA): no third-party call, nothing to look at or
 * listen to, so it works with the keyboard and with a screen reader. `cost` sets the work.
 */
export function createCaptcha(options: {
  secret: string;
  cost: number;
  redis: Redis | undefined;
  namespace: string;
}): Captcha {
  // altcha-lib checks expiry against the real time (Date.now), so challenges are dated the same way.
  const used = new Map<string, number>();
  const redisKey = (signature: string) => `${options.namespace}:captcha:${signature}`;
  function forgetExpired(now: number) {
    for (const [key, until] of used) if (until <= now) used.delete(key);
  }
  async function isUsed(signature: string): Promise<boolean> {
    if (options.redis) {
      try {
        return (await options.redis.exists(redisKey(signature))) === 1;
      } catch {
        // Redis unreachable: this node's memory is all we know.
      }
    }
    forgetExpired(Date.now());
    return used.has(signature);
  }
  async function firstUse({ signature, expiresAt }: CaptchaKey): Promise<boolean> {
    const now = Date.now();
    if (options.redis) {
      try {
        const set = await options.redis.set(redisKey(signature), '1', {
          expiration: { type: 'PX', value: Math.max(1, expiresAt - now) },
          condition: 'NX',
        });
        return set === 'OK';
      } catch {
        // Redis unreachable: fall back to this node's memory.
      }
    }
    forgetExpired(now);
    if (used.has(signature)) return false;
    used.set(signature, expiresAt);
    return true;
  }
  return {
    challenge: () =>
      createChallenge({
        algorithm: 'SHA-256',
        cost: options.cost,
        deriveKey,
        hmacSignatureSecret: options.secret,
        expiresAt: new Date(Date.now() + TTL_MS),
      }),
    async check(payload) {
      let decoded: Payload;
      try {
        decoded = JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as Payload;
      } catch {
        return null;
      }
      if (
        !decoded?.challenge?.parameters ||
        !decoded.solution ||
        typeof decoded.challenge.signature !== 'string'
      )
        return null;
      const result = await verifySolution({
        challenge: decoded.challenge,
        solution: decoded.solution,
        deriveKey,
        hmacSignatureSecret: options.secret,
      }).catch(() => null);
      if (!result?.verified) return null;
      const expiresAt = (decoded.challenge.parameters.expiresAt ?? 0) * 1000 || Date.now() + TTL_MS;
      const signature = decoded.challenge.signature;
      return (await isUsed(signature)) ? null : { signature, expiresAt };
    },
    consume: firstUse,
  };
}
