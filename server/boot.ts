import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import path from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { seedDemo } from '../db/seed/load-demo.ts';
import { seedReferential } from '../db/seed/load-referential.ts';
import { agentOfSession, agentOfToken, type SignedInAgent } from './app/auth.ts';
import type { Deps } from './app/deps.ts';
import { announceFreed } from './app/holds.ts';
import { createOccupationCache } from './app/occupation-cache.ts';
import { createOfferCache } from './app/offer-cache.ts';
import { runOutbox, startOutboxWorker } from './app/outbox-worker.ts';
import { runRetention, startJobs } from './app/retention.ts';
import { authorize } from './domain/habilitations.ts';
import { fromOurPages, readSessionToken } from './http/agent-session.ts';
import { createApi } from './http/app.ts';
import { createLinks } from './http/links.ts';
import type { Env } from './http/router.ts';
import { createCaptcha } from './infra/captcha.ts';
import { type Clock, systemClock } from './infra/clock.ts';
import type { Config } from './infra/config.ts';
import { connect } from './infra/db.ts';
import { type EmbeddedDb, startEmbeddedPostgres } from './infra/embedded-db.ts';
import { memoryHolds, redisHolds, resilientHolds } from './infra/holds.ts';
import type { Logger } from './infra/logger.ts';
import { createMailer } from './infra/mailer.ts';
import { createMetrics } from './infra/metrics.ts';
import { migrate } from './infra/migrate.ts';
import { createRateLimit } from './infra/rate-limit.ts';
import { connectRedis, type Redis } from './infra/redis.ts';
import { type AgentIdentity, createRealtime, type Realtime } from './realtime/server.ts';
import { keepLocalMail } from './store/local-mails.ts';
import { nodeConnections, outboxDepth, outboxFailed } from './store/metrics.ts';
import type { RetentionCounts } from './store/retention.ts';
import { ensureSecret } from './store/secrets.ts';

export type Guichet = {
  deps: Deps;
  api: OpenAPIHono<Env>;
  realtime: Realtime;
  /** Announces the holds that expired since the last sweep (runs every HOLD_SWEEP_MS). */
  sweepHolds(): Promise<number>;
  /** Drops this node's agent sockets whose session has expired (runs every HOLD_SWEEP_MS too). */
  sweepSessions(): Promise<number>;
  /** Sends the due emails of the outbox once (runs every MAIL_POLL_MS); how many went out. */
  runOutbox(): Promise<number>;
  /** Anonymises and purges once (the nightly job's body). */
  runRetention(): Promise<RetentionCounts>;
  close(): Promise<void>;
};

/** The key under which the running API is shared with SvelteKit's server hooks (same process). */
export const API_KEY = Symbol.for('guichet.api');

// Expired holds are announced within this delay (the issue asks for 2 s at most), and the
// sockets of expired sessions dropped.
const HOLD_SWEEP_MS = 500;

/** What the /agent namespace needs of a signed-in agent: his session, and the agendas he may read. */
const identityOf = (agent: SignedInAgent): AgentIdentity => ({
  sessionId: agent.sessionId,
  agentId: agent.context.agentId,
  expiresAt: agent.expiresAt,
  mustChangePassword: agent.mustChangePassword,
  mayFollow: (code) =>
    authorize(agent.context, 'agenda.read', { code, bookableByAgentsExterieurs: false }).allowed,
});

/**
 * Composition root: database (embedded unless DATABASE_URL), migrations, referential, demo data,
 * Redis (optional), holds, realtime and API. Used by server/main.ts, the dev server and the tests.
 */
