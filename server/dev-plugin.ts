import type { Server as HttpServer } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Plugin } from 'vite';

/**
 * `npm run dev`: boots the same API and realtime server as production inside Vite's dev server.
 * SvelteKit's hooks forward /api to the API (shared through globalThis) and Socket.IO attaches to
 * Vite's HTTP server, so the routes are the same as with `npm start`.
 */
export function guichetDevServer(): Plugin {
  return {
    name: 'guichet-dev-server',
    apply: 'serve',
    async configureServer(server) {
      if (!server.httpServer || process.env.VITEST) return;
      // Loaded by Node itself (type stripping), not bundled into the Vite config.
      const load = (file: string) => import(pathToFileURL(path.join(server.config.root, file)).href);
      const { boot } = (await load('server/boot.ts')) as typeof import('./boot.ts');
      const { loadConfig } = (await load('server/infra/config.ts')) as typeof import('./infra/config.ts');
      const { createLogger } = (await load('server/infra/logger.ts')) as typeof import('./infra/logger.ts');
      const config = loadConfig();
      const guichet = await boot(config, createLogger(config.logLevel));
      guichet.realtime.attach(server.httpServer as HttpServer);
      server.httpServer.once('close', () => void guichet.close());
    },
  };
}
