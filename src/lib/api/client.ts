import createClient from 'openapi-fetch';
import type { paths } from './schema.d.ts';
import type { Audience, HoldRequest, Problem, RdvRequest, RdvType } from './types.ts';

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
}

const isProblem = (body: unknown): body is Problem =>
  typeof body === 'object' && body !== null && typeof (body as { code?: unknown }).code === 'string';

type Answer<T> = { data?: T; error?: unknown; response: Response };

/**
 * The body of a 2xx answer, or an ApiError. `readHeaders` is false for GETs, which also run during
 * server rendering: SvelteKit forbids reading headers there that it does not serialise.
 */
async function unwrap<T>(call: Promise<Answer<T>>, readHeaders = true): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const retry = readHeaders ? Number(response.headers.get('retry-after')) || undefined : undefined;
  throw new ApiError(response.status, isProblem(error) ? error : undefined, retry);
}

/**
 * The typed client of the Guichet API, over the paths generated from its OpenAPI document.
 *
 * Pass the `fetch` of a load function so that, during server rendering, calls go to the API
 * in-process (see hooks.server.ts), and the page's origin (`url.origin`): requests are built as
 * `Request` objects, which need an absolute URL on the server.
 */
export function createApi(fetch: Fetch, origin: string) {
  const api = createClient<paths>({
    baseUrl: origin,
    // openapi-fetch hands over a Request; SvelteKit's fetch takes one as well.
    fetch: (request) => fetch(request),
    headers: { accept: 'application/json' },
    credentials: 'same-origin',
  });

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
  };
}

export type Api = ReturnType<typeof createApi>;

/** The URL of the captcha challenge, for the ALTCHA widget (which fetches it itself). */
export const CAPTCHA_URL = '/api/v1/captcha' satisfies keyof paths;
