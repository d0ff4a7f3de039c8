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

/**
 * Cookie-authenticated writes must come from our own pages: the browser's Origin (or, when it
 * sends none, its Sec-Fetch-Site) must say so, whatever the content type. A form or a script of
 * another site could otherwise act with the agent's cookie.
 */
export function sameOrigin(deps: Pick<Deps, 'config'>): MiddlewareHandler {
  const publicOrigin = deps.config.publicUrl ? new URL(deps.config.publicUrl).origin : undefined;
  return async (c, next) => {
    if (/^(GET|HEAD|OPTIONS)$/.test(c.req.method)) return next();
    const origin = c.req.header('origin');
    const fetchSite = c.req.header('sec-fetch-site');
    const ours = origin
      ? origin === new URL(c.req.url).origin || origin === publicOrigin
      : fetchSite === 'same-origin';
    if (!ours) {
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
