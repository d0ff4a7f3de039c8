import { isDatabaseUnavailable } from './db.ts';
import type { Logger } from './logger.ts';

/**
 * What a node does with a promise rejection nobody handled.
 *
 * A lost PostgreSQL connection is the one kind it survives: postgres.js 3.4.9 can reject an
 * internal promise of a connection that PostgreSQL reset while shutting down (a raw `read
 * ECONNRESET`, no query attached), and by Node's default that kills the node in the middle of an
 * outage it would otherwise ride out — our PostgreSQL-restart fault test saw it once under load.
 * Every request meanwhile already got its 503 and the pool reconnects by itself, so the node logs
 * it and goes on. Anything else is a bug of ours: logged, then the node exits as Node would, and
 * its supervisor (compose, systemd, Kubernetes) starts it again.
 */
export function unhandledRejectionHandler(log: Pick<Logger, 'warn' | 'fatal'>, exit: (code: number) => void) {
  return (reason: unknown): void => {
    if (isDatabaseUnavailable(reason)) {
      log.warn(
        { err: reason },
        'connexion perdue hors d’une requête (PostgreSQL le plus souvent) : ignorée, le client se reconnecte',
      );
      return;
    }
    log.fatal({ err: reason }, 'rejet de promesse non traité : arrêt du nœud');
    exit(1);
  };
}
