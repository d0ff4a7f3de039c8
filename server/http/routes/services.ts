import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Deps } from '../../app/deps.ts';
import { getServiceCard } from '../../app/services.ts';
import { type Env, router } from '../router.ts';
import { ProblemSchema, ServiceCardSchema } from '../schemas.ts';

const getService = createRoute({
  method: 'get',
  path: '/services/{code}',
  summary: 'Fiche publique d’un service (par code principal SAGES)',
  request: {
    params: z.object({
      code: z
        .string()
        .regex(/^\d{7}$/, 'Le code principal (SAGES) comporte 7 chiffres.')
        .openapi({ param: { name: 'code', in: 'path' }, example: '5800450' }),
    }),
  },
  responses: {
    200: {
      content: { 'application/json': { schema: ServiceCardSchema } },
      description: 'La fiche du service',
    },
    404: {
      content: { 'application/problem+json': { schema: ProblemSchema } },
      description: 'Service inconnu',
    },
    422: { content: { 'application/problem+json': { schema: ProblemSchema } }, description: 'Code invalide' },
  },
});

export function serviceRoutes(deps: Deps): OpenAPIHono<Env> {
  const app = router();
  app.openapi(getService, async (c) => c.json(await getServiceCard(deps, c.req.valid('param').code), 200));
  return app;
}
