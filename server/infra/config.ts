import { z } from 'zod';

/**
 * Configuration, parsed once from the environment. Every variable is documented in the README
 * table; a bad value stops start-up with a message that names the variable.
 */
const booleanish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'doit commencer par postgres:// ou postgresql://')
    .optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'doit commencer par redis:// ou rediss://')
    .optional(),
  DATA_DIR: z.string().min(1).default('./.data'),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  DEMO: booleanish.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOLD_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(600),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  SIGNING_SECRET: z.string().min(32, 'au moins 32 caractères').optional(),
  // A number of trusted proxy hops; `true` and `false` stay accepted as 1 and 0.
  TRUST_PROXY: z
    .union([
      z.enum(['true', 'yes']).transform(() => 1),
      z.enum(['false', 'no']).transform(() => 0),
      z.coerce.number().int().min(0).max(10),
    ])
    .default(0),
  CAPTCHA_REQUIRED: booleanish.default(true),
  CAPTCHA_COST: z.coerce.number().int().min(1).max(100_000).default(500),
  RATE_LIMIT_SEARCH_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  RATE_LIMIT_SLOTS_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  RATE_LIMIT_HOLDS_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  RATE_LIMIT_BOOKINGS_PER_HOUR: z.coerce.number().int().min(1).default(10),
  RATE_LIMIT_LOGINS_PER_ADDRESS: z.coerce.number().int().min(1).default(30),
  RATE_LIMIT_LOGIN_FAILURES: z.coerce.number().int().min(1).default(5),
  RATE_LIMIT_RDV_LOOKUPS_PER_HOUR: z.coerce.number().int().min(1).default(60),
  CSV_EXPORT_STALL_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  RESEND_API_KEY: z.string().min(1).optional(),
  RESEND_API_URL: z.url().default('https://api.resend.com'),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'doit commencer par smtp:// ou smtps://')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Guichet <ne-pas-repondre@guichet.localhost>'),
  MAIL_POLL_MS: z.coerce.number().int().min(100).max(3_600_000).default(5_000),
  MAIL_LEASE_SECONDS: z.coerce.number().int().min(1).max(3_600).default(300),
  RETENTION_MONTHS: z.coerce.number().int().min(1).max(120).default(12),
  METRICS_TOKEN: z.string().min(16, 'au moins 16 caractères').optional(),
});

export type Config = {
  nodeEnv: 'development' | 'production' | 'test';
  production: boolean;
  host: string;
  port: number;
  publicUrl: string | undefined;
  databaseUrl: string | undefined;
  databasePoolMax: number;
  redisUrl: string | undefined;
  dataDir: string;
  embeddedPgPort: number;
  /** Demo data (agents, rdvs) seeded on start: default on with the embedded database only. */
  demo: boolean;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  holdTtlSeconds: number;
  shutdownTimeoutMs: number;
  /**
   * HMAC key of signed links and captcha challenges, when the operator gives one; otherwise boot
   * generates a random one on first start and keeps it in the database (see store/secrets.ts).
   */
  signingSecret: string | undefined;
  /**
   * Trusted proxy hops in front of the node: the client address is the one the nearest trusted
   * proxy appended to X-Forwarded-For (the N-th from the right), never one the client wrote.
   */
  trustProxy: number;
  captcha: { required: boolean; cost: number };
  rateLimits: {
    searchPerMinute: number;
    slotsPerMinute: number;
    holdsPerMinute: number;
    bookingsPerHour: number;
    /** Sign-in attempts per client address, per 15 minutes. */
    loginsPerAddress: number;
    /** Failed sign-ins per login, per 15 minutes, before that login waits. */
    loginFailures: number;
    /** Rdvs of other offices looked up by code and name, per agent and per hour. */
    rdvLookupsPerHour: number;
  };
  /**
   * A CSV export whose client stops reading for this long is ended: its cursor holds one of the
   * pool's connections for as long as the export lasts.
   */
  csvExportStallSeconds: number;
  /** Email transport: Resend if its key is set, else SMTP if its URL is set, else a local table. */
  resendApiKey: string | undefined;
  resendApiUrl: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** How often each node looks for due emails in the outbox. */
  mailPollMs: number;
  /** How long a node keeps an email it is sending; a node that dies releases it after this. */
  mailLeaseSeconds: number;
  /** Personal data of rdvs older than this is anonymised by the nightly job. */
  retentionMonths: number;
  /** Bearer token of GET /metrics; without it the route does not exist (404). */
  metricsToken: string | undefined;
};

export class ConfigError extends Error {
  readonly issues: string[];
  constructor(issues: string[]) {
    super(`Configuration invalide :\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset" (a common shell idiom: FOO= npm start).
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0]);
        // A mistyped URL may hold a password: never echo secrets.
        const shown = /URL|KEY|SECRET|PASSWORD/.test(name) ? '[masquée]' : JSON.stringify(cleaned[name]);
        return `${issue.path.join('.')} : ${issue.message} (valeur reçue : ${shown})`;
      }),
    );
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const demo = e.DEMO ?? (!e.DATABASE_URL && !production);
  if (demo && production) {
    throw new ConfigError(['DEMO : les données de démonstration sont interdites quand NODE_ENV=production']);
  }
  return {
    nodeEnv: e.NODE_ENV,
    production,
    host: e.HOST,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL,
    databaseUrl: e.DATABASE_URL,
    databasePoolMax: e.DATABASE_POOL_MAX,
    redisUrl: e.REDIS_URL,
    dataDir: e.DATA_DIR,
    embeddedPgPort: e.EMBEDDED_PG_PORT,
    demo,
    logLevel: e.LOG_LEVEL,
    holdTtlSeconds: e.HOLD_TTL_SECONDS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    signingSecret: e.SIGNING_SECRET,
    trustProxy: e.TRUST_PROXY,
    captcha: { required: e.CAPTCHA_REQUIRED, cost: e.CAPTCHA_COST },
    rateLimits: {
      searchPerMinute: e.RATE_LIMIT_SEARCH_PER_MINUTE,
      slotsPerMinute: e.RATE_LIMIT_SLOTS_PER_MINUTE,
      holdsPerMinute: e.RATE_LIMIT_HOLDS_PER_MINUTE,
      bookingsPerHour: e.RATE_LIMIT_BOOKINGS_PER_HOUR,
      loginsPerAddress: e.RATE_LIMIT_LOGINS_PER_ADDRESS,
      loginFailures: e.RATE_LIMIT_LOGIN_FAILURES,
      rdvLookupsPerHour: e.RATE_LIMIT_RDV_LOOKUPS_PER_HOUR,
    },
    csvExportStallSeconds: e.CSV_EXPORT_STALL_SECONDS,
    resendApiKey: e.RESEND_API_KEY,
    resendApiUrl: e.RESEND_API_URL,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    mailPollMs: e.MAIL_POLL_MS,
    mailLeaseSeconds: e.MAIL_LEASE_SECONDS,
    retentionMonths: e.RETENTION_MONTHS,
    metricsToken: e.METRICS_TOKEN,
  };
}
