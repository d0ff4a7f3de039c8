import { createApi } from '#lib/api/client.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, url }) => ({
  services: (await createApi(fetch, url.origin).agentServices()).services,
});
