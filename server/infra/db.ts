import postgres from 'postgres';

export type Sql = postgres.Sql<Record<string, unknown>>;
export type Tx = postgres.TransactionSql<Record<string, unknown>>;
/** Either the pool or a transaction handle: store functions take one as their first argument. */
export type Db = Sql | Tx;

export function connect(url: string, options: { max?: number; appName?: string } = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    transform: postgres.camel,
    onnotice: () => {},
    connection: { application_name: options.appName ?? 'guichet' },
    // Times are compared in SQL as timestamptz; JS receives Date objects.
  }) as unknown as Sql;
}

/** Connection URL to another database of the same server (for creating/dropping test databases). */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
