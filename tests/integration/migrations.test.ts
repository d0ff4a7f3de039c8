import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MigrationError, migrate, readMigrations } from '../../server/infra/migrate.ts';
import { scratchDatabase } from '../helpers/db.ts';

const root = path.resolve(import.meta.dirname, '../..');
let drops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(drops.map((d) => d()));
  drops = [];
});

async function blank() {
  const db = await scratchDatabase();
  drops.push(db.drop);
  return db;
}

function runMigrateProcess(databaseUrl: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--disable-warning=ExperimentalWarning', 'server/cli/db.ts', 'migrate'],
      {
        cwd: root,
        env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
      },
    );
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('migrations', () => {
  it('apply on an empty database, then are idempotent', async () => {
    const { sql } = await blank();
    const all = await readMigrations();
    expect(all.length).toBeGreaterThan(0);
    const first = await migrate(sql);
    expect(first.applied).toEqual(all.map((m) => m.name));
    const second = await migrate(sql);
    expect(second.applied).toEqual([]);
    const rows = await sql`select version from schema_migrations order by version`;
    expect(rows.map((r) => r.version)).toEqual(all.map((m) => m.version));
    const [t] =
      await sql`select count(*)::int as n from information_schema.tables where table_name in ('rdvs','services','guichets','plages','outbox','audit_log')`;
    expect(t?.n).toBe(6);
  });

  it('refuse to start when an applied migration was modified', async () => {
    const { sql } = await blank();
    const all = await readMigrations();
    await migrate(sql, all);
    const tampered = all.map((m, i) => (i === 0 ? { ...m, checksum: 'autre' } : m));
    await expect(migrate(sql, tampered)).rejects.toBeInstanceOf(MigrationError);
  });

  it('refuse to start when an applied migration is missing', async () => {
    const { sql } = await blank();
    const all = await readMigrations();
    await migrate(sql, all);
    await expect(migrate(sql, all.slice(1))).rejects.toThrow(/absente/);
  });

  it('two processes migrating the same database at once both succeed', async () => {
    const { url, sql } = await blank();
    const [a, b] = await Promise.all([runMigrateProcess(url), runMigrateProcess(url)]);
    expect(a.code, a.output).toBe(0);
    expect(b.code, b.output).toBe(0);
    const all = await readMigrations();
    const [row] = await sql`select count(*)::int as n from schema_migrations`;
    expect(row?.n).toBe(all.length);
  });
});
