import { expect, type Page } from '@playwright/test';
import { formatDay } from '../../src/lib/format.ts';
import { arrowTo, IR, IR_PREMIERE, NEVERS, NEVERS_NAME, openHydrated, tabTo } from './support.ts';

/**
 * The usager's journey of the reference, from /contact to the confirmation code:
 * Particulier → Votre dossier fiscal → Le calcul de vos impôts → Votre impôt sur le
 * revenu/prélèvements sociaux → 19 rue Camille Baynac, 58000 → SIP Nevers → Prendre rendez-vous
 * → motif → au guichet → a day → a time → form → captcha → confirmation.
 *
 * `keyboard`: done with Tab / Shift+Tab / Enter / Space / arrows only, never a click.
 * `check`: called at each page and step (axe-core, 360 px…).
 * `dayIndex`: which free day to take (parallel tests take different ones, so they do not race
 * for the same slot).
 */
export type JourneyOptions = {
  keyboard?: boolean;
  check?: (step: string) => Promise<void>;
  dayIndex?: number;
  email: string;
};

export type JourneyResult = { code: string; day: string; time: string; dateInWords: string };

export async function walkJourney(page: Page, options: JourneyOptions): Promise<JourneyResult> {
  const kb = !!options.keyboard;
  const check = options.check ?? (async () => {});
  const main = page.getByRole('main');

  // ——— /contact: the cascade ———
  // Its radios navigate by script: a choice made before hydration would not be followed.
  await openHydrated(page, '/contact');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Prendre rendez-vous');
  await check('contact : vous êtes');

  const radio = async (name: string, step: string) => {
    const target = main.getByRole('radio', { name, exact: true });
    if (kb) {
      // Tab into the group (lands on the first, or the checked, radio), then arrows.
      const group = target.locator('xpath=ancestor::fieldset[1]').getByRole('radio').first();
      await tabTo(page, group);
      await arrowTo(page, target);
    } else {
      await target.check({ force: true });
    }
    await expect(target).toBeChecked();
    await check(step);
  };

  await radio('Particulier', 'contact : particulier');
  await expect(page).toHaveURL(/vous=particulier/);
  await radio('Votre dossier fiscal', 'contact : votre demande concerne');
  await radio('Le calcul de vos impôts', 'contact : au sujet de');
  await radio('Votre impôt sur le revenu/prélèvements sociaux', 'contact : plus précisément');
  await expect(
    main.getByRole('heading', { name: 'Trouver votre réponse parmi nos questions fréquentes' }),
  ).toBeVisible();

  const openSearch = main.getByRole('button', { name: 'Chercher le service compétent pour votre question' });
  if (kb) {
    await tabTo(page, openSearch);
    await page.keyboard.press('Enter');
  } else {
    await openSearch.click();
  }
  const voie = main.getByRole('textbox', { name: /^Voie/ });
  await expect(voie).toBeVisible();
  await check('contact : adresse');

  if (kb) {
    await expect(voie).toBeFocused(); // focus moved to the first field
    await page.keyboard.type('19 rue Camille Baynac');
    await tabTo(page, main.getByRole('textbox', { name: /^Code postal/ }));
    await page.keyboard.type('58000');
    // Back one field with Shift+Tab for the (optional) locality, then forward again.
    await page.keyboard.press('Shift+Tab');
    await expect(main.getByRole('textbox', { name: /^Localité/ })).toBeFocused();
    await page.keyboard.type('Nevers');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter'); // submits the address form
  } else {
    await voie.fill('19 rue Camille Baynac');
    await main.getByRole('textbox', { name: /^Code postal/ }).fill('58000');
    await main.getByRole('button', { name: 'Rechercher votre service' }).click();
  }
  const card = main.getByRole('article', { name: NEVERS_NAME });
  await expect(card).toBeVisible();
  await expect(card).toContainText('03 86 68 49 49');
  await expect(card).toContainText('19 RUE CAMILLE BAYNAC');
  await expect(page).toHaveURL(/cp=58000/);
  await check('contact : résultats');

  const book = card.getByRole('link', { name: /Prendre rendez-vous/ });
  if (kb) {
    await tabTo(page, book);
    await page.keyboard.press('Enter');
  } else {
    await book.click();
  }

  // ——— Wizard, step 1: the question ———
  await expect(page).toHaveURL(new RegExp(`/services/${NEVERS}/rendez-vous`));
  await expect(main.getByRole('heading', { level: 2, name: /Votre question/ })).toBeVisible();
  await check('rendez-vous : étape 1');
  await radio(IR, 'rendez-vous : motif');
  await radio(IR_PREMIERE, 'rendez-vous : sous-motif');
  await radio('au guichet', 'rendez-vous : type');

  const search = main.getByRole('button', { name: 'Rechercher un créneau disponible' });
  if (kb) {
    await tabTo(page, search);
    await page.keyboard.press('Enter');
  } else {
    await search.click();
  }

  // ——— Step 2: the calendar, then a time ———
  await expect(main.getByRole('heading', { level: 2, name: /Votre rendez-vous/ })).toBeVisible();
  const freeDays = main.locator('button.jour.libre');
  await expect(freeDays.first()).toBeVisible();
  await check('rendez-vous : calendrier');
  const count = await freeDays.count();
  const wanted = Math.min(options.dayIndex ?? 0, count - 1);
  const dayButton = freeDays.nth(wanted);
  const day = (await dayButton.getAttribute('data-day')) ?? '';
  if (kb) {
    // One day button is in the tab order (the first free one); arrows move to the wanted one.
    await tabTo(page, freeDays.first());
    for (let i = 0; i < 40; i++) {
      if (await dayButton.evaluate((el) => el === document.activeElement)) break;
      await page.keyboard.press('ArrowRight');
    }
    await expect(dayButton).toBeFocused();
    await page.keyboard.press('Enter');
  } else {
    await dayButton.click();
  }
  await expect(dayButton).toHaveAttribute('aria-pressed', 'true');
  const times = main.locator('ul.heures button');
  await expect(times.first()).toBeVisible();
  await check('rendez-vous : heures');
  const timeButton = times.first();
  const time = ((await timeButton.textContent()) ?? '').trim();
  if (kb) {
    await expect(main.getByRole('heading', { name: /Veuillez sélectionner une heure/ })).toBeFocused();
    await tabTo(page, timeButton);
    await page.keyboard.press('Enter');
  } else {
    await timeButton.click();
  }
  await expect(main).toContainText(/Ce créneau vous est réservé jusqu’à \d\d:\d\d/);
  await expect(main.getByRole('heading', { name: new RegExp(`Votre créneau : .* à ${time}`) })).toBeVisible();

  // ——— The form: submitted empty first, to see the errors ———
  const submit = main.getByRole('button', { name: 'Confirmer le rendez-vous' });
  if (kb) {
    await tabTo(page, submit);
    await page.keyboard.press('Enter');
  } else {
    await submit.click();
  }
  const summary = main.getByRole('alert').filter({ hasText: /Le formulaire contient \d+ erreurs/ });
  await expect(summary).toBeFocused();
  await expect(main.getByRole('textbox', { name: /^Nom d’usage/ })).toHaveAttribute('aria-invalid', 'true');
  await check('rendez-vous : formulaire avec erreurs');

  const fields: [RegExp, string][] = [
    [/^Nom d’usage/, 'Dupont'],
    [/^Prénom\(s\)/, 'Camille'],
    [/^Téléphone 1/, '06 12 34 56 78'],
    [/^Courriel/, options.email],
    [
      /Afin de mieux traiter votre demande/,
      'Première déclaration : revenus de 2025 et prélèvement à la source.',
    ],
  ];
  const civilite = main.getByRole('radio', { name: 'Madame', exact: true });
  const matin = main.getByRole('checkbox', { name: 'Matin' });
  if (kb) {
    await tabTo(page, main.getByRole('radio', { name: 'Monsieur', exact: true }));
    await page.keyboard.press('ArrowRight'); // Madame
    await expect(civilite).toBeChecked();
    for (const [name, value] of fields) {
      await tabTo(page, main.getByRole('textbox', { name }));
      await page.keyboard.type(value);
      if (String(name) === String(/^Téléphone 1/)) {
        await tabTo(page, matin);
        await page.keyboard.press('Space');
      }
    }
  } else {
    await civilite.check({ force: true });
    for (const [name, value] of fields) await main.getByRole('textbox', { name }).fill(value);
    await matin.check({ force: true });
  }
  await expect(matin).toBeChecked();

  // The captcha: the real ALTCHA widget solves the server's challenge (cost 1 in e2e).
  const captcha = main.locator('altcha-widget input[type="checkbox"]');
  if (kb) {
    await tabTo(page, captcha);
    await page.keyboard.press('Space');
  } else {
    await captcha.click({ force: true }); // checked only once the proof of work is done
  }
  await expect(main.locator('altcha-widget')).toContainText('Vérifié', { timeout: 15_000 });
  await check('rendez-vous : formulaire rempli');

  if (kb) {
    await tabTo(page, submit);
    await page.keyboard.press('Enter');
  } else {
    await submit.click();
  }

  // ——— Step 3: the confirmation ———
  const confirmation = main.getByRole('heading', {
    name: /Votre rendez-vous a bien été enregistré\. Notez son code : [A-Z]{6}/,
  });
  await expect(confirmation).toBeVisible();
  await expect(main.getByRole('heading', { level: 2, name: /Votre confirmation/ })).toBeFocused();
  const code = (/code : ([A-Z]{6})/.exec((await confirmation.textContent()) ?? '') ?? [])[1] ?? '';
  const dateInWords = `${formatDay(day)} à ${time}`;
  await expect(main).toContainText(dateInWords);
  await expect(main).toContainText('Il est prévu pour une durée de 20 minutes');
  await expect(main).toContainText('19 RUE CAMILLE BAYNAC');
  await expect(main).toContainText('En cas d’empêchement');
  await expect(main).toContainText('Lors de votre rendez-vous, merci de vous munir de');
  // The server's calendar file (the email's attachment), not one made in the browser.
  await expect(main.getByRole('link', { name: 'Ajouter à mon agenda (.ics)' })).toHaveAttribute(
    'href',
    /^\/api\/v1\/rdvs\/self-service\/ics\?code=[A-Z]{6}&token=/,
  );
  await check('rendez-vous : confirmation');
  return { code, day, time, dateInWords };
}
