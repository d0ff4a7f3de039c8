import type { Captcha } from '../infra/captcha.ts';
import type { Clock } from '../infra/clock.ts';
import type { Config } from '../infra/config.ts';
import type { Sql } from '../infra/db.ts';
import type { HoldStore } from '../infra/holds.ts';
import type { Logger } from '../infra/logger.ts';
import type { Mailer } from '../infra/mailer.ts';
import type { Metrics } from '../infra/metrics.ts';
import type { RateLimit } from '../infra/rate-limit.ts';
import type { Redis } from '../infra/redis.ts';
import type { EventPublisher } from '../realtime/events.ts';
import type { Links } from './links.ts';
import type { OccupationCache } from './occupation-cache.ts';
import type { OfferCache } from './offer-cache.ts';

/** What the use cases need from the outside world; built once by server/boot.ts. */
export type Deps = {
  config: Config;
  /** Secrets resolved at boot: the operator's, or generated once and kept in the database. */
  secrets: { signing: string };
  /** The addresses the product hands out (built by server/http, which owns the paths). */
  links: Links;
  sql: Sql;
  redis: Redis | undefined;
  log: Logger;
  clock: Clock;
  holds: HoldStore;
  events: EventPublisher;
  /** Services' offers kept in this node, dropped on `config-changed` (app/offer-cache.ts). */
  offers: OfferCache;
  /** Public listings' rdvs and fermetures kept a moment, dropped on every change (app/occupation-cache.ts). */
  occupations?: OccupationCache;
  captcha: Captcha;
  limits: {
    search: RateLimit;
    slots: RateLimit;
    holds: RateLimit;
    bookings: RateLimit;
    /** Sign-in attempts per address, and failed sign-ins per login. */
    login: RateLimit;
    loginFailures: RateLimit;
    /** An agent's lookups of another office's rdv by its code and the usager's name. */
    rdvLookups: RateLimit;
  };
  /** Email transport; only the outbox worker (app/outbox-worker.ts) sends. */
  mailer: Mailer;
  /** This node's Prometheus metrics. */
  metrics: Metrics;
};
