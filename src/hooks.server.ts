import type { RequestEvent } from '@sveltejs/kit';
import type { Handle, HandleFetch } from '@sveltejs/kit/hooks';

/** The browser's address gives the in-process API call its own rate-limit bucket (see below). */
type ApiFetch = (request: Request, env?: { clientAddress?: string }) => Response | Promise<Response>;

/** The Hono API of this process (set by server/boot.ts): SSR loads call it without the network. */
function api(): ApiFetch | undefined {
  return (globalThis as Record<symbol, ApiFetch | undefined>)[Symbol.for('guichet.api')];
}

const CLIENT_ADDRESS = Symbol.for('guichet.client-address');

const isApiPath = (pathname: string) =>
  pathname.startsWith('/api/') ||
  pathname === '/healthz' ||
  pathname === '/readyz' ||
  pathname === '/metrics';

/**
 * The visitor's address: server/main.ts works it out from the socket and X-Forwarded-For by the
 * TRUST_PROXY rule and leaves it on the Node request; under `vite dev` there is no such request and
 * SvelteKit's own getClientAddress() (the socket) is right.
 */
function clientAddress(event: RequestEvent): string | undefined {
  const req = (event.platform as { req?: Record<symbol, unknown> } | undefined)?.req;
  const known = req?.[CLIENT_ADDRESS];
  if (typeof known === 'string') return known;
  try {
    return event.getClientAddress();
  } catch {
    return undefined;
  }
}

/**
 * Pages that carry a token in their address (the email links) or personal data (the booking
 * wizard ends on the confirmation; the demo mailbox; the agents' space): never cached, and their
 * URL never sent as a Referer.
 */
const PRIVATE_PAGES = [
  /^\/rendez-vous(\/|$)/,
  /^\/services\/[^/]+\/rendez-vous/,
  /^\/dev(\/|$)/,
  /^\/agent(\/|$)/,
];

/** Two years, as HSTS preload lists ask; sent only when the site is public over https. */
const HSTS = 'max-age=63072000; includeSubDomains';

// In `npm run dev` Vite serves everything: hand API paths to the API. In production
// server/main.ts routes them before SvelteKit, so this branch is not reached.
export const handle: Handle = async ({ event, resolve }) => {
  const fetchApi = api();
  if (fetchApi && isApiPath(event.url.pathname)) {
    return fetchApi(event.request, { clientAddress: clientAddress(event) });
  }
  const response = await resolve(event);
  // The Content-Security-Policy comes from kit.csp (vite.config.ts), with a nonce per page.
  response.headers.set('x-content-type-options', 'nosniff');
  response.headers.set('referrer-policy', 'strict-origin-when-cross-origin');
  // The same environment server/infra/config.ts parsed at start (this is its process).
  if (process.env.PUBLIC_URL?.startsWith('https:')) response.headers.set('strict-transport-security', HSTS);
  if (PRIVATE_PAGES.some((re) => re.test(event.url.pathname))) {
    response.headers.set('cache-control', 'no-store');
    response.headers.set('referrer-policy', 'no-referrer');
  }
  return response;
};

/**
 * Server-rendered pages call the API in process, each with the visitor's own address in Hono's env
 * (which no browser can write): otherwise every visitor would share one rate-limit bucket.
 */
export const handleFetch: HandleFetch = async ({ event, request, fetch }) => {
  const url = new URL(request.url);
  const fetchApi = api();
  if (fetchApi && url.origin === event.url.origin && isApiPath(url.pathname)) {
    return fetchApi(request, { clientAddress: clientAddress(event) });
  }
  return fetch(request);
};
