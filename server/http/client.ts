import type { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import type { RateLimit } from '../infra/rate-limit.ts';
import { problem } from './problem.ts';

/**
 * Where a request comes from, for rate limits and loopback-only pages.
 *
 * - Over the network (@hono/node-server), Hono's env holds the Node request: the address is the
 *   socket's or, behind `trustedHops` proxies, the one the nearest trusted proxy appended to
 *   X-Forwarded-For (the N-th entry from the right). Entries further left were written by the
 *   client and are never believed.
 * - In process (SvelteKit's server rendering, src/hooks.server.ts), the caller passes the
 *   browser's own address as `env.clientAddress`: only code of this process can set Hono's env,
 *   no header a browser sends can.
 */
export type ApiBindings = { incoming?: IncomingMessage; clientAddress?: string };

/**
 * What stands for a client that reached this node through a proxy on the same machine that
 * TRUST_PROXY does not declare: its real address is unknown, and it must not pass for a browser
 * on this machine (the demo mailbox is served to those). Such clients share one rate-limit bucket,
 * as they would under 127.0.0.1.
 */
export const UNDECLARED_PROXY = 'mandataire-local-non-declare';

/** The address of a request that reached this node from `remote` with this X-Forwarded-For. */
export function forwardedAddress(
  remote: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustedHops: number,
): string | undefined {
  if (trustedHops === 0 && forwardedFor && remote && isLoopback(normaliseAddress(remote)))
    return UNDECLARED_PROXY;
  if (trustedHops > 0 && forwardedFor) {
    const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean);
    // Fewer entries than trusted proxies: every entry was written by one of them.
    const appended = hops[Math.max(0, hops.length - trustedHops)];
    if (appended) return normaliseAddress(appended);
  }
  return remote ? normaliseAddress(remote) : undefined;
}

/** "::ffff:127.0.0.1" and "127.0.0.1" are one client. */
function normaliseAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

export function clientIp(c: Context, trustedHops: number): string {
  const env = c.env as ApiBindings | undefined;
  if (env?.clientAddress) return normaliseAddress(env.clientAddress);
  const incoming = env?.incoming;
  return (
    forwardedAddress(incoming?.socket?.remoteAddress, incoming?.headers['x-forwarded-for'], trustedHops) ??
    'inconnue'
  );
}

export function isLoopback(address: string): boolean {
  return address === '::1' || /^127\.\d+\.\d+\.\d+$/.test(address);
}

/** 429 problem+json with Retry-After once the client's address is over the limit. */
export function rateLimited(limit: RateLimit, trustedHops: number): MiddlewareHandler {
  return async (c, next) => {
    const wait = await limit.hit(clientIp(c, trustedHops));
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
