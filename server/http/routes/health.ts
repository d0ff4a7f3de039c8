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
  summary:
    'Prêt à servir : la base de données répond (Redis, s’il est configuré, est signalé : sans lui le nœud sert en mode dégradé)',
  responses: {
    200: {
      description: 'Prêt',
      content: {
        'application/json': {
          schema: z.object({
            status: z.enum(['ready', 'degraded']),
            checks: z.record(z.string(), z.enum(['ok', 'ko'])),
          }),
        },
      },
    },
    503: problemResponse('La base de données ne répond pas'),
  },
});

/**
 * Liveness (process up: what a load balancer checks, see deploy/haproxy.cfg) and readiness (the
 * database answers; Redis reported, never blocking).
 */
export function healthRoutes(deps: Deps): OpenAPIHono<Env> {
  const app = router();
  app.openapi(liveness, (c) => c.json({ status: 'ok' as const }, 200));
  app.openapi(readiness, async (c) => {
    const { ready, degraded, checks } = await checkReadiness(deps);
    if (!ready) throw new AppError('NOT_READY', 'La base de données ne répond pas.', { checks });
    return c.json({ status: degraded ? ('degraded' as const) : ('ready' as const), checks }, 200);
  });
  return app;
}
