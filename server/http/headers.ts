import type { MiddlewareHandler } from 'hono';

/**
 * Security headers of every answer of this node, pages included (src/hooks.server.ts uses the same
 * rules through `pageSecurityHeaders`). Answers that carry a token or personal data are never
 * stored by a cache and never leak their URL in a Referer.
 */
export type SecurityHeaderOptions = { https: boolean };

/** Two years, as HSTS preload lists ask; only when the site is served over https. */
const HSTS = 'max-age=63072000; includeSubDomains';

export function baseSecurityHeaders(options: SecurityHeaderOptions): Record<string, string> {
  return {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    ...(options.https ? { 'strict-transport-security': HSTS } : {}),
  };
}

/** What an answer with a credential (a token in the URL) or personal data adds. */
export const PRIVATE_HEADERS = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } as const;

/** API paths whose answers carry a token or personal data. */
const PRIVATE_API = [/^\/api\/v1\/rdvs(\/|$)/, /^\/api\/dev\//, /^\/api\/v1\/agent\//, /^\/api\/v1\/auth\//];

export const isPrivateApiPath = (path: string) => PRIVATE_API.some((re) => re.test(path));

// JSON needs no resource at all; the self-rendered /api/docs page only its own inline style.
const API_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export function securityHeaders(options: SecurityHeaderOptions): MiddlewareHandler {
  const base = baseSecurityHeaders(options);
  return async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(base)) c.res.headers.set(name, value);
    c.res.headers.set('content-security-policy', API_CSP);
    if (isPrivateApiPath(c.req.path)) {
      for (const [name, value] of Object.entries(PRIVATE_HEADERS)) c.res.headers.set(name, value);
    }
  };
}
