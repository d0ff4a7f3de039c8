import { createHash } from 'node:crypto';
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

type ScriptCall = { keys: string[]; arguments: string[] };

/**
 * A Lua script run by its SHA1 (EVALSHA: the text crosses the network once, not with every call),
 * sent whole by EVAL when this Redis does not know it yet (started since, or its cache flushed).
 */
export function luaScript(source: string): (redis: Redis, call: ScriptCall) => Promise<unknown> {
  const sha = createHash('sha1').update(source).digest('hex');
  return async (redis, call) => {
    try {
      return await redis.evalSha(sha, call);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return redis.eval(source, call);
    }
  };
}

/**
 * The client as a library that calls `eval(script, call)` with the same script each time sees it,
 * its scripts run by SHA1 (see luaScript).
 */
export function evalBySha(redis: Redis): Redis {
  const scripts = new Map<string, ReturnType<typeof luaScript>>();
  const run = (source: string, call: ScriptCall) => {
    let script = scripts.get(source);
    if (!script) {
      script = luaScript(source);
      scripts.set(source, script);
    }
    return script(redis, call);
  };
  return new Proxy(redis, {
    get(target, prop) {
      if (prop === 'eval' || prop === 'EVAL') return run;
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
