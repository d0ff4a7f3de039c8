import type postgres from 'postgres';
import driver from './postgres-driver.ts';

export type Sql = postgres.Sql<Record<string, unknown>>;
export type Tx = postgres.TransactionSql<Record<string, unknown>>;
/** Either the pool or a transaction handle: store functions take one as their first argument. */
export type Db = Sql | Tx;

export function connect(url: string, options: { max?: number; appName?: string } = {}): Sql {
  return driver(url, {
    max: options.max ?? 10,
    // Columns snake_case → camelCase both ways, as driver.camel; JSON values through our own
    // walk (see camelJson) instead of the driver's, which rebuilds every object key by key.
    transform: { column: driver.camel.column, value: { from: camelJson } },
    onnotice: () => {},
    connection: { application_name: options.appName ?? 'guichet' },
    // A database that does not answer must not hold requests for the driver's default 30 s:
    // they fail fast (503) and the pool reconnects by itself when the database is back.
    connect_timeout: 5,
    // The driver's default backoff between reconnections grows to 20 s: after an outage of half
    // a minute, requests would wait that long and the node would stay unready that long after
    // the database is back. Capped at 1 s, recovery follows the database within a second.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
    // Times are compared in SQL as timestamptz; JS receives Date objects.
  }) as unknown as Sql;
}

const JSON_OIDS = new Set([114, 3802]); // json, jsonb
const camelDeep = (x: unknown): unknown => {
  if (x === null || typeof x !== 'object') return x;
  if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) x[i] = camelDeep(x[i]);
    return x;
  }
  const out: Record<string, unknown> = {};
  for (const key in x) out[driver.toCamel(key)] = camelDeep((x as Record<string, unknown>)[key]);
  return out;
};

/**
 * The keys of JSON values in camelCase, as the driver's own camel transform gives them. Why our
 * own: the driver's rebuilds each object with one `Object.assign` per key, and it was the largest
 * single cost of the agenda route (150 rdvs, each with its usager as JSON) under the bench.
 */
export function camelJson(value: unknown, column: { type: number }): unknown {
  return value !== null && typeof value === 'object' && JSON_OIDS.has(column.type) ? camelDeep(value) : value;
}

// Errors that mean "the database is not there right now" rather than "this request is wrong".
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down)
  '08000',
  '08001',
  '08003',
  '08006',
]);

/** Whether an error says the database is unreachable (answer 503 and retry later), not a bug. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && UNAVAILABLE_CODES.has(code);
}

/** Connection URL to another database of the same server (for creating/dropping test databases). */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * The results of statements pipelined on one connection, or the error of the first one that
 * failed in statement order: those behind it fail only because it did (25P02, transaction
 * aborted), and may settle first.
 */
export async function inOrder<T extends readonly unknown[]>(
  pending: T,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(pending);
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as never;
}
