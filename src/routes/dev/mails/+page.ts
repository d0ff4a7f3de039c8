import { error } from '@sveltejs/kit';
import { ApiError, createApi } from '#lib/api/client.ts';
import type { PageLoad } from './$types';

/** The demo outbox: only when the server runs in demo mode (its API answers 404 otherwise). */
export const load: PageLoad = async ({ fetch, url }) => {
  try {
    const { mails } = await createApi(fetch, url.origin).devMails();
    return { mails: [...mails].sort((a, b) => Date.parse(b.sentAt) - Date.parse(a.sentAt)) };
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) error(404, 'Page introuvable');
    throw err;
  }
};
