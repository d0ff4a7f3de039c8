import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import type { RateLimit } from '../infra/rate-limit.ts';
import { problem } from './problem.ts';

/** The client's address: the socket's, or the first X-Forwarded-For hop behind a trusted proxy. */
export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'inconnue';
  } catch {
    // In-process requests (SSR, tests) have no socket.
    return 'interne';
  }
}

/** 429 problem+json with Retry-After once the client's address is over the limit. */
export function rateLimited(limit: RateLimit, trustProxy: boolean): MiddlewareHandler {
  return async (c, next) => {
    const wait = await limit.hit(clientIp(c, trustProxy));
    if (wait !== null) {
      c.header('Retry-After', String(wait));
      return problem(
        c,
        'RATE_LIMITED',
        `Trop de demandes depuis votre connexion. Réessayez dans ${wait} seconde${wait > 1 ? 's' : ''}.`,
      );
    }
    await next();
  };
}
