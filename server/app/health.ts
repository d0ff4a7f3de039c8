import { pingDatabase } from '../store/health.ts';
import type { Deps } from './deps.ts';

export type Readiness = { ready: boolean; checks: Record<string, 'ok' | 'ko'> };

/** Ready when the database answers, and Redis too when one is configured. */
export async function checkReadiness(deps: Pick<Deps, 'sql' | 'redis'>): Promise<Readiness> {
  const outcome = (p: Promise<unknown>) =>
    p.then(
      () => 'ok' as const,
      () => 'ko' as const,
    );
  const checks: Readiness['checks'] = { database: await outcome(pingDatabase(deps.sql)) };
  if (deps.redis) checks.redis = await outcome(deps.redis.ping());
  return { ready: Object.values(checks).every((v) => v === 'ok'), checks };
}
