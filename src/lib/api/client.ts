import createClient from 'openapi-fetch';
import type { paths } from './schema.d.ts';
import type {
  Audience,
  ContreAppelRequest,
  HoldRequest,
  LoginRequest,
  Problem,
  RdvAgentRequest,
  RdvRequest,
  RdvType,
  ReplanRequest,
  Warning,
} from './types.ts';

export type * from './types.ts';

type Fetch = typeof globalThis.fetch;

/** A non-2xx answer of the API, with its problem+json body when there is one. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | undefined;
  /** Seconds to wait before retrying, from a 429's Retry-After (client side only). */
  readonly retryAfter: number | undefined;

  constructor(status: number, problem: Problem | undefined, retryAfter?: number) {
    super(problem?.detail || problem?.title || `Erreur ${status} de l’API`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }

  get code(): string | undefined {
    return this.problem?.code;
  }

  /** The warnings an agent may acknowledge (422 ACKNOWLEDGEMENT_REQUIRED), empty otherwise. */
  get warnings(): Warning[] {
    const list = (this.problem as { warnings?: unknown } | undefined)?.warnings;
    return Array.isArray(list) ? (list as Warning[]) : [];
  }
}

const isProblem = (body: unknown): body is Problem =>
  typeof body === 'object' && body !== null && typeof (body as { code?: unknown }).code === 'string';

type Answer<T> = { data?: T; error?: unknown; response: Response };

/**
 * The body of a 2xx answer, or an ApiError. `readHeaders` is false for GETs, which also run during
 * server rendering: SvelteKit forbids reading headers there that it does not serialise.
 */
export async function unwrap<T>(call: Promise<Answer<T>>, readHeaders = true): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const retry = readHeaders ? Number(response.headers.get('retry-after')) || undefined : undefined;
  throw new ApiError(response.status, isProblem(error) ? error : undefined, retry);
}

/**
 * The raw openapi-fetch client over the generated paths; screens with many calls of their own
 * (lists, pilotage) wrap it in their own module with `unwrap`, as `createApi` does below.
 */
export function createPaths(fetch: Fetch, origin: string) {
  return createClient<paths>({
    baseUrl: origin,
    // openapi-fetch hands over a Request; SvelteKit's fetch takes one as well.
    fetch: (request) => fetch(request),
    headers: { accept: 'application/json' },
    credentials: 'same-origin',
  });
}

/**
 * The typed client of the Guichet API, over the paths generated from its OpenAPI document.
 *
 * Pass the `fetch` of a load function so that, during server rendering, calls go to the API
 * in-process (see hooks.server.ts), and the page's origin (`url.origin`): requests are built as
 * `Request` objects, which need an absolute URL on the server.
 */
