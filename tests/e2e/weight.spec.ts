import { expect, test } from '@playwright/test';

/** Budget of the home page: JS + CSS as transferred (compressed), fonts and images excluded. */
const BUDGET_BYTES = 100 * 1024;

test('la page d’accueil reste légère (JS + CSS transférés)', async ({ page }, testInfo) => {
  const sizes = { js: 0, css: 0 };
  const client = await page.context().newCDPSession(page);
  await client.send('Network.enable');
  await client.send('Network.setCacheDisabled', { cacheDisabled: true });
  const types = new Map<string, string>();
  client.on('Network.responseReceived', (e) => types.set(e.requestId, e.type));
  client.on('Network.loadingFinished', (e) => {
    const type = types.get(e.requestId);
    if (type === 'Script') sizes.js += e.encodedDataLength;
    if (type === 'Stylesheet') sizes.css += e.encodedDataLength;
  });
  await page.goto('/', { waitUntil: 'networkidle' });
  const total = sizes.js + sizes.css;
  const kb = (n: number) => `${(n / 1024).toFixed(1)} ko`;
  const summary = `JS ${kb(sizes.js)} + CSS ${kb(sizes.css)} = ${kb(total)}`;
  testInfo.annotations.push({ type: 'poids', description: summary });
  console.info(`Poids de la page d’accueil : ${summary}`);
  expect(total).toBeLessThan(BUDGET_BYTES);
});
