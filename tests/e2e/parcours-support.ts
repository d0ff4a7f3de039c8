import { expect, type Page } from '@playwright/test';
import { addWorkingDays } from '../../server/domain/working-days.ts';
import { addDays } from '../../src/lib/format.ts';
import { today } from './agent-support.ts';
import { IR, IR_PREMIERE, openHydrated } from './support.ts';

export const BOURGES_NORD = '1800151';
/** Not opened by the demo: no guichet, so nobody outside may book there. */
export const BOURGES_SUD = '1800152';
/** SIP Plaisir: opened by the demo and used by no other test, so one test may close it to agents extérieurs. */
export const PLAISIR = '7800710';

/** The first day an agent extérieur may book from today: the day after 2 working days. */
export const earliestExterieur = () => addDays(addWorkingDays(today(), 2, 'metropole'), 1);

/** Opens the parcours of a service and asks for the free counter slots of IR « Première déclaration ». */
export async function openParcoursSlots(page: Page, code: string) {
  await openHydrated(page, `/agent/services/${code}/parcours`);
  const main = page.getByRole('main');
  await expect(main.getByRole('heading', { level: 1 })).toHaveText('Prendre RDV — parcours simplifié');
  await main.getByRole('radio', { name: IR, exact: true }).check({ force: true });
  await main.getByRole('radio', { name: IR_PREMIERE, exact: true }).check({ force: true });
  await main.getByRole('radio', { name: 'RDV guichet physique', exact: true }).check({ force: true });
  await main.getByRole('button', { name: 'Rechercher un créneau disponible' }).click();
  await expect(main.locator('button.jour.libre').first()).toBeVisible();
}

/** The free days of the month the calendar shows. */
export async function freeDaysShown(page: Page): Promise<string[]> {
  return page
    .locator('button.jour.libre')
    .evaluateAll((buttons) => buttons.map((b) => (b as HTMLElement).dataset.day as string));
}

/** Moves the calendar to its last month (the end of the window). */
export async function lastMonth(page: Page) {
  const next = page.getByRole('button', { name: /^Suivant/ });
  while (await next.isEnabled()) await next.click();
}

/** The usager's step filled as an agent types it, then "Valider le RDV". */
export async function fillUsagerAndSubmit(page: Page, nom: string, email?: string) {
  const main = page.getByRole('main');
  await main.getByRole('radio', { name: 'Madame', exact: true }).check({ force: true });
  await main.getByLabel('Nom d’usage').fill(nom);
  await main.getByLabel('Prénom(s)').fill('Parcours');
  await main.getByLabel('Téléphone 1').fill('06 12 34 56 78');
  if (email) await main.getByLabel('Email').fill(email);
  await main.getByLabel('Précisions sur le RDV').fill('Pris par le parcours simplifié (test e2e)');
  await main.getByRole('button', { name: 'Valider le RDV' }).click();
}

/**
 * Chooses a day among those shown (`pick` picks it from the free days) and its last hour, fills
 * the usager and books. Parallel tests book too: a slot taken meanwhile brings the agent back to
 * the slots with the 409 message, and the next free slot is chosen (never a skip).
 */
export async function bookShownDay(
  page: Page,
  pick: (days: string[]) => string,
  nom: string,
): Promise<{ code: string; day: string; start: string }> {
  const main = page.getByRole('main');
  for (let attempt = 0; attempt < 4; attempt++) {
    const day = pick(await freeDaysShown(page));
    await main.locator(`button[data-day="${day}"]`).click();
    const hours = main.locator('ul.heures button');
    await expect(hours.first()).toBeVisible();
    const start = (await hours.last().getAttribute('data-start')) as string;
    await hours.last().click();
    await expect(main.getByRole('heading', { name: 'L’utilisateur', exact: true })).toBeVisible();
    await fillUsagerAndSubmit(page, nom);
    const done = main.getByTestId('code-rdv');
    const lost = main.getByText(/Ce créneau vient d’être pris/);
    await expect(done.or(lost)).toBeVisible();
    if (await done.isVisible()) return { code: (await done.textContent()) as string, day, start };
    // The 409 path: the slots were read again, the fields kept.
    await expect(lost).toBeFocused();
  }
  throw new Error('aucun créneau n’a pu être pris en 4 essais');
}
