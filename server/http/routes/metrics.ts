import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { Deps } from '../../app/deps.ts';
import { problem } from '../problem.ts';

/**
 * GET /metrics in Prometheus' text format. Never public: without METRICS_TOKEN the route does not
 * exist (404, like any unknown path); with it, only `Authorization: Bearer <token>` reads it.
 */
export function metricsRoutes(deps: Pick<Deps, 'config' | 'metrics'>): Hono {
  const app = new Hono();
  app.get('/metrics', async (c) => {
    const token = deps.config.metricsToken;
    if (!token) return problem(c, 'NOT_FOUND', `Aucune ressource à l’adresse ${c.req.path}.`);
    const given = Buffer.from(c.req.header('authorization')?.replace(/^Bearer /, '') ?? '');
    const expected = Buffer.from(token);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      c.header('WWW-Authenticate', 'Bearer');
      return problem(c, 'UNAUTHENTICATED', 'Jeton des métriques manquant ou invalide.');
    }
    c.header('cache-control', 'no-store');
    return c.body(await deps.metrics.registry.metrics(), 200, {
      'content-type': deps.metrics.registry.contentType,
    });
  });
  return app;
}
