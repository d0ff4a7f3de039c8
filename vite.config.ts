import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';
import { guichetDevServer } from './server/dev-plugin.ts';

export default defineConfig({
  plugins: [
    sveltekit({
      adapter: adapter({ out: 'build' }),
      // Every page: scripts only from this origin and SvelteKit's own inline boot script (by nonce,
      // never 'unsafe-inline'); the ALTCHA widget solves its proof of work in a blob: worker.
      // Styles keep 'unsafe-inline': SvelteKit and Svelte write style attributes in the markup.
      csp: {
        mode: 'auto',
        directives: {
          'default-src': ['self'],
          'script-src': ['self'],
          'style-src': ['self', 'unsafe-inline'],
          'img-src': ['self', 'data:'],
          'font-src': ['self'],
          'connect-src': ['self'],
          'worker-src': ['self', 'blob:'],
          'object-src': ['none'],
          'base-uri': ['self'],
          'form-action': ['self'],
          'frame-ancestors': ['none'],
        },
      },
    }),
    guichetDevServer(),
  ],
  test: {
    // Unit tests sit beside the code; integration tests talk to a real PostgreSQL/Redis; load and
    // fault tests start their own nodes (and private databases and Redis to stop). The groups
    // run one after another: on two cores, a load test beside the integration suite measures
    // nothing and slows both.
    projects: [
      {
        extends: false,
        // Compiles the runes of `*.svelte.ts` state classes (their unit tests sit beside them).
        plugins: [svelte({ configFile: false })],
        test: {
          name: 'unit',
          include: ['server/**/*.test.ts', 'src/**/*.test.ts'],
          environment: 'node',
          sequence: { groupOrder: 0 },
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
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: false,
        test: {
          name: 'load',
          include: ['tests/load/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/helpers/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
      {
        extends: false,
        test: {
          name: 'fault',
          include: ['tests/fault/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/helpers/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          sequence: { groupOrder: 3 },
        },
      },
    ],
  },
});
