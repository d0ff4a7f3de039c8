import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';

/*
 * End-to-end tests against the real product: built, started by tests/e2e/serve.ts on its own
 * port, with its own database (a fresh embedded PostgreSQL, or a fresh database on the server
 * of DATABASE_URL in CI), so a developer's running instance is never touched.
 */
const port = Number(process.env.E2E_PORT || 3107);
/** Where tests/e2e/serve.ts shows the emails its SMTP server received (tests/e2e/mailbox.ts). */
const mailboxPort = Number(process.env.E2E_MAILBOX_PORT || port + 1);
process.env.E2E_MAILBOX_PORT = String(mailboxPort);
const baseURL = `http://127.0.0.1:${port}`;
/** The second server, behind a (pretend) proxy: see `webServer` below and tests/e2e/behind-proxy.spec.ts. */
const behindProxyPort = Number(process.env.E2E_PROXY_PORT || port + 10);
const behindProxyURL = `http://127.0.0.1:${behindProxyPort}`;
process.env.E2E_BEHIND_PROXY_URL = behindProxyURL;
// Node 24 from the `node` package: the system node may be older and cannot run .ts files.
const node = path.resolve('node_modules/.bin/node');
const build = process.env.E2E_SKIP_BUILD ? '' : `${node} node_modules/vite/bin/vite.js build && `;

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results/e2e',
  fullyParallel: true,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  reporter: process.env.CI
    ? [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]]
    : 'list',
  timeout: 30_000,
  use: {
    baseURL,
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        headless: true,
        launchOptions: {
          // Browsers cannot be downloaded here: Debian's Chromium (apt-get install chromium).
          executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
          args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
        },
      },
    },
  ],
  webServer: [
    {
      command: `${build}${node} --disable-warning=ExperimentalWarning tests/e2e/serve.ts`,
      url: `${baseURL}/readyz`,
      env: {
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: process.env.E2E_LOG_LEVEL || 'warn',
        E2E_MAILBOX_PORT: String(mailboxPort),
        // The captcha is solved by the real widget in the browser: a low cost keeps it fast.
        CAPTCHA_COST: '1',
        // Every test comes from 127.0.0.1: the production limits would throttle the suite.
        RATE_LIMIT_HOLDS_PER_MINUTE: '1000',
        RATE_LIMIT_BOOKINGS_PER_HOUR: '1000',
        RATE_LIMIT_SEARCH_PER_MINUTE: '1000',
        RATE_LIMIT_SLOTS_PER_MINUTE: '1000',
        // The agents' tests sign in many times from this one address.
        RATE_LIMIT_LOGINS_PER_ADDRESS: '1000',
      },
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      stderr: 'pipe',
      // SIGTERM lets serve.ts stop the server and drop its database.
      gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
    },
    {
      // A node as production runs it behind one proxy: TRUST_PROXY=1, an https public address
      // (HSTS), the default rate limits. Started after the first, which built the pages.
      command: `${node} --disable-warning=ExperimentalWarning tests/e2e/serve.ts`,
      url: `${behindProxyURL}/readyz`,
      env: {
        PORT: String(behindProxyPort),
        HOST: '127.0.0.1',
        LOG_LEVEL: process.env.E2E_LOG_LEVEL || 'warn',
        E2E_MAILBOX_PORT: String(behindProxyPort + 1),
        E2E_EMBEDDED_PG_PORT: String(Number(process.env.E2E_EMBEDDED_PG_PORT || 54339) + 2),
        TRUST_PROXY: '1',
        PUBLIC_URL: 'https://rendez-vous.guichet.test',
      },
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      stderr: 'pipe',
      gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
    },
  ],
});
