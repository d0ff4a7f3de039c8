import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { parse } from 'hono/utils/cookie';
import { agentOfToken, type SignedInAgent } from '../app/auth.ts';
import type { Deps } from '../app/deps.ts';
import { SESSION_IDLE_MS } from '../domain/sessions.ts';
import type { ApiBindings } from './client.ts';
import { problem } from './problem.ts';

/** The agent's session cookie: httpOnly, SameSite=Lax, Secure behind https. */
export const SESSION_COOKIE = 'guichet_session';

export function readSessionToken(cookieHeader: string): string {
  return parse(cookieHeader, SESSION_COOKIE)[SESSION_COOKIE] ?? '';
}

const secure = (deps: Pick<Deps, 'config'>) => !!deps.config.publicUrl?.startsWith('https:');

export function setSessionCookie(
  c: Context,
  deps: Pick<Deps, 'config'>,
  token: string,
  expiresAt: Date,
): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: secure(deps),
    path: '/',
    expires: expiresAt,
    maxAge: Math.floor(SESSION_IDLE_MS / 1000),
  });
}

export function clearSessionCookie(c: Context, deps: Pick<Deps, 'config'>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: secure(deps) });
}

/** Routes behind `requireAgent` see the signed-in agent. */
export type AgentEnv = { Bindings: ApiBindings; Variables: { requestId: string; agent: SignedInAgent } };

/** What says where a request comes from: the headers a browser sets, and the origin it reached. */
export type RequestOrigin = { origin: string | undefined; fetchSite: string | undefined; reached: string };

/**
 * Whether a request authenticated by the cookie comes from our own pages: its Origin is the one
 * it reached (scheme of the connection and Host) or PUBLIC_URL's; a browser that sends no Origin
 * must say `Sec-Fetch-Site: same-origin`. One rule for the API's writes and the /agent socket's
 * handshake (a page of another site could otherwise act, or listen, with the agent's cookie).
 */
export function fromOurPages(config: Pick<Deps['config'], 'publicUrl'>): (r: RequestOrigin) => boolean {
  const publicOrigin = config.publicUrl ? new URL(config.publicUrl).origin : undefined;
  return ({ origin, fetchSite, reached }) =>
    origin ? origin === reached || origin === publicOrigin : fetchSite === 'same-origin';
}

/**
 * Cookie-authenticated writes must come from our own pages (`fromOurPages`), whatever the
 * content type.
 */
export function sameOrigin(deps: Pick<Deps, 'config'>): MiddlewareHandler {
  const ours = fromOurPages(deps.config);
  return async (c, next) => {
    if (/^(GET|HEAD|OPTIONS)$/.test(c.req.method)) return next();
    const request = {
      origin: c.req.header('origin'),
      fetchSite: c.req.header('sec-fetch-site'),
      reached: new URL(c.req.url).origin,
    };
    if (!ours(request)) {
      return problem(
        c,
        'FORBIDDEN',
        'Cette demande ne vient pas des pages de Guichet : elle est refusée. Rechargez la page et recommencez.',
        { reason: 'ORIGIN' },
      );
    }
    return next();
  };
}

/** Requires a live agent session (the cookie); 401 in French otherwise, and the cookie goes. */
export function requireAgent(deps: Deps): MiddlewareHandler<AgentEnv> {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE) ?? '';
    const agent = await agentOfToken(deps, token);
    if (!agent) {
      if (token) clearSessionCookie(c, deps);
      return problem(c, 'UNAUTHENTICATED', 'Votre session a expiré ou n’existe pas : connectez-vous.');
    }
    // The expiry slid forward: the cookie follows.
    setSessionCookie(c, deps, token, agent.expiresAt);
    c.set('agent', agent);
    return next();
  };
}

/** An agent on a first password (given by an administrateur) changes it before anything else. */
export function passwordChanged(): MiddlewareHandler<AgentEnv> {
  return async (c, next) => {
    if (!c.get('agent').mustChangePassword) return next();
    return problem(
      c,
      'PASSWORD_CHANGE_REQUIRED',
      'Choisissez votre mot de passe : celui qui vous a été donné ne sert qu’à la première connexion.',
    );
  };
}
