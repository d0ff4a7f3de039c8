import type { ConfigApi } from './config-api.ts';
import type { ImpactFlow } from './impact.svelte.ts';

/** What each part of "Configurer le service" needs to save a change and say it is done. */
export type ConfigContext = {
  api: ConfigApi;
  code: string;
  timeZone: string;
  flow: ImpactFlow;
  /** Reloads the configuration and announces what was done (aria-live). */
  done: (message: string) => Promise<void>;
};
