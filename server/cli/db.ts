/**
 * npm run db:migrate | db:seed | db:demo — against DATABASE_URL, or the embedded database of
 * DATA_DIR when it is unset. Each command is idempotent.
 */
import path from 'node:path';
import { seedDemo } from '../../db/seed/load-demo.ts';
import { seedReferential } from '../../db/seed/load-referential.ts';
import { ConfigError, loadConfig } from '../infra/config.ts';
import { connect } from '../infra/db.ts';
import { type EmbeddedDb, startEmbeddedPostgres } from '../infra/embedded-db.ts';
import { createLogger } from '../infra/logger.ts';
import { migrate } from '../infra/migrate.ts';

const command = process.argv[2];
if (command !== 'migrate' && command !== 'seed' && command !== 'demo') {
  console.error('Usage : node server/cli/db.ts migrate|seed|demo');
  process.exit(2);
}

try {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  if (command === 'demo' && config.production) {
    console.error('Refusé : pas de données de démonstration quand NODE_ENV=production.');
    process.exit(1);
  }
  let embedded: EmbeddedDb | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({
      dataDir: path.join(config.dataDir, 'pg'),
      port: config.embeddedPgPort,
      database: 'guichet',
      log,
    });
    url = embedded.url;
  }
  const sql = connect(url, { max: 2, appName: `guichet-cli-${command}` });
  try {
    const { applied } = await migrate(sql);
    console.info(applied.length ? `Migrations appliquées : ${applied.join(', ')}` : 'Schéma à jour.');
    if (command === 'seed' || command === 'demo') {
      const r = await seedReferential(sql);
      console.info(
        r.skipped
          ? 'Référentiel déjà à jour.'
          : `Référentiel chargé : ${r.communes} communes, ${r.services} services.`,
      );
    }
    if (command === 'demo') {
      const d = await seedDemo(sql, new Date(), { production: config.production });
      console.info(
        d.skipped
          ? 'Données de démonstration déjà présentes.'
          : `Démo chargée : ${d.agents} agents, ${d.rdvs} rendez-vous.`,
      );
    }
  } finally {
    await sql.end();
    await embedded?.stop();
  }
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : `Échec : ${(err as Error).message}`);
  process.exit(1);
}
