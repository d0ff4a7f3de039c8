import { expect, type Page, test } from '@playwright/test';
import { IR, IR_PREMIERE, NEVERS, openHydrated } from './support.ts';

/** Opens the wizard, asks for counter slots of the IR motif and opens the given free day. */
async function watchDay(page: Page, day?: string): Promise<string> {
  await openHydrated(page, `/services/${NEVERS}/rendez-vous`);
  const main = page.getByRole('main');
  await main.getByRole('radio', { name: IR, exact: true }).check({ force: true });
  await main.getByRole('radio', { name: IR_PREMIERE, exact: true }).check({ force: true });
  await main.getByRole('radio', { name: 'au guichet', exact: true }).check({ force: true });
  await main.getByRole('button', { name: 'Rechercher un créneau disponible' }).click();
  const free = main.locator('button.jour.libre');
  await expect(free.first()).toBeVisible();
  // The last free day of the window: the journeys take the first ones.
  const target = day ? main.locator(`button[data-day="${day}"]`) : free.last();
  if (day) {
    // The day may be in another month of the window.
    for (let i = 0; i < 3 && !(await target.isVisible()); i++)
      await main.getByRole('button', { name: /^Suivant/ }).click();
  }
  const chosen = (await target.getAttribute('data-day')) ?? '';
  await target.click();
  await expect(main.locator('ul.heures button').first()).toBeVisible();
  return chosen;
}

test('un second navigateur voit l’heure choisie disparaître en direct, puis réapparaître quand elle est libérée', async ({
  browser,
}) => {
  const alice = await browser.newContext();
  const bob = await browser.newContext();
  try {
    const a = await alice.newPage();
    const b = await bob.newPage();
    const day = await watchDay(a);
    await watchDay(b, day);

    const aTimes = a.getByRole('main').locator('ul.heures button');
    const bTimes = b.getByRole('main').locator('ul.heures button');
    // A time in the middle of the day, away from what other tests take.
    const n = await aTimes.count();
    const pick = aTimes.nth(Math.floor(n / 2));
    const time = ((await pick.textContent()) ?? '').trim();
    await expect(bTimes.filter({ hasText: time })).toHaveCount(1);

    await pick.click();
    await expect(a.getByRole('main')).toContainText('Ce créneau vous est réservé jusqu’à');

    // Without reload, within a second: the time is gone for Bob, and said politely.
    await expect(bTimes.filter({ hasText: time })).toHaveCount(0, { timeout: 1_500 });
    await expect(b.getByTestId('annonces')).toContainText(`${time} vient d’être pris`);

    // Alice changes her mind: the slot is released and comes back for Bob.
    await a.getByRole('button', { name: 'Changer de créneau' }).click();
    await expect(bTimes.filter({ hasText: time })).toHaveCount(1, { timeout: 1_500 });
    await expect(b.getByTestId('annonces')).toContainText(`${time} est de nouveau libre`);
  } finally {
    await alice.close();
    await bob.close();
  }
});

test('le délai de réservation est annoncé par paliers, puis son expiration propose de choisir à nouveau', async ({
  page,
}) => {
  // The page's clock only: the server keeps its own, the hold simply looks older to the page.
  await page.clock.install();
  await watchDay(page);
  const main = page.getByRole('main');
  const times = main.locator('ul.heures button');
  await times.nth(Math.floor((await times.count()) / 3)).click();
  await expect(main).toContainText(/Ce créneau vous est réservé jusqu’à \d\d:\d\d/);
  await expect(main).toContainText('(encore 10 minutes)');

  await page.clock.fastForward('05:30');
  await expect(page.getByTestId('annonces')).toHaveText(
    'Il vous reste 5 minutes pour terminer votre demande de rendez-vous.',
  );
  await page.clock.fastForward('05:00');
  await expect(main.getByRole('heading', { name: 'Le délai de réservation est dépassé' })).toBeVisible();
  await expect(page.getByTestId('annonces')).toContainText('Choisissez de nouveau un créneau');
  await expect(main.getByRole('heading', { name: 'Veuillez sélectionner une date' })).toBeVisible();
});
