import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Deps } from '../../app/deps.ts';
import { AppError } from '../../app/errors.ts';
import { checkReadiness } from '../../app/health.ts';
import { type Env, router } from '../router.ts';
import { problemResponse } from '../schemas.ts';

const liveness = createRoute({
  method: 'get',
  path: '/healthz',
  summary: 'Le processus est vivant',
  responses: {
    200: {
      description: 'Vivant',
      content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } },
    },
  },
});

const readiness = createRoute({
  method: 'get',
  path: '/readyz',
  summary: 'Prêt à servir : la base de données (et Redis s’il est configuré) répond',
  responses: {
    200: {
      description: 'Prêt',
      content: {
        'application/json': {
          schema: z.object({
            status: z.literal('ready'),
            checks: z.record(z.string(), z.enum(['ok', 'ko'])),
          }),
        },
      },
    },
    503: problemResponse('Une dépendance ne répond pas'),
  },
});

/** Liveness (process up) and readiness (database, and Redis when configured). */
export function healthRoutes(deps: Deps): OpenAPIHono<Env> {
  const app = router();
  app.openapi(liveness, (c) => c.json({ status: 'ok' as const }, 200));
  app.openapi(readiness, async (c) => {
    const { ready, checks } = await checkReadiness(deps);
    if (!ready) throw new AppError('NOT_READY', 'Une dépendance ne répond pas.', { checks });
    return c.json({ status: 'ready' as const, checks }, 200);
  });
  return app;
}
