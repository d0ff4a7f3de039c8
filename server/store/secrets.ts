import type { Db } from '../infra/db.ts';

/**
 * The secret named `name`: the one already kept, or `candidate` if there was none. Nodes starting
 * together race on the insert; every one of them reads back the single winner.
 */
export async function ensureSecret(db: Db, name: string, candidate: string): Promise<string> {
  await db`insert into app_secrets (name, value) values (${name}, ${candidate}) on conflict (name) do nothing`;
  const [row] = await db<{ value: string }[]>`select value from app_secrets where name = ${name}`;
  return row!.value;
}
