import { expect, test } from '@playwright/test';
import { kb, trackWeight } from './support.ts';

/** Budget of the home page: JS + CSS as transferred (compressed), fonts and images excluded. */
const BUDGET_BYTES = 100 * 1024;

test('la page d’accueil reste légère (JS + CSS transférés)', async ({ page }, testInfo) => {
  const sizes = await trackWeight(page);
  await page.goto('/', { waitUntil: 'networkidle' });
  const total = sizes.js + sizes.css;
  const summary = `JS ${kb(sizes.js)} + CSS ${kb(sizes.css)} = ${kb(total)}`;
  testInfo.annotations.push({ type: 'poids', description: summary });
  console.info(`Poids de la page d’accueil : ${summary}`);
  expect(total).toBeLessThan(BUDGET_BYTES);
});
