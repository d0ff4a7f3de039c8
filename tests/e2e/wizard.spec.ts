import { expect, type Page, test } from '@playwright/test';
import { IR, IR_PREMIERE, NEVERS, openHydrated, REUNION, waitForHydration } from './support.ts';

/** The app's scripts (SvelteKit's client), held back until `release()`. */
async function holdScripts(page: Page): Promise<() => void> {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route(
    (url) => url.pathname.startsWith('/_app/') && url.pathname.endsWith('.js'),
    async (route) => {
      await released;
      await route.continue();
    },
  );
  return release;
}

test('un motif coché avant que la page ait chargé ses scripts est gardé : le sous-motif apparaît', async ({
  page,
}) => {
  const release = await holdScripts(page);
  await page.goto(`/services/${NEVERS}/rendez-vous`, { waitUntil: 'domcontentloaded' });
  const main = page.getByRole('main');
  const motif = main.getByRole('radio', { name: IR, exact: true });
  await motif.check({ force: true });
  // Still the server's HTML: nothing has run yet to show the sub-motifs.
  await expect(page.locator('html[data-hydrated]')).toHaveCount(0);
  await expect(main.getByRole('radio', { name: IR_PREMIERE, exact: true })).toHaveCount(0);

  release();
  await waitForHydration(page);
  await expect(motif).toBeChecked();
  const sub = main.getByRole('radio', { name: IR_PREMIERE, exact: true });
  await sub.check({ force: true });
  await main.getByRole('radio', { name: 'au guichet', exact: true }).check({ force: true });
  await main.getByRole('button', { name: 'Rechercher un créneau disponible' }).click();
  // The wizard knew the motif: no "Choisissez le motif", the calendar opens.
  await expect(main.locator('button.jour.libre').first()).toBeVisible();
});

test.describe('sans JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('l’étape 1 est un formulaire GET : motif, sous-motif et type passent par l’adresse', async ({
    page,
  }) => {
    await page.goto(`/services/${NEVERS}/rendez-vous`);
    const main = page.getByRole('main');
    const search = main.getByRole('button', { name: 'Rechercher un créneau disponible' });
    await main.getByRole('radio', { name: IR, exact: true }).check({ force: true });
    await search.click();
    // The server renders the sub-motifs of the motif it received.
    await expect(page).toHaveURL(/[?&]motif=\d+/);
    await expect(main.getByRole('radio', { name: IR, exact: true })).toBeChecked();
    await main.getByRole('radio', { name: IR_PREMIERE, exact: true }).check({ force: true });
    await main.getByRole('radio', { name: 'au guichet', exact: true }).check({ force: true });
    await search.click();
    await expect(page).toHaveURL(/sous-motif=\d+/);
    await expect(page).toHaveURL(/type=physique/);
    await expect(main.getByRole('radio', { name: IR_PREMIERE, exact: true })).toBeChecked();
    await expect(main.getByRole('radio', { name: 'au guichet', exact: true })).toBeChecked();
    // Said to whoever has no scripts, in the server's HTML (Chromium with scripts disabled
    // by Playwright still parses <noscript> as if they were on, so it is read from the source).
    const html = await (await page.request.get(page.url())).text();
    expect(html).toMatch(/<noscript>.*Le calendrier des créneaux libres a besoin de JavaScript/s);
  });
});

test('une demande faite sans scripts reprend à l’étape 2 une fois la page chargée', async ({ page }) => {
  // What the GET form of step 1 sends when "Rechercher" is pressed before the scripts run.
  const card = (await (await page.request.get(`/api/v1/services/${NEVERS}`)).json()) as {
    motifs: { id: number; label: string; children: { id: number; label: string }[] }[];
  };
  const motif = card.motifs.find((m) => m.label === IR)!;
  const sub = motif.children.find((c) => c.label === IR_PREMIERE)!;
  await openHydrated(
    page,
    `/services/${NEVERS}/rendez-vous?motif=${motif.id}&sous-motif=${sub.id}&type=physique&chercher=1`,
  );
  const main = page.getByRole('main');
  await expect(main.getByRole('heading', { level: 2, name: /Votre rendez-vous/ })).toBeVisible();
  await expect(main.locator('button.jour.libre').first()).toBeVisible();
});

test('un service de La Réunion montre ses propres heures (07:30), pas celles de Paris', async ({ page }) => {
  await openHydrated(page, `/services/${REUNION}/rendez-vous`);
  const main = page.getByRole('main');
  await main.getByRole('radio', { name: IR, exact: true }).check({ force: true });
  await main.getByRole('radio', { name: IR_PREMIERE, exact: true }).check({ force: true });
  await main.getByRole('radio', { name: 'au guichet', exact: true }).check({ force: true });
  await main.getByRole('button', { name: 'Rechercher un créneau disponible' }).click();
  const free = main.locator('button.jour.libre');
  await expect(free.first()).toBeVisible();

  // The plages are 07:30–12:00 local; the demo books a few slots, so look at days until one
  // offers the first slot of the morning. No time may fall outside the plage in any of them.
  const times = main.locator('ul.heures button');
  let seen = false;
  const days = await free.count();
  for (let i = 0; i < days && !seen; i++) {
    await free.nth(i).click();
    await expect(free.nth(i)).toHaveAttribute('aria-pressed', 'true');
    await expect(times.first()).toBeVisible();
    const shown = (await times.allTextContents()).map((t) => t.trim());
    for (const t of shown)
      expect(t >= '07:30' && t < '12:00', `heure ${t} dans la plage 07:30–12:00`).toBe(true);
    seen = shown.includes('07:30');
  }
  expect(seen, 'un créneau de 07:30 est proposé').toBe(true);
  await expect(main).toContainText('Les heures indiquées sont les heures locales du service.');

  // The hold says its time in the office's zone, and that it is local time.
  await times.filter({ hasText: '07:30' }).first().click();
  await expect(
    main.getByRole('heading', { name: /Votre créneau : .* à 07:30 \(heure locale\)/ }),
  ).toBeVisible();
  await main.getByRole('button', { name: 'Changer de créneau' }).click();
});
