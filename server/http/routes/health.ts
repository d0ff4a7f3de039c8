import { Hono } from 'hono';
import type { Deps } from '../../app/deps.ts';
import { problem } from '../problem.ts';

/** Liveness (process up) and readiness (database, and Redis when configured). */
export function healthRoutes(deps: Deps): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const checks: Record<string, 'ok' | 'ko'> = {};
    checks.database = await deps.sql`select 1`.then(
      () => 'ok' as const,
      () => 'ko' as const,
    );
    if (deps.redis) {
      checks.redis = await deps.redis.ping().then(
        () => 'ok' as const,
        () => 'ko' as const,
      );
    }
    const ready = Object.values(checks).every((v) => v === 'ok');
    if (!ready) return problem(c, 'NOT_READY', 'Une dépendance ne répond pas.', { checks });
    return c.json({ status: 'ready', checks });
  });
  return app;
}
