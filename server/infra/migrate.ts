import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Sql } from './db.ts';

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../db/migrations');

export type Migration = { version: string; name: string; sql: string; checksum: string };

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

// Any constant shared by every node: the advisory lock serialises concurrent migrators.
const LOCK_KEY = 7_204_310_411;

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{5}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (file) => {
      const sql = await readFile(path.join(dir, file), 'utf8');
      return {
        version: file.slice(0, 5),
        name: file,
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    }),
  );
}

/**
 * Applies pending migrations in one transaction under an advisory lock, so two nodes starting
 * together neither race nor half-apply. An applied migration that was modified or deleted stops
 * start-up: the schema would no longer be what the code expects.
 */
export async function migrate(sql: Sql, migrations?: Migration[]): Promise<{ applied: string[] }> {
  const all = migrations ?? (await readMigrations());
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${LOCK_KEY})`;
    await tx`
      create table if not exists schema_migrations (
        version text primary key,
        name text not null,
        checksum text not null,
        applied_at timestamptz not null default now()
      )`;
    const done = await tx<{ version: string; name: string; checksum: string }[]>`
      select version, name, checksum from schema_migrations order by version`;
    const known = new Map(all.map((m) => [m.version, m]));
    for (const row of done) {
      const m = known.get(row.version);
      if (!m) throw new MigrationError(`La migration appliquée ${row.name} est absente de db/migrations.`);
      if (m.checksum !== row.checksum) {
        throw new MigrationError(`La migration appliquée ${row.name} a été modifiée depuis son application.`);
      }
    }
    const appliedVersions = new Set(done.map((r) => r.version));
    const applied: string[] = [];
    for (const m of all) {
      if (appliedVersions.has(m.version)) continue;
      await tx.unsafe(m.sql);
      await tx`insert into schema_migrations (version, name, checksum) values (${m.version}, ${m.name}, ${m.checksum})`;
      applied.push(m.name);
    }
    return { applied };
  });
}
