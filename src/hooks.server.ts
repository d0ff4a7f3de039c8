import type { Handle, HandleFetch } from '@sveltejs/kit/hooks';

type ApiFetch = (request: Request) => Response | Promise<Response>;

/** The Hono API of this process (set by server/boot.ts): SSR loads call it without the network. */
function api(): ApiFetch | undefined {
  return (globalThis as Record<symbol, ApiFetch | undefined>)[Symbol.for('guichet.api')];
}

const isApiPath = (pathname: string) =>
  pathname.startsWith('/api/') || pathname === '/healthz' || pathname === '/readyz';

// In `npm run dev` Vite serves everything: hand API paths to the API. In production
// server/main.ts routes them before SvelteKit, so this branch is not reached.
export const handle: Handle = async ({ event, resolve }) => {
  const fetchApi = api();
  if (fetchApi && isApiPath(event.url.pathname)) return fetchApi(event.request);
  return resolve(event);
};

export const handleFetch: HandleFetch = async ({ event, request, fetch }) => {
  const url = new URL(request.url);
  const fetchApi = api();
  if (fetchApi && url.origin === event.url.origin && isApiPath(url.pathname)) return fetchApi(request);
  return fetch(request);
};
