import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { inject } from 'vitest';
import { boot, type Guichet } from '../../server/boot.ts';
import type { Clock } from '../../server/infra/clock.ts';
import { loadConfig } from '../../server/infra/config.ts';
import { createLogger, type Logger } from '../../server/infra/logger.ts';

export type TestServer = {
  url: string;
  guichet: Guichet;
  api: Guichet['api'];
  deps: Guichet['deps'];
  close(): Promise<void>;
};

/**
 * The real product (API + Socket.IO) over the run's database, on a real HTTP port. Only the clock
 * may be injected; holds are swept by the test (`guichet.sweepHolds()`) after it moves time.
 */
export async function startTestServer(
  options: {
    clock?: Clock;
    redis?: boolean;
    redisUrl?: string;
    env?: Record<string, string>;
    /** Where the server logs (silent unless TEST_LOG_LEVEL=debug). */
    log?: Logger;
  } = {},
): Promise<TestServer> {
  const redisUrl = options.redisUrl ?? (options.redis ? inject('redisUrl') : '');
  const config = loadConfig({
    NODE_ENV: 'test',
    DEMO: 'false',
    DATABASE_URL: inject('databaseUrl'),
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    DATABASE_POOL_MAX: '20',
    // Suites that are not about abuse protection book freely; abuse.test.ts turns these back on.
    CAPTCHA_REQUIRED: 'false',
    RATE_LIMIT_SEARCH_PER_MINUTE: '100000',
    RATE_LIMIT_SLOTS_PER_MINUTE: '100000',
    RATE_LIMIT_HOLDS_PER_MINUTE: '100000',
    RATE_LIMIT_BOOKINGS_PER_HOUR: '100000',
    ...options.env,
  });
  const guichet = await boot(
    config,
    options.log ?? createLogger(process.env.TEST_LOG_LEVEL === 'debug' ? 'debug' : 'silent'),
    {
      clock: options.clock,
      sweep: false,
    },
  );
  const server = createServer(getRequestListener(guichet.api.fetch));
  guichet.realtime.attach(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    guichet,
    api: guichet.api,
    deps: guichet.deps,
    async close() {
      await guichet.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
