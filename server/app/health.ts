import { pingDatabase } from '../store/health.ts';
import type { Deps } from './deps.ts';

export type Readiness = {
  /** The node can serve: its database answers. */
  ready: boolean;
  /** Ready, but Redis does not answer: holds fall back to this node's memory, events stay on it. */
  degraded: boolean;
  checks: Record<string, 'ok' | 'ko'>;
};

/**
 * Ready when the database answers. Redis, when configured, is reported but does not make a node
 * unready: without it the node still books (holds in memory, PostgreSQL the guard), and since
 * every node shares the same Redis, failing readiness on it would take them all out at once.
 */
export async function checkReadiness(deps: Pick<Deps, 'sql' | 'redis'>): Promise<Readiness> {
  const outcome = (p: Promise<unknown>) =>
    p.then(
      () => 'ok' as const,
      () => 'ko' as const,
    );
  const [database, redis] = await Promise.all([
    outcome(pingDatabase(deps.sql)),
    deps.redis ? outcome(deps.redis.ping()) : undefined,
  ]);
  const checks: Readiness['checks'] = { database };
  if (redis) checks.redis = redis;
  return { ready: database === 'ok', degraded: redis === 'ko', checks };
}
