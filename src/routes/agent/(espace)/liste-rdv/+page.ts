import { listCriteria } from '#lib/agent/rdv-lists.ts';
import { createApi } from '#lib/api/client.ts';
import { localDay, PARIS } from '#lib/format.ts';
import type { PageLoad } from './$types';

/** The dashboard's services (the list covers them all, or one) and the criteria of the address. */
export const load: PageLoad = async ({ fetch, url }) => ({
  services: (await createApi(fetch, url.origin).agentServices()).services,
  criteria: listCriteria(url.searchParams, localDay(new Date(), PARIS)),
});
