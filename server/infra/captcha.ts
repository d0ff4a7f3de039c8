import { type Challenge, createChallenge, type Payload, verifySolution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import type { Redis } from './redis.ts';

export type Captcha = {
  challenge(): Promise<Challenge>;
  /** True once for a valid, unexpired, signed solution; a replayed solution is refused. */
  verify(payload: string): Promise<boolean>;
};

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
  async function firstUse(signature: string, expiresAt: number): Promise<boolean> {
    const now = Date.now();
    if (options.redis) {
      try {
        const set = await options.redis.set(`${options.namespace}:captcha:${signature}`, '1', {
          expiration: { type: 'PX', value: Math.max(1, expiresAt - now) },
          condition: 'NX',
        });
        return set === 'OK';
      } catch {
        // Redis unreachable: fall back to this node's memory.
      }
    }
    for (const [key, until] of used) if (until <= now) used.delete(key);
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
    async verify(payload) {
      let decoded: Payload;
      try {
        decoded = JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as Payload;
      } catch {
        return false;
      }
      if (
        !decoded?.challenge?.parameters ||
        !decoded.solution ||
        typeof decoded.challenge.signature !== 'string'
      )
        return false;
      const result = await verifySolution({
        challenge: decoded.challenge,
        solution: decoded.solution,
        deriveKey,
        hmacSignatureSecret: options.secret,
      }).catch(() => null);
      if (!result?.verified) return false;
      const expiresAt = (decoded.challenge.parameters.expiresAt ?? 0) * 1000 || Date.now() + TTL_MS;
      return firstUse(decoded.challenge.signature, expiresAt);
    },
  };
}
