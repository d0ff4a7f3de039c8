import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Deps } from '../../app/deps.ts';
import { getServiceCard } from '../../app/services.ts';
import { type Env, router } from '../router.ts';
import { ProblemSchema } from '../schemas.ts';

const ServiceCardSchema = z
  .object({
    code: z.string().openapi({ example: '5800450' }),
    codeAssocie: z.string().nullable().openapi({ example: '058019' }),
    name: z.string(),
    kind: z.string(),
    address: z.object({ street: z.string(), postcode: z.string(), city: z.string() }),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    hours: z.string().nullable(),
    bookableOnline: z.boolean(),
    durationMinutes: z.number().int(),
    types: z.array(z.enum(['physique', 'telephone'])),
    motifs: z.array(
      z.object({
        id: z.number().int(),
        label: z.string(),
        children: z.array(z.object({ id: z.number().int(), label: z.string() })),
      }),
    ),
  })
  .openapi('ServiceCard');

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
