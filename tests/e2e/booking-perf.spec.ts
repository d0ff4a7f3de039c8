import { expect, test } from '@playwright/test';
import { IR, IR_PREMIERE, kb, NEVERS, trackWeight, waitForHydration } from './support.ts';

/** Budget of the booking page: JS + CSS transferred (compressed) to reach the form, captcha included. */
const BUDGET_BYTES = 200 * 1024;

test('poids de la page de rendez-vous et délai « Rechercher un créneau » → calendrier utilisable', async ({
  page,
}, testInfo) => {
  const sizes = await trackWeight(page);
  await page.goto(`/services/${NEVERS}/rendez-vous`, { waitUntil: 'networkidle' });
  await waitForHydration(page);
  const initial = { ...sizes };
  const main = page.getByRole('main');
  await main.getByRole('radio', { name: IR, exact: true }).check({ force: true });
  await main.getByRole('radio', { name: IR_PREMIERE, exact: true }).check({ force: true });
  await main.getByRole('radio', { name: 'au guichet', exact: true }).check({ force: true });

  // Time from the click to the first free day being focusable, several times (median).
  const browserSide: number[] = [];
  const playwrightSide: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = Date.now();
    await main.getByRole('button', { name: 'Rechercher un créneau disponible' }).click();
    await page.waitForFunction(() => {
      const day = document.querySelector<HTMLButtonElement>('button.jour.libre');
      return !!day && day.tabIndex === 0;
    });
    playwrightSide.push(Date.now() - t0);
    browserSide.push(
      await page.evaluate(
        () => performance.getEntriesByName('guichet:recherche-calendrier', 'measure').at(-1)?.duration ?? -1,
      ),
    );
    if (i < 4) {
      await main.getByRole('button', { name: 'Modifier le motif ou le type' }).click();
      await expect(main.getByRole('button', { name: 'Rechercher un créneau disponible' })).toBeVisible();
    }
  }

  // Then to the form, which loads the captcha widget.
  await main.locator('button.jour.libre').last().click();
  await main.locator('ul.heures button').last().click();
  await expect(main.locator('altcha-widget')).toBeAttached();
  await page.waitForLoadState('networkidle');
  // Release the slot for the other tests.
  await main.getByRole('button', { name: 'Changer de créneau' }).click();

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? -1;
  const lines = [
    `Chargement de /services/${NEVERS}/rendez-vous : JS ${kb(initial.js)} + CSS ${kb(initial.css)} = ${kb(initial.js + initial.css)}`,
    `Jusqu’au formulaire (captcha compris) : JS ${kb(sizes.js)} + CSS ${kb(sizes.css)} = ${kb(sizes.js + sizes.css)}`,
    `« Rechercher un créneau » → premier jour libre focalisable : médiane ${median(browserSide).toFixed(0)} ms mesurée dans la page (performance.measure), ${median(playwrightSide)} ms vue de Playwright ; essais : ${browserSide.map((x) => x.toFixed(0)).join(', ')} ms`,
  ];
  for (const line of lines) {
    console.info(line);
    testInfo.annotations.push({ type: 'mesure', description: line });
  }
  expect(sizes.js + sizes.css).toBeLessThan(BUDGET_BYTES);
});
