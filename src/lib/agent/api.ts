import { createApi } from '#lib/api/client.ts';

/**
 * The API client of the agents' pages, which render in the browser only: same origin, the
 * session cookie rides along.
 */
export const browserApi = () => createApi(fetch, location.origin);
