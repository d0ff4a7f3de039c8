import type { Db } from '../infra/db.ts';

export async function pingDatabase(db: Db): Promise<void> {
  await db`select 1`;
}
