import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { getCookie } from 'hono/cookie';
import { describeAgent, signIn, signOut, signOutEverywhere } from '../../app/auth.ts';
import type { Deps } from '../../app/deps.ts';
import { changePassword } from '../../app/organisation.ts';
import {
  type AgentEnv,
  clearSessionCookie,
  requireAgent,
  SESSION_COOKIE,
  sameOrigin,
  setSessionCookie,
} from '../agent-session.ts';
import { clientIp } from '../client.ts';
import { router } from '../router.ts';
import { problemResponse } from '../schemas.ts';

const Me = z
  .object({
    login: z.string(),
    name: z.string(),
    profile: z.enum(['consultation', 'agent', 'chef', 'administrateur']).nullable(),
    services: z.array(z.string()).openapi({ description: 'Codes principaux de la zone de compétence' }),
    mustChangePassword: z.boolean(),
    expiresAt: z.string(),
  })
  .openapi('AgentMe');

const LoginBody = z
  .object({
    login: z
      .string({ error: 'Saisissez votre identifiant.' })
      .trim()
      .min(1, 'Saisissez votre identifiant.')
      .max(100),
    password: z
      .string({ error: 'Saisissez votre mot de passe.' })
      .min(1, 'Saisissez votre mot de passe.')
      .max(200),
  })
  .openapi('LoginRequest');

const loginRoute = createRoute({
  method: 'post',
  path: '/auth/login',
  summary: 'Connexion d’un agent (le cookie de session est posé)',
  request: { body: { content: { 'application/json': { schema: LoginBody } }, required: true } },
  responses: {
    200: { description: 'Connecté', content: { 'application/json': { schema: Me } } },
    401: problemResponse('Identifiant ou mot de passe incorrect (INVALID_CREDENTIALS)'),
    403: problemResponse('Demande venue d’une autre origine'),
    422: problemResponse('Champs manquants'),
    429: problemResponse('Trop de tentatives'),
  },
});

const logoutRoute = createRoute({
  method: 'post',
  path: '/auth/logout',
  summary: 'Déconnexion de cette session',
  responses: { 204: { description: 'Déconnecté' }, 401: problemResponse('Pas de session') },
});

const logoutAllRoute = createRoute({
  method: 'post',
  path: '/auth/logout-all',
  summary: 'Déconnexion de toutes les sessions de l’agent',
  responses: {
    200: {
      description: 'Sessions fermées',
      content: { 'application/json': { schema: z.object({ sessions: z.number().int() }) } },
    },
    401: problemResponse('Pas de session'),
  },
});

const passwordRoute = createRoute({
  method: 'post',
  path: '/auth/password',
  summary:
    'Changer son mot de passe (obligatoire après un premier mot de passe) ; les autres sessions se ferment',
  request: {
    body: {
      content: {
        'application/json': {
          schema: z
            .object({
              current: z.string({ error: 'Saisissez votre mot de passe actuel.' }).min(1).max(200),
              next: z.string({ error: 'Saisissez le nouveau mot de passe.' }).max(200),
            })
            .openapi('ChangementMotDePasse'),
        },
      },
      required: true,
    },
  },
  responses: {
    204: { description: 'Mot de passe changé' },
    401: problemResponse('Pas de session'),
    422: problemResponse('Mot de passe actuel incorrect, ou nouveau trop court'),
  },
});

const meRoute = createRoute({
  method: 'get',
  path: '/auth/me',
  summary: 'L’agent connecté, son profil et sa zone de compétence',
  responses: {
    200: { description: 'L’agent', content: { 'application/json': { schema: Me } } },
    401: problemResponse('Pas de session'),
  },
});

/** Sign-in and sessions of agents (mounted under /api/v1). */
export function authRoutes(deps: Deps): OpenAPIHono<AgentEnv> {
  const app = router<AgentEnv>();
  app.use('/auth/*', sameOrigin(deps));
  app.openapi(loginRoute, async (c) => {
    const body = c.req.valid('json');
    const { token, agent } = await signIn(deps, {
      login: body.login,
      password: body.password,
      address: clientIp(c, deps.config.trustProxy),
      previousToken: getCookie(c, SESSION_COOKIE),
    });
    setSessionCookie(c, deps, token, agent.expiresAt);
    return c.json(describeAgent(agent), 200);
  });
  app.use('/auth/logout', requireAgent(deps));
  app.use('/auth/logout-all', requireAgent(deps));
  app.use('/auth/me', requireAgent(deps));
  app.use('/auth/password', requireAgent(deps));
  app.openapi(logoutRoute, async (c) => {
    await signOut(deps, c.get('agent'));
    clearSessionCookie(c, deps);
    return c.body(null, 204);
  });
  app.openapi(logoutAllRoute, async (c) => {
    const sessions = await signOutEverywhere(deps, c.get('agent'));
    clearSessionCookie(c, deps);
    return c.json({ sessions }, 200);
  });
  app.openapi(meRoute, (c) => c.json(describeAgent(c.get('agent')), 200));
  app.openapi(passwordRoute, async (c) => {
    await changePassword(deps, c.get('agent'), c.req.valid('json'));
    return c.body(null, 204);
  });
  return app;
}
