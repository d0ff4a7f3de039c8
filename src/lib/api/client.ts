import type { Problem, ServiceCard } from './types.ts';

export type * from './types.ts';

type Fetch = typeof globalThis.fetch;

/** A non-2xx answer of the API, with its problem+json body when there is one. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | undefined;

  constructor(status: number, problem: Problem | undefined) {
    super(problem?.detail || problem?.title || `Erreur ${status} de l’API`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }
}

const BASE = '/api/v1';

async function getJson<T>(fetch: Fetch, path: string): Promise<T> {
  const response = await fetch(`${BASE}${path}`, { headers: { accept: 'application/json' } });
  if (!response.ok) {
    // Not response.headers: during SSR, SvelteKit forbids reading headers it does not serialise.
    const problem = (await response.json().catch(() => undefined)) as Problem | undefined;
    throw new ApiError(response.status, problem);
  }
  return (await response.json()) as T;
}

/**
 * The typed client of the Guichet API. Pass the `fetch` of a load function so that, during
 * server rendering, calls go to the API in-process (see hooks.server.ts).
 */
export function createApi(fetch: Fetch) {
  return {
    /** The public card of a service, by its code principal (7 digits). */
    service: (code: string) => getJson<ServiceCard>(fetch, `/services/${encodeURIComponent(code)}`),
  };
}

export type Api = ReturnType<typeof createApi>;
