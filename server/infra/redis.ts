import { createClient } from 'redis';
import type { Logger } from './logger.ts';

function buildClient(url: string) {
  return createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 2_000,
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2_000),
    },
  });
}

export type Redis = ReturnType<typeof buildClient>;

/**
 * A Redis client that never blocks the product: commands fail fast while Redis is down
 * (no offline queue), the client keeps reconnecting in the background, and state changes are
 * logged once each so an outage is visible without flooding the logs.
 */
export async function connectRedis(url: string, log: Logger): Promise<Redis> {
  const client = buildClient(url);
  let down = false;
  client.on('error', (err: Error) => {
    if (!down) log.warn({ err: err.message }, 'Redis indisponible : fonctionnement dégradé');
    down = true;
  });
  client.on('ready', () => {
    if (down) log.info('Redis de nouveau disponible');
    down = false;
  });
  await client.connect();
  return client;
}
