import { createPaths, unwrap } from '#lib/api/client.ts';
import type { components } from '#lib/api/schema.d.ts';

type Schemas = components['schemas'];
type Fetch = typeof globalThis.fetch;

/** GET /api/v1/agent/services/:code/agents — "Organiser le service". */
export type ServiceTeam = Schemas['AgentsDuService'];
export type TeamAgent = ServiceTeam['agents'][number];
export type Profile = TeamAgent['profile'];
/** POST /api/v1/agent/agents and /api/v1/agent/services (administrateur). */
export type NewAgent = Schemas['NouvelAgent'];
export type NewService = Schemas['NouveauService'];
export type ServiceKind = NewService['kind'];
export type HolidayCalendar = NonNullable<NewService['holidayCalendar']>;

/** The calls of "Organiser le service", "Administration" and "Mot de passe". */
export function organisationApi(fetch: Fetch, origin: string) {
  const api = createPaths(fetch, origin);
  const path = (code: string) => ({ params: { path: { code } } });
  const agent = (code: string, agentId: number) => ({ params: { path: { code, agentId } } });
  return {
    team: (code: string) => unwrap(api.GET('/api/v1/agent/services/{code}/agents', path(code)), false),
    /** Rattacher un agent existant, par son identifiant. */
    attach: (code: string, login: string, profile: Profile) =>
      unwrap(api.POST('/api/v1/agent/services/{code}/agents', { ...path(code), body: { login, profile } })),
    changeProfile: (code: string, agentId: number, profile: Profile) =>
      unwrap(
        api.PUT('/api/v1/agent/services/{code}/agents/{agentId}', {
          ...agent(code, agentId),
          body: { profile },
        }),
      ),
    /** Refused (409 LAST_CHEF) for the service's last chef. */
    detach: (code: string, agentId: number) =>
      unwrap(api.DELETE('/api/v1/agent/services/{code}/agents/{agentId}', agent(code, agentId))),
    createAgent: (body: NewAgent) => unwrap(api.POST('/api/v1/agent/agents', { body })),
    createService: (body: NewService) => unwrap(api.POST('/api/v1/agent/services', { body })),
    changePassword: async (current: string, next: string): Promise<void> => {
      await unwrap(api.POST('/api/v1/auth/password', { body: { current, next } }));
    },
  };
}

/** Same origin, the session cookie rides along (the agents' pages render in the browser only). */
export const browserOrganisationApi = () => organisationApi(fetch, location.origin);
