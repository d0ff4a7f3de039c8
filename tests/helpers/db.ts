import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { connect, type Sql, withDatabase } from '../../server/infra/db.ts';

/** The run's shared database: migrated, referential loaded. */
export function sharedDatabase(max = 10): Sql {
  return connect(inject('databaseUrl'), { max });
}

/** An empty database of its own, for tests that need a blank slate (migrations). */
export async function scratchDatabase(): Promise<{ url: string; sql: Sql; drop(): Promise<void> }> {
  const admin = connect(inject('adminUrl'), { max: 1 });
  const name = `guichet_scratch_${randomBytes(5).toString('hex')}`;
  await admin.unsafe(`create database ${name}`);
  const url = withDatabase(inject('adminUrl'), name);
  const sql = connect(url, { max: 4 });
  return {
    url,
    sql,
    async drop() {
      await sql.end();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
