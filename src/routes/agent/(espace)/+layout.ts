import { redirect } from '@sveltejs/kit';
import { signInPath } from '#lib/agent/return-path.ts';
import { ApiError, createApi } from '#lib/api/client.ts';
import type { LayoutLoad } from './$types';

/*
 * The agents' space renders in the browser only: every page depends on the session cookie (which
 * the in-process SSR call does not carry) and on the live socket, and none is for search engines.
 */
export const ssr = false;

export const load: LayoutLoad = async ({ fetch, url }) => {
  const api = createApi(fetch, url.origin);
  try {
    return { me: await api.me() };
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) redirect(303, signInPath(url.pathname + url.search));
    throw err;
  }
};