export function createApi(fetch: Fetch, origin: string) {
  const api = createPaths(fetch, origin);

  return {
    /** The public card of a service, by its code principal (7 digits). */
    service: (code: string) =>
      unwrap(api.GET('/api/v1/services/{code}', { params: { path: { code } } }), false),

    /** The cascade of contact reasons of particuliers or professionnels. */
    contactReasons: (audience: Audience) =>
      unwrap(api.GET('/api/v1/contact-reasons', { params: { query: { audience } } }), false),

    /** The competent offices for an address, restricted to the kinds of office a reason needs. */
    searchServices: (query: { street: string; postcode: string; city?: string; kind?: string }) =>
      unwrap(api.GET('/api/v1/services', { params: { query } }), false),

    /** The office of people living abroad (DRESG). */
    dresg: () => unwrap(api.GET('/api/v1/services/dresg'), false),

    /** The free slots of a service for a motif and a type, days between from and to (YYYY-MM-DD). */
    slots: (code: string, query: { motif: number; type: RdvType; from: string; to: string }) =>
      unwrap(api.GET('/api/v1/services/{code}/slots', { params: { path: { code }, query } }), false),

    /** Keeps a slot for this browser while the form is filled (one hold per browser). */
    placeHold: (body: HoldRequest) => unwrap(api.POST('/api/v1/holds', { body })),

    /**
     * Gives a held slot back. `keepalive` lets the request outlive the page (on `pagehide`), so
     * the slot comes back to others at once instead of when the hold expires.
     */
    releaseHold: async (holdId: string, options: { keepalive?: boolean } = {}): Promise<void> => {
      await unwrap(
        api.DELETE('/api/v1/holds/{holdId}', { params: { path: { holdId } }, keepalive: options.keepalive }),
      );
    },

    /** Books the held slot. The same idempotency key must be sent again when retrying one submission. */
    book: (body: RdvRequest, idempotencyKey: string) =>
      unwrap(api.POST('/api/v1/rdvs', { body, params: { header: { 'idempotency-key': idempotencyKey } } })),

    /** The rdv a self-service link points at. */
    selfService: (code: string, token: string) =>
      unwrap(api.GET('/api/v1/rdvs/self-service', { params: { query: { code, token } } }), false),

    cancelSelfService: (code: string, token: string) =>
      unwrap(api.POST('/api/v1/rdvs/self-service/cancel', { body: { code, token } })),

    /** The emails captured by the demo outbox (404 outside demo mode). */
    devMails: () => unwrap(api.GET('/api/dev/mails'), false),

    // The agents' space: every call rides on the httpOnly session cookie (same origin).

    /** Signs in: the server sets the session cookie. */
    login: (body: LoginRequest) => unwrap(api.POST('/api/v1/auth/login', { body })),
    /** The signed-in agent, or ApiError 401. */
    me: () => unwrap(api.GET('/api/v1/auth/me'), false),
    logout: async (): Promise<void> => {
      await unwrap(api.POST('/api/v1/auth/logout'));
    },
    /** "Déconnecter toutes mes sessions": every browser of this agent is signed out. */
    logoutAll: () => unwrap(api.POST('/api/v1/auth/logout-all')),

    /** "Tableau de bord des services": the zone's services and the actions the profile allows. */
    agentServices: () => unwrap(api.GET('/api/v1/agent/services'), false),
    /** The agenda of a service over local days [from, to] (YYYY-MM-DD, 31 days at most). */
    agenda: (code: string, range: { from: string; to: string }) =>
      unwrap(
        api.GET('/api/v1/agent/services/{code}/agenda', { params: { path: { code }, query: range } }),
        false,
      ),
    /** "Créer un RDV": 422 ACKNOWLEDGEMENT_REQUIRED lists the warnings to acknowledge. */
    createRdv: (code: string, body: RdvAgentRequest) =>
      unwrap(api.POST('/api/v1/agent/services/{code}/rdvs', { params: { path: { code } }, body })),
    /** The fiche RDV: every detail, its history, and what this agent may do with it. */
    rdvFiche: (id: number, acces?: string) =>
      unwrap(
        api.GET('/api/v1/agent/rdvs/{id}', { params: { path: { id }, query: acces ? { acces } : {} } }),
        false,
      ),
    /** "Arrivé / Non arrivé" (the rdv's day only). */
    setArrival: (id: number, arrived: boolean) =>
      unwrap(api.POST('/api/v1/agent/rdvs/{id}/arrival', { params: { path: { id } }, body: { arrived } })),
    recordContreAppel: (id: number, body: ContreAppelRequest) =>
      unwrap(api.POST('/api/v1/agent/rdvs/{id}/contre-appels', { params: { path: { id } }, body })),
    /** `acces`: an agent extérieur's token for this rdv alone (from "Rechercher les RDV"). */
    replan: (id: number, body: ReplanRequest, acces?: string) =>
      unwrap(
        api.POST('/api/v1/agent/rdvs/{id}/replan', {
          params: { path: { id }, query: acces ? { acces } : {} },
          body,
        }),
      ),
    cancelRdv: (id: number, acces?: string) =>
      unwrap(
        api.POST('/api/v1/agent/rdvs/{id}/cancel', {
          params: { path: { id }, query: acces ? { acces } : {} },
        }),
      ),
    /** "Rechercher l'utilisateur par son identifiant" among the usagers known in the zone (404 otherwise). */
    findUsager: (query: { numeroFiscal: string } | { siren: string }) =>
      unwrap(api.GET('/api/v1/agent/usagers', { params: { query } }), false),
  };
}

export type Api = ReturnType<typeof createApi>;

/** The URL of the captcha challenge, for the ALTCHA widget (which fetches it itself). */
export const CAPTCHA_URL = '/api/v1/captcha' satisfies keyof paths;
