import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Deps } from '../../app/deps.ts';
import { createAgent, createService, serviceAgents, setHabilitation } from '../../app/organisation.ts';
import { HOLIDAY_CALENDARS } from '../../domain/index.ts';
import type { AgentEnv } from '../agent-session.ts';
import { idParam, problemResponse, ServiceCode } from '../schemas.ts';

const AgentId = idParam('Identifiant d’agent attendu.');
const Profile = z.enum(['consultation', 'agent', 'chef'], { error: 'Profil : consultation, agent ou chef.' });
const denied = {
  401: problemResponse('Pas de session'),
  403: problemResponse('Réservé au chef de service ou à un administrateur'),
  404: problemResponse('Introuvable'),
  409: problemResponse('Dernier chef du service (LAST_CHEF)'),
  422: problemResponse('Données invalides'),
};

const AgentsSchema = z
  .object({
    service: z.object({ code: z.string(), name: z.string() }),
    agents: z.array(
      z.object({
        id: z.number().int(),
        login: z.string(),
        name: z.string(),
        email: z.string().nullable(),
        profile: Profile,
        active: z.boolean(),
      }),
    ),
  })
  .openapi('AgentsDuService');
const agentsAnswer = {
  description: 'Les agents du service',
  content: { 'application/json': { schema: AgentsSchema } },
};

const list = createRoute({
  method: 'get',
  path: '/agent/services/{code}/agents',
  summary: 'Organiser le service : les agents rattachés et leur profil',
  request: { params: z.object({ code: ServiceCode }) },
  responses: { 200: agentsAnswer, ...denied },
});

const attach = createRoute({
  method: 'post',
  path: '/agent/services/{code}/agents',
  summary: 'Rattacher un agent existant (par son identifiant) avec un profil',
  request: {
    params: z.object({ code: ServiceCode }),
    body: {
      content: {
        'application/json': {
          schema: z.object({ login: z.string().trim().min(1).max(100), profile: Profile }),
        },
      },
      required: true,
    },
  },
  responses: { 200: agentsAnswer, ...denied },
});

const change = createRoute({
  method: 'put',
  path: '/agent/services/{code}/agents/{agentId}',
  summary: 'Changer le profil d’un agent du service',
  request: {
    params: z.object({ code: ServiceCode, agentId: AgentId }),
    body: { content: { 'application/json': { schema: z.object({ profile: Profile }) } }, required: true },
  },
  responses: { 200: agentsAnswer, ...denied },
});

const detach = createRoute({
  method: 'delete',
  path: '/agent/services/{code}/agents/{agentId}',
  summary: 'Retirer un agent du service (jamais le dernier chef)',
  request: { params: z.object({ code: ServiceCode, agentId: AgentId }) },
  responses: { 200: agentsAnswer, ...denied },
});

const newAgent = createRoute({
  method: 'post',
  path: '/agent/agents',
  summary: 'Créer un agent, avec un premier mot de passe à changer à la première connexion (administrateur)',
  request: {
    body: {
      content: {
        'application/json': {
          schema: z
            .object({
              login: z
                .string()
                .trim()
                .regex(/^[a-z0-9._-]{3,60}$/i, 'Identifiant : 3 à 60 lettres, chiffres, points, tirets.'),
              name: z.string().trim().min(1, 'Le nom est obligatoire.').max(120),
              email: z.email('Adresse électronique invalide.').nullable().default(null),
              password: z.string().min(1).max(200),
              habilitations: z
                .array(z.object({ code: ServiceCode, profile: Profile }))
                .max(50)
                .default([]),
            })
            .openapi('NouvelAgent'),
        },
      },
      required: true,
    },
  },
  responses: {
    201: {
      description: 'Agent créé',
      content: { 'application/json': { schema: z.object({ id: z.number().int(), login: z.string() }) } },
    },
    ...denied,
  },
});

const newService = createRoute({
  method: 'post',
  path: '/agent/services',
  summary: 'Créer un service du réseau (administrateur) ; inactif tant que son chef ne l’a pas configuré',
  request: {
    body: {
      content: {
        'application/json': {
          schema: z
            .object({
              codePrincipal: ServiceCode,
              codeAssocie: z
                .string()
                .regex(/^\d{6}$/, 'Le code associé (CODIQUE) comporte 6 chiffres.')
                .nullable()
                .default(null),
              kind: z.enum(['SIP', 'SIE', 'CDIF', 'SIP-CDIF', 'TRESORERIE', 'SPL', 'AMENDE', 'DGE', 'DRESG']),
              name: z.string().trim().min(1).max(200),
              street: z.string().trim().max(200).default(''),
              postcode: z.string().regex(/^\d{5}$/, 'Le code postal comporte 5 chiffres.'),
              city: z.string().trim().min(1).max(100),
              phone: z.string().trim().max(30).nullable().default(null),
              email: z.email('Adresse électronique invalide.').nullable().default(null),
              timeZone: z.string().default('Europe/Paris'),
              holidayCalendar: z.enum(HOLIDAY_CALENDARS as [string, ...string[]]).default('metropole'),
            })
            .openapi('NouveauService'),
        },
      },
      required: true,
    },
  },
  responses: {
    201: {
      description: 'Service créé',
      content: { 'application/json': { schema: z.object({ code: z.string() }) } },
    },
    ...denied,
  },
});

/** "Organiser le service", and the administrateur's creations, on the agents' router. */
export function registerOrganisation(app: OpenAPIHono<AgentEnv>, deps: Deps): void {
  app.openapi(list, async (c) =>
    c.json(await serviceAgents(deps, c.get('agent'), c.req.valid('param').code), 200),
  );
  app.openapi(attach, async (c) => {
    const b = c.req.valid('json');
    const team = await setHabilitation(
      deps,
      c.get('agent'),
      c.req.valid('param').code,
      { login: b.login.toLowerCase() },
      b.profile,
    );
    return c.json(team, 200);
  });
  app.openapi(change, async (c) => {
    const { code, agentId } = c.req.valid('param');
    const team = await setHabilitation(deps, c.get('agent'), code, { agentId }, c.req.valid('json').profile);
    return c.json(team, 200);
  });
  app.openapi(detach, async (c) => {
    const { code, agentId } = c.req.valid('param');
    return c.json(await setHabilitation(deps, c.get('agent'), code, { agentId }, null), 200);
  });
  app.openapi(newAgent, async (c) =>
    c.json(await createAgent(deps, c.get('agent'), c.req.valid('json')), 201),
  );
  app.openapi(newService, async (c) =>
    c.json(await createService(deps, c.get('agent'), c.req.valid('json')), 201),
  );
}
