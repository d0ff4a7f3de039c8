import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { guichetDevServer } from './server/dev-plugin.ts';

export default defineConfig({
  plugins: [sveltekit({ adapter: adapter({ out: 'build' }) }), guichetDevServer()],
  test: {
    // Unit tests sit beside the code; integration tests talk to a real PostgreSQL/Redis.
    projects: [
      {
        extends: false,
        test: {
          name: 'unit',
          include: ['server/**/*.test.ts', 'src/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: false,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/helpers/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