export async function boot(
  config: Config,
  log: Logger,
  options: { clock?: Clock; sweep?: boolean } = {},
): Promise<Guichet> {
  const clock = options.clock ?? systemClock;
  let embedded: EmbeddedDb | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({
      dataDir: path.join(config.dataDir, 'pg'),
      port: config.embeddedPgPort,
      database: 'guichet',
      log,
    });
    databaseUrl = embedded.url;
    log.info({ port: config.embeddedPgPort }, 'PostgreSQL embarqué démarré');
  }
  // Each node names its connections, so that /metrics can count its own in pg_stat_activity.
  const applicationName = `guichet:${hostname()}:${process.pid}`.slice(0, 63);
  const sql = connect(databaseUrl, { max: config.databasePoolMax, appName: applicationName });
  const metrics = createMetrics({
    outboxDepth: () => outboxDepth(sql),
    outboxFailed: () => outboxFailed(sql),
    dbConnections: async () => ({
      ...(await nodeConnections(sql, applicationName)),
      max: config.databasePoolMax,
    }),
  });
  const { applied } = await migrate(sql);
  if (applied.length) log.info({ applied }, 'migrations appliquées');
  const ref = await seedReferential(sql);
  if (!ref.skipped) log.info({ communes: ref.communes, services: ref.services }, 'référentiel chargé');
  if (config.demo) {
    const demo = await seedDemo(sql, clock.now(), { production: config.production });
    if (!demo.skipped)
      log.info({ agents: demo.agents, rdvs: demo.rdvs }, 'données de démonstration chargées');
  }

  // No secret in the source: the operator's, else one generated on the very first start and kept
  // in the database, where every node and every restart finds the same one.
  const signing =
    config.signingSecret ?? (await ensureSecret(sql, 'signing', randomBytes(32).toString('hex')));

  let redis: Redis | undefined;
  if (config.redisUrl) {
    redis = await connectRedis(config.redisUrl, log);
    log.info(
      'Redis connecté : réservations temporaires, limites de débit et événements partagés entre nœuds',
    );
  } else {
    log.info('Sans REDIS_URL : nœud unique, réservations temporaires et limites de débit en mémoire');
  }
  // Redis keys carry the database's name: deployments or test runs sharing a Redis stay apart.
  const namespace = `guichet:${new URL(databaseUrl).pathname.slice(1) || 'guichet'}`;
  const holds = redis
    ? resilientHolds(redisHolds(redis, clock, namespace), memoryHolds(clock), log)
    : memoryHolds(clock);

  const offers = createOfferCache();
  const ourPages = fromOurPages(config);
  const occupations = createOccupationCache();
  const realtime = createRealtime({
    redis,
    onPeerConfigChanged: (code) => offers.invalidate(code),
    onPeerOccupationChanged: (code) => occupations.changed(code),
    onRedisBack: () => {
      offers.clear();
      occupations.clear();
    },
    log,
    metrics,
    streamName: `${namespace}:socket.io`,
    agentAccess: {
      byCookie: async (cookieHeader) => {
        const agent = await agentOfToken({ sql, clock }, readSessionToken(cookieHeader));
        return agent && identityOf(agent);
      },
      bySession: async (sessionId) => {
        const agent = await agentOfSession({ sql, clock }, sessionId);
        return agent && identityOf(agent);
      },
      fromOurPages: (handshake) =>
        ourPages({
          origin: handshake.headers.origin,
          fetchSite: [handshake.headers['sec-fetch-site']].flat()[0],
          reached: `${handshake.secure ? 'https' : 'http'}://${handshake.headers.host}`,
        }),
    },
  });
  const captcha = createCaptcha({
    secret: signing,
    cost: config.captcha.cost,
    redis,
    namespace,
  });
  const r = config.rateLimits;
  const limit = (name: string, points: number, durationSeconds: number) =>
    createRateLimit({ name, points, durationSeconds, redis, namespace });
  const limits = {
    search: limit('search', r.searchPerMinute, 60),
    slots: limit('slots', r.slotsPerMinute, 60),
    holds: limit('holds', r.holdsPerMinute, 60),
    bookings: limit('bookings', r.bookingsPerHour, 3600),
    login: limit('login', r.loginsPerAddress, 900),
    loginFailures: limit('login-failures', r.loginFailures, 900),
    rdvLookups: limit('rdv-lookups', r.rdvLookupsPerHour, 3600),
  };
  const mailer = createMailer(config, { keepLocal: (mail) => keepLocalMail(sql, mail), clock, log });
  const deps: Deps = {
    config,
    secrets: { signing },
    links: createLinks(config, signing),
    sql,
    redis,
    log,
    clock,
    holds,
    events: {
      ...realtime.publisher,
      // This node's copies go first (before any browser hears of it); the other nodes' through Redis.
      slotTaken: (e) => {
        occupations.changed(e.serviceCode);
        realtime.publisher.slotTaken(e);
      },
      slotFreed: (e) => {
        occupations.changed(e.serviceCode);
        realtime.publisher.slotFreed(e);
      },
      configChanged: (e) => {
        offers.invalidate(e.serviceCode);
        occupations.changed(e.serviceCode);
        return realtime.publisher.configChanged(e);
      },
    },
    offers,
    occupations,
    captcha,
    limits,
    mailer,
    metrics,
  };
  const api = createApi(deps);
  (globalThis as Record<symbol, unknown>)[API_KEY] = api.fetch;

  async function sweepHolds(): Promise<number> {
    const expired = await holds.sweepExpired();
    if (expired.length) deps.metrics.holds.inc({ event: 'expiree' }, expired.length);
    for (const h of expired) await announceFreed(deps, h);
    return expired.length;
  }
  const sweepSessions = () => realtime.sweepExpiredSessions(clock.now());
  let sweeping = false;
  const sweeper =
    options.sweep === false
      ? undefined
      : setInterval(() => {
          sweepSessions().catch((err) =>
            log.warn({ err: (err as Error).message }, 'fin des sockets des sessions expirées en échec'),
          );
          if (sweeping) return;
          sweeping = true;
          sweepHolds()
            .catch((err) =>
              log.warn({ err: (err as Error).message }, 'balayage des réservations expirées en échec'),
            )
            .finally(() => {
              sweeping = false;
            });
        }, HOLD_SWEEP_MS);
  sweeper?.unref();
  // Like the sweeper: tests turn it off and run the outbox by hand after moving the clock.
  const outboxWorker = options.sweep === false ? undefined : startOutboxWorker(deps, config.mailPollMs);
  const jobs = options.sweep === false ? undefined : startJobs(deps);

  return {
    deps,
    api,
    realtime,
    sweepHolds,
    sweepSessions,
    runOutbox: () => runOutbox(deps),
    runRetention: () => runRetention(deps),
    async close() {
      if (sweeper) clearInterval(sweeper);
      await outboxWorker?.stop();
      await jobs?.stop();
      await mailer.close();
      await realtime.close();
      await redis?.close().catch(() => {});
      await sql.end({ timeout: 5 });
      await embedded?.stop();
    },
  };
}
