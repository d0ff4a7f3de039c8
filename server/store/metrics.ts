import type { Db } from '../infra/db.ts';

export async function outboxDepth(db: Db): Promise<number> {
  const [row] = await db<{ n: number }[]>`
    select count(*)::int as n from outbox where sent_at is null and cancelled_at is null and failed_at is null and run_at <= now()`;
  return row!.n;
}

export async function outboxFailed(db: Db): Promise<number> {
  const [row] = await db<{ n: number }[]>`select count(*)::int as n from outbox where failed_at is not null`;
  return row!.n;
}

/** This node's connections (by their application_name), open and running a query. */
export async function nodeConnections(
  db: Db,
  applicationName: string,
): Promise<{ open: number; active: number }> {
  const [row] = await db<{ open: number; active: number }[]>`
    select count(*)::int as open, count(*) filter (where state = 'active' and pid <> pg_backend_pid())::int as active
    from pg_stat_activity where application_name = ${applicationName}`;
  return row!;
}
