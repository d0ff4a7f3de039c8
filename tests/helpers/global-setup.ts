import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { seedReferential } from '../../db/seed/load-referential.ts';
import { connect, withDatabase } from '../../server/infra/db.ts';
import { type EmbeddedDb, startEmbeddedPostgres } from '../../server/infra/embedded-db.ts';
import { createLogger } from '../../server/infra/logger.ts';
import { migrate } from '../../server/infra/migrate.ts';
import { checkRedis } from './redis.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A fresh database of this run, migrated, with the referential loaded. */
    databaseUrl: string;
    /** The same server's maintenance database, to create scratch databases. */
    adminUrl: string;
    /** Redis for the suites that need it ('' when none is reachable outside CI). */
    redisUrl: string;
  }
}

const ci = process.env.CI === 'true' || process.env.CI === '1';

/**
 * Every run gets its own database: on the server of TEST_DATABASE_URL / DATABASE_URL when set,
 * else on an embedded PostgreSQL started for the run.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const log = createLogger('warn');
  const serverUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  let embedded: EmbeddedDb | undefined;
  let tempDir: string | undefined;
  let adminUrl: string;
  if (serverUrl) {
    adminUrl = withDatabase(serverUrl, 'postgres');
  } else {
    tempDir = await mkdtemp(path.join(tmpdir(), 'guichet-test-'));
    embedded = await startEmbeddedPostgres({
      dataDir: path.join(tempDir, 'pg'),
      port: 20_000 + Math.floor(Math.random() * 20_000),
      database: 'postgres',
      log,
      persistent: false,
    });
    adminUrl = embedded.url;
  }
  const name = `guichet_test_${Date.now().toString(36)}_${process.pid}`;
  const admin = connect(adminUrl, { max: 1 });
  await admin.unsafe(`create database ${name}`);
  const databaseUrl = withDatabase(adminUrl, name);
  const sql = connect(databaseUrl, { max: 4 });
  await migrate(sql);
  await seedReferential(sql);
  await sql.end();

  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  const redisOk = await checkRedis(redisUrl);
  if (!redisOk && ci)
    throw new Error(`CI : Redis injoignable à ${redisUrl} (les suites Redis ne sont jamais ignorées en CI)`);
  if (!redisOk)
    console.warn(
      `\n⚠ Redis injoignable à ${redisUrl} : les suites qui en ont besoin sont IGNORÉES (jamais en CI).\n`,
    );

  project.provide('databaseUrl', databaseUrl);
  project.provide('adminUrl', adminUrl);
  project.provide('redisUrl', redisOk ? redisUrl : '');

  return async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
    await embedded?.stop();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  };
}
