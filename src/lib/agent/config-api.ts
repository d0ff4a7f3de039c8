import { createPaths, unwrap } from '#lib/api/client.ts';
import type { components } from '#lib/api/schema.d.ts';
import type { ApiPlage } from './plages.ts';

/*
 * The calls of "Configurer le service", over the typed paths. Every change of the offer takes
 * `preview` (the rdvs it would touch, nothing saved) and a `decision` for those rdvs.
 */

type Schemas = components['schemas'];
export type ServiceConfig = Schemas['ConfigService'];
export type GuichetConfig = Schemas['GuichetConfig'];
export type ImpactAnswer = Schemas['ImpactChangement'];
export type Decision = 'keep' | 'replan' | 'cancel';
/**
 * `decisions`: one rdv's own choice, by its id; `decision` is for the others, those of
 * `affectedIds` (the rdvs the head was shown: any other the change would touch refuses it).
 */
export type ImpactOptions = {
  preview?: boolean;
  decision?: Decision;
  decisions?: Record<string, Decision>;
  affectedIds?: number[];
};

type Fetch = typeof globalThis.fetch;

export type GuichetFields = {
  name: string;
  open: boolean;
  types: GuichetConfig['types'];
  bookableBy: GuichetConfig['bookableBy'];
  motifIds: number[];
};

export type Settings = Pick<
  ServiceConfig,
  'active' | 'durationMinutes' | 'holidayCalendar' | 'selfCancellation'
>;

export function createConfigApi(fetch: Fetch, origin: string) {
  const api = createPaths(fetch, origin);
  const service = (code: string) => ({ path: { code } });
  const guichet = (code: string, id: number) => ({ path: { code, id } });
  return {
    config: (code: string) =>
      unwrap(api.GET('/api/v1/agent/services/{code}/config', { params: service(code) }), false),
    saveSettings: (code: string, body: Settings, o: ImpactOptions) =>
      unwrap(
        api.PUT('/api/v1/agent/services/{code}/config', { params: service(code), body: { ...body, ...o } }),
      ),
    // Sent without `preview`: the answer is the created guichet (201), never a preview (200).
    createGuichet: (code: string, body: GuichetFields) =>
      unwrap(api.POST('/api/v1/agent/services/{code}/guichets', { params: service(code), body })) as Promise<
        GuichetConfig & { warnings: ImpactAnswer['warnings'] }
      >,
    changeGuichet: (code: string, id: number, body: Partial<GuichetFields>, o: ImpactOptions) =>
      unwrap(
        api.PATCH('/api/v1/agent/services/{code}/guichets/{id}', {
          params: guichet(code, id),
          body: { ...body, ...o },
        }),
      ),
    savePlages: (code: string, id: number, plages: ApiPlage[], o: ImpactOptions) =>
      unwrap(
        api.PUT('/api/v1/agent/services/{code}/guichets/{id}/plages', {
          params: guichet(code, id),
          body: { plages, ...o },
        }),
      ),
    copyWeek: (code: string, id: number, toGuichetId: number, o: ImpactOptions) =>
      unwrap(
        api.POST('/api/v1/agent/services/{code}/guichets/{id}/copy-week', {
          params: guichet(code, id),
          body: { toGuichetId, ...o },
        }),
      ),
    addFermeture: (
      code: string,
      body: { guichetId: number | null; start: string; end: string; reason: string },
      o: ImpactOptions,
    ) =>
      unwrap(
        api.POST('/api/v1/agent/services/{code}/fermetures', {
          params: service(code),
          body: { ...body, ...o },
        }),
      ),
    removeFermeture: async (code: string, id: number): Promise<void> => {
      await unwrap(
        api.DELETE('/api/v1/agent/services/{code}/fermetures/{id}', { params: guichet(code, id) }),
      );
    },
  };
}

export type ConfigApi = ReturnType<typeof createConfigApi>;

/** The client of the page, which renders in the browser only: same origin, the cookie rides along. */
export const browserConfigApi = () => createConfigApi(fetch, location.origin);
