import { redirect } from '@sveltejs/kit';
import { passwordGate } from '#lib/agent/organisation.ts';
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
  let me: Awaited<ReturnType<typeof api.me>>;
  try {
    me = await api.me();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) redirect(303, signInPath(url.pathname + url.search));
    throw err;
  }
  // A first password (given by an administrateur) is changed before anything else: the API
  // refuses every other call meanwhile.
  const gate = passwordGate(me, url.pathname);
  if (gate) redirect(303, gate);
  return { me };
};
