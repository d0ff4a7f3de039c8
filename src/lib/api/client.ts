import type {
  Audience,
  ContactReasons,
  DevMail,
  Hold,
  Problem,
  Rdv,
  RdvRequest,
  RdvType,
  SelfServiceRdv,
  ServiceCard,
  ServiceSearch,
  ServiceSummary,
  Slots,
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
}

const BASE = '/api/v1';

async function fail(response: Response, readHeaders: boolean): Promise<never> {
  const problem = (await response.json().catch(() => undefined)) as Problem | undefined;
  // Not during SSR: SvelteKit forbids reading headers it does not serialise.
  const retry = readHeaders ? Number(response.headers.get('retry-after')) || undefined : undefined;
  throw new ApiError(response.status, problem, retry);
}

async function getJson<T>(fetch: Fetch, path: string): Promise<T> {
  const response = await fetch(path.startsWith('/api/') ? path : `${BASE}${path}`, {
    headers: { accept: 'application/json' },
  });
  if (!response.ok) return fail(response, false);
  return (await response.json()) as T;
}

async function send<T>(
  fetch: Fetch,
  method: 'POST' | 'DELETE',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const response = await fetch(`${BASE}${path}`, {
    method,
    headers: {
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  if (!response.ok) return fail(response, true);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

const query = (params: Record<string, string | undefined>) =>
  new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1])).toString();

/**
 * The typed client of the Guichet API. Pass the `fetch` of a load function so that, during
 * server rendering, calls go to the API in-process (see hooks.server.ts).
 */
export function createApi(fetch: Fetch) {
  return {
    /** The public card of a service, by its code principal (7 digits). */
    service: (code: string) => getJson<ServiceCard>(fetch, `/services/${encodeURIComponent(code)}`),

    /** The cascade of contact reasons of particuliers or professionnels. */
    contactReasons: (audience: Audience) =>
      getJson<ContactReasons>(fetch, `/contact-reasons?${query({ audience })}`),

    /** The competent offices for an address, restricted to the kinds of office a reason needs. */
    searchServices: (p: { street: string; postcode: string; city?: string; kind?: string }) =>
      getJson<ServiceSearch>(fetch, `/services?${query(p)}`),

    /** The office of people living abroad (DRESG). */
    dresg: () => getJson<ServiceSummary>(fetch, '/services/dresg'),

    /** The free slots of a service for a motif and a type, days between from and to (YYYY-MM-DD). */
    slots: (code: string, p: { motif: number; type: RdvType; from: string; to: string }) =>
      getJson<Slots>(
        fetch,
        `/services/${encodeURIComponent(code)}/slots?${query({ ...p, motif: String(p.motif) })}`,
      ),

    /** Keeps a slot for this browser while the form is filled (one hold per browser). */
    placeHold: (p: { serviceCode: string; motifId: number; type: RdvType; start: string }) =>
      send<Hold>(fetch, 'POST', '/holds', p),

    releaseHold: (holdId: string) => send<void>(fetch, 'DELETE', `/holds/${encodeURIComponent(holdId)}`),

    /** Books the held slot. The same idempotency key must be sent again when retrying one submission. */
    book: (body: RdvRequest, idempotencyKey: string) =>
      send<Rdv>(fetch, 'POST', '/rdvs', body, { 'idempotency-key': idempotencyKey }),

    /** The rdv a self-service link points at. */
    selfService: (code: string, token: string) =>
      getJson<SelfServiceRdv>(fetch, `/rdvs/self-service?${query({ code, token })}`),

    cancelSelfService: (code: string, token: string) =>
      send<SelfServiceRdv | undefined>(fetch, 'POST', '/rdvs/self-service/cancel', { code, token }),

    /** The emails captured by the demo outbox (404 outside demo mode). */
    devMails: () => getJson<{ mails: DevMail[] }>(fetch, '/api/dev/mails'),
  };
}

export type Api = ReturnType<typeof createApi>;

/** The self-service .ics of an rdv (needs the token of the email link). */
export const selfServiceIcsUrl = (code: string, token: string) =>
  `${BASE}/rdvs/self-service/ics?${query({ code, token })}`;

/** The URL of the captcha challenge, for the ALTCHA widget. */
export const CAPTCHA_URL = `${BASE}/captcha`;
